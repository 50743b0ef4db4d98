// Literal search in file text (literal_search.hpp).

#include "sotcheck/checks/literal_search.hpp"

#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace sotcheck::checks {
namespace {

inline bool is_word_byte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
inline unsigned char lower_ascii(unsigned char c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

bool equal_ci(const char* p, std::string_view needle_lower) {
  for (std::size_t j = 0; j < needle_lower.size(); ++j)
    if (lower_ascii(static_cast<unsigned char>(p[j])) != static_cast<unsigned char>(needle_lower[j])) return false;
  return true;
}

bool bounded(std::string_view text, std::size_t pos, std::size_t length) {
  const bool left = pos == 0 || !is_word_byte(static_cast<unsigned char>(text[pos - 1]));
  const bool right = pos + length >= text.size() || !is_word_byte(static_cast<unsigned char>(text[pos + length]));
  return left && right;
}

}  // namespace

std::size_t find_literal(std::string_view hay, std::string_view needle, std::size_t from) {
  if (from > hay.size()) return std::string_view::npos;
  if (needle.empty()) return from;
  const void* hit = ::memmem(hay.data() + from, hay.size() - from, needle.data(), needle.size());
  return hit == nullptr ? std::string_view::npos : static_cast<std::size_t>(static_cast<const char*>(hit) - hay.data());
}

std::size_t find_ascii_ci(std::string_view hay, std::string_view needle, std::size_t from) {
  constexpr std::size_t npos = std::string_view::npos;
  const std::size_t m = needle.size();
  if (from > hay.size()) return npos;
  if (m == 0) return from;
  if (hay.size() - from < m) return npos;
  const std::size_t last_start = hay.size() - m;
  const unsigned char first = static_cast<unsigned char>(needle.front());
  std::size_t i = from;
#if defined(__SSE2__)
  // Candidate starts are where both the first and the last needle byte match (a letter matches either case:
  // OR-ing 0x20 maps only 'A'..'Z' onto 'a'..'z'); each candidate is then compared in full.
  const unsigned char last = static_cast<unsigned char>(needle.back());
  const auto is_lower_letter = [](unsigned char c) { return c >= 'a' && c <= 'z'; };
  const __m128i want_first = _mm_set1_epi8(static_cast<char>(first));
  const __m128i want_last = _mm_set1_epi8(static_cast<char>(last));
  const __m128i fold_first = _mm_set1_epi8(is_lower_letter(first) ? 0x20 : 0);
  const __m128i fold_last = _mm_set1_epi8(is_lower_letter(last) ? 0x20 : 0);
  for (; i + 15 <= last_start; i += 16) {
    const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(hay.data() + i));
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(hay.data() + i + m - 1));
    const __m128i hit = _mm_and_si128(_mm_cmpeq_epi8(_mm_or_si128(a, fold_first), want_first),
                                      _mm_cmpeq_epi8(_mm_or_si128(b, fold_last), want_last));
    unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(hit));
    while (mask != 0) {
      const unsigned bit = static_cast<unsigned>(__builtin_ctz(mask));
      if (equal_ci(hay.data() + i + bit, needle)) return i + bit;
      mask &= mask - 1;
    }
  }
#endif
  for (; i <= last_start; ++i)
    if (lower_ascii(static_cast<unsigned char>(hay[i])) == first && equal_ci(hay.data() + i, needle)) return i;
  return npos;
}

bool contains_literal(std::string_view text, std::string_view literal, bool ci, bool word) {
  std::size_t pos = 0;
  while (true) {
    pos = ci ? find_ascii_ci(text, literal, pos) : find_literal(text, literal, pos);
    if (pos == std::string_view::npos) return false;
    if (!word || bounded(text, pos, literal.size())) return true;
    ++pos;
  }
}

}  // namespace sotcheck::checks
