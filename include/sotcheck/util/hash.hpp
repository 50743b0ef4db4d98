#pragma once
/// FNV-1a, 64 bits: the one hash sotcheck uses for stable names (probe keys,
/// finding fingerprints, catalog fingerprints, scaffold seeds). Stable across
/// builds, processes and machines, which std::hash is not.

#include <cstdint>
#include <string_view>

namespace sotcheck::util {

inline constexpr std::uint64_t k_fnv1a_offset = 14695981039346656037ull;

/// Continues an FNV-1a hash over `bytes`; start from k_fnv1a_offset.
constexpr std::uint64_t fnv1a(std::string_view bytes, std::uint64_t hash = k_fnv1a_offset) {
  for (const char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return hash;
}

}  // namespace sotcheck::util
