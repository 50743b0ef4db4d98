#pragma once
/// The image and the YAML blobs inside it start every section and record on an
/// 8-byte boundary, so that readers can cast offsets to aligned structs.
/// Private to the snapshot module.

#include <cstdint>

namespace sotcheck::snapshot {

constexpr std::uint64_t align8(std::uint64_t n) {
  return (n + 7) & ~std::uint64_t{7};
}

}  // namespace sotcheck::snapshot
