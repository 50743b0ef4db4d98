#include "sotcheck/checks/literal_set.hpp"

#include <algorithm>
#include <cstring>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define SOTCHECK_HAVE_TEDDY 1
#endif

#include "sotcheck/checks/literal_search.hpp"

namespace sotcheck::checks {
namespace {

inline unsigned char lower(unsigned char c) { return c >= 'A' && c <= 'Z' ? static_cast<unsigned char>(c + 32) : c; }

/// `text` at `at` starts with `literal` (lowercase), ASCII case-insensitively.
bool starts_with_ci(std::string_view text, std::size_t at, const std::string& literal) {
  if (literal.size() > text.size() - at) return false;
  for (std::size_t k = 0; k < literal.size(); ++k)
    if (lower(static_cast<unsigned char>(text[at + k])) != static_cast<unsigned char>(literal[k])) return false;
  return true;
}

}  // namespace

LiteralSet::Simd LiteralSet::widest_simd() {
#ifdef SOTCHECK_HAVE_TEDDY
  static const Simd widest = __builtin_cpu_supports("avx2")    ? Simd::avx2
                             : __builtin_cpu_supports("ssse3") ? Simd::ssse3
                                                               : Simd::none;
  return widest;
#else
  return Simd::none;
#endif
}

std::uint32_t LiteralSet::add(std::string_view literal) {
  const auto it = std::find(m_literals.begin(), m_literals.end(), literal);
  if (it != m_literals.end()) return static_cast<std::uint32_t>(it - m_literals.begin());
  m_literals.emplace_back(literal);
  const auto id = static_cast<std::uint32_t>(m_literals.size() - 1);
  if (literal.size() < k_filter_bytes) {
    m_short.push_back(id);
    return id;
  }
  // Literals sharing their first byte share a bucket, which keeps the filter tight; the rest go round robin.
  std::size_t bucket = m_long.size() % k_buckets;
  for (std::size_t b = 0; b < k_buckets; ++b)
    for (const std::uint32_t other : m_bucket[b])
      if (m_literals[other][0] == literal[0]) bucket = b;
  m_long.push_back(id);
  m_bucket[bucket].push_back(id);
  for (std::size_t k = 0; k < k_filter_bytes; ++k) {
    const auto c = static_cast<unsigned char>(literal[k]);
    m_low[k][c & 0x0F] |= static_cast<std::uint8_t>(1u << bucket);
    m_high[k][c >> 4] |= static_cast<std::uint8_t>(1u << bucket);
  }
  return id;
}

void LiteralSet::scan(std::string_view text, std::vector<char>* present) const { scan_with(widest_simd(), text, present); }

void LiteralSet::scan_with(Simd simd, std::string_view text, std::vector<char>* present) const {
  present->assign(m_literals.size(), 0);
  std::size_t missing = m_literals.size();
  scan_one_by_one(text, m_short, present, &missing);
  if (simd > widest_simd()) simd = widest_simd();
#ifdef SOTCHECK_HAVE_TEDDY
  if (!m_long.empty() && simd == Simd::avx2) {
    scan_teddy_avx2(text, present, &missing);
    return;
  }
  if (!m_long.empty() && simd == Simd::ssse3) {
    scan_teddy(text, present, &missing);
    return;
  }
#endif
  scan_one_by_one(text, m_long, present, &missing);
}

void LiteralSet::confirm_candidates(std::string_view text, std::uint32_t hits, const std::uint8_t* lanes,
                                    std::size_t base, std::vector<char>* present, std::size_t* missing) const {
  while (hits != 0) {
    const unsigned lane = static_cast<unsigned>(__builtin_ctz(hits));
    hits &= hits - 1;
    if (base + lane >= text.size()) break;
    for (unsigned bits = lanes[lane]; bits != 0; bits &= bits - 1) {
      for (const std::uint32_t id : m_bucket[static_cast<std::size_t>(__builtin_ctz(bits))]) {
        if ((*present)[id] || !starts_with_ci(text, base + lane, m_literals[id])) continue;
        (*present)[id] = 1;
        --*missing;
      }
    }
  }
}

void LiteralSet::scan_one_by_one(std::string_view text, const std::vector<std::uint32_t>& ids,
                                 std::vector<char>* present, std::size_t* missing) const {
  for (const std::uint32_t id : ids) {
    if (find_ascii_ci(text, m_literals[id]) == std::string_view::npos) continue;
    (*present)[id] = 1;
    --*missing;
  }
}

#ifdef SOTCHECK_HAVE_TEDDY
namespace {

/// The buckets whose literals could start at each of the 16 positions from `at` (which must hold 16 + 2
/// readable bytes), judging by the first three bytes lowercased.
__attribute__((target("ssse3"), always_inline)) inline __m128i teddy_candidates(const unsigned char* at, const __m128i* low,
                                                          const __m128i* high) {
  const __m128i nibble = _mm_set1_epi8(0x0F);
  const __m128i before_a = _mm_set1_epi8('A' - 1), after_z = _mm_set1_epi8('Z' + 1), case_bit = _mm_set1_epi8(0x20);
  __m128i buckets = _mm_set1_epi8(static_cast<char>(0xFF));
  for (int k = 0; k < 3; ++k) {
    __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at + k));
    // To lowercase: bytes 'A'..'Z' (signed compares leave bytes >= 0x80 alone) get the 0x20 bit.
    const __m128i upper = _mm_and_si128(_mm_cmpgt_epi8(x, before_a), _mm_cmpgt_epi8(after_z, x));
    x = _mm_or_si128(x, _mm_and_si128(upper, case_bit));
    const __m128i lo = _mm_shuffle_epi8(low[k], _mm_and_si128(x, nibble));
    const __m128i hi = _mm_shuffle_epi8(high[k], _mm_and_si128(_mm_srli_epi16(x, 4), nibble));
    buckets = _mm_and_si128(buckets, _mm_and_si128(lo, hi));
  }
  return buckets;
}

}  // namespace

__attribute__((target("ssse3"))) void LiteralSet::scan_teddy(std::string_view text, std::vector<char>* present,
                                                             std::size_t* missing) const {
  static_assert(k_filter_bytes == 3, "teddy_candidates filters on three bytes");
  __m128i low[k_filter_bytes], high[k_filter_bytes];
  for (std::size_t k = 0; k < k_filter_bytes; ++k) {
    low[k] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(m_low[k].data()));
    high[k] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(m_high[k].data()));
  }
  const auto confirm = [&](__m128i buckets, std::size_t base) {
    const unsigned hits =
        ~static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(buckets, _mm_setzero_si128()))) & 0xFFFF;
    if (hits == 0) return;
    alignas(16) std::uint8_t lanes[16];
    _mm_store_si128(reinterpret_cast<__m128i*>(lanes), buckets);
    confirm_candidates(text, hits, lanes, base, present, missing);
  };
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  constexpr std::size_t k_window = 16 + k_filter_bytes - 1;
  std::size_t i = 0;
  for (; i + k_window <= n && *missing > 0; i += 16) confirm(teddy_candidates(bytes + i, low, high), i);
  // The tail, zero-padded: NUL is in no literal, and confirm_candidates compares against the real text only.
  while (i < n && *missing > 0) {
    alignas(16) unsigned char padded[16 + k_window] = {};
    std::memcpy(padded, bytes + i, std::min(n - i, sizeof padded));
    confirm(teddy_candidates(padded, low, high), i);
    i += 16;
  }
}

namespace {

/// teddy_candidates for 32 positions: the same nibble tables in both 128-bit lanes (VPSHUFB looks up within
/// each lane). `at` must hold 32 + 2 readable bytes.
__attribute__((target("avx2"), always_inline)) inline __m256i teddy_candidates_avx2(const unsigned char* at,
                                                                                  const __m256i* low,
                                                                                  const __m256i* high) {
  const __m256i nibble = _mm256_set1_epi8(0x0F);
  const __m256i before_a = _mm256_set1_epi8('A' - 1), after_z = _mm256_set1_epi8('Z' + 1),
                case_bit = _mm256_set1_epi8(0x20);
  __m256i buckets = _mm256_set1_epi8(static_cast<char>(0xFF));
  for (int k = 0; k < 3; ++k) {
    __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(at + k));
    const __m256i upper = _mm256_and_si256(_mm256_cmpgt_epi8(x, before_a), _mm256_cmpgt_epi8(after_z, x));
    x = _mm256_or_si256(x, _mm256_and_si256(upper, case_bit));
    const __m256i lo = _mm256_shuffle_epi8(low[k], _mm256_and_si256(x, nibble));
    const __m256i hi = _mm256_shuffle_epi8(high[k], _mm256_and_si256(_mm256_srli_epi16(x, 4), nibble));
    buckets = _mm256_and_si256(buckets, _mm256_and_si256(lo, hi));
  }
  return buckets;
}

/// The positions among the 32 from `at` where some bucket's literal could start (bit k: at + k), with each
/// position's buckets stored in lanes[k] when there are any.
__attribute__((target("avx2"), always_inline)) inline std::uint32_t candidate_lanes_avx2(const unsigned char* at,
                                                                                        const __m256i* low,
                                                                                        const __m256i* high,
                                                                                        std::uint8_t* lanes) {
  const __m256i buckets = teddy_candidates_avx2(at, low, high);
  const auto hits =
      ~static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(buckets, _mm256_setzero_si256())));
  if (hits != 0) _mm256_store_si256(reinterpret_cast<__m256i*>(lanes), buckets);
  return hits;
}

}  // namespace

__attribute__((target("avx2"))) void LiteralSet::scan_teddy_avx2(std::string_view text, std::vector<char>* present,
                                                                 std::size_t* missing) const {
  __m256i low[k_filter_bytes], high[k_filter_bytes];
  for (std::size_t k = 0; k < k_filter_bytes; ++k) {
    low[k] = _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(m_low[k].data())));
    high[k] = _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(m_high[k].data())));
  }
  alignas(32) std::uint8_t lanes[32];
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  constexpr std::size_t k_window = 32 + k_filter_bytes - 1;
  std::size_t i = 0;
  for (; i + k_window <= n && *missing > 0; i += 32)
    if (const std::uint32_t hits = candidate_lanes_avx2(bytes + i, low, high, lanes))
      confirm_candidates(text, hits, lanes, i, present, missing);
  // The tail, zero-padded: NUL is in no literal, and confirm_candidates compares against the real text only.
  while (i < n && *missing > 0) {
    alignas(32) unsigned char padded[32 + k_window] = {};
    std::memcpy(padded, bytes + i, std::min(n - i, sizeof padded));
    if (const std::uint32_t hits = candidate_lanes_avx2(padded, low, high, lanes))
      confirm_candidates(text, hits, lanes, i, present, missing);
    i += 32;
  }
}
#else
void LiteralSet::scan_teddy(std::string_view, std::vector<char>*, std::size_t*) const {}
void LiteralSet::scan_teddy_avx2(std::string_view, std::vector<char>*, std::size_t*) const {}
#endif

}  // namespace sotcheck::checks
