#pragma once
/// LiteralSet: which of several literals occur in a text, found in one pass.
///
/// The fused content scan (docs/bench.md: "each file is scanned once for all
/// the literals and regexes that any rule asks of it") gives every file one
/// LiteralSet holding the literals of the text predicates that apply to it
/// and the required atoms of their regexes. One pass over the text tells each
/// predicate which of its literals are present, so an absent literal is
/// settled without another search and a regex whose atoms are absent is
/// never run.
///
/// The pass is a small "Teddy" filter (the SIMD multi-literal search of
/// Intel's Hyperscan): literals are spread over 8 buckets, and for 16
/// positions at once (32 with AVX2) two PSHUFB nibble lookups per byte tell
/// which buckets' literals could start there, judging by their first three
/// bytes; only those positions are compared in full. Literals shorter than
/// three bytes, and CPUs without SSSE3, use one SSE2 search per literal.
///
/// Matching is ASCII case-insensitive: literals are lowercase ASCII, and a
/// text byte matches its lowercase form. Callers that need case or word
/// bounds confirm a present literal with their own exact test; an absent one
/// is absent under every stricter test too.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sotcheck::checks {

class LiteralSet {
 public:
  /// Adds a lowercase ASCII literal (not empty) and returns its id; adding the same literal again returns the
  /// same id.
  std::uint32_t add(std::string_view literal);
  std::size_t size() const { return m_literals.size(); }

  /// Sets present[id] to 1 for every literal that occurs in `text`, 0 for the others (present is resized).
  /// Thread-safe: const, no shared mutable state.
  void scan(std::string_view text, std::vector<char>* present) const;

  /// The instruction sets the pass can use; scan() takes the widest the CPU has.
  enum class Simd { none, ssse3, avx2 };
  static Simd widest_simd();
  /// scan() with a given instruction set (at most widest_simd()): tests hold every path to the same answers.
  void scan_with(Simd simd, std::string_view text, std::vector<char>* present) const;

 private:
  static constexpr std::size_t k_buckets = 8;
  static constexpr std::size_t k_filter_bytes = 3;

  void scan_one_by_one(std::string_view text, const std::vector<std::uint32_t>& ids, std::vector<char>* present,
                       std::size_t* missing) const;
  void scan_teddy(std::string_view text, std::vector<char>* present, std::size_t* missing) const;
  void scan_teddy_avx2(std::string_view text, std::vector<char>* present, std::size_t* missing) const;
  /// Compares in full the literals of the buckets in lanes[0..] at the positions in `hits` (bit k: base + k).
  void confirm_candidates(std::string_view text, std::uint32_t hits, const std::uint8_t* lanes, std::size_t base,
                          std::vector<char>* present, std::size_t* missing) const;

  std::vector<std::string> m_literals;
  std::vector<std::uint32_t> m_short;  // fewer than k_filter_bytes bytes: one search each
  std::vector<std::uint32_t> m_long;   // in the Teddy buckets
  std::array<std::vector<std::uint32_t>, k_buckets> m_bucket;
  // Per filtered byte position: for each low / high nibble, the buckets holding a literal with that nibble there.
  std::array<std::array<std::uint8_t, 16>, k_filter_bytes> m_low{}, m_high{};
};

}  // namespace sotcheck::checks
