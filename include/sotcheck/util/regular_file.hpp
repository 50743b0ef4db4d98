#pragma once
/// Reading a small file that the run depends on (config, baseline, catalog)
/// without trusting what sits at the path: a FIFO would block the run forever
/// and /dev/zero would grow it until the OOM killer, so only regular files
/// are read, and only up to a cap.

#include <cstdint>
#include <string>

#include "sotcheck/util/result.hpp"

namespace sotcheck::util {

inline constexpr std::uint64_t k_config_size_cap = 1ull << 20;     ///< 1 MiB
inline constexpr std::uint64_t k_baseline_size_cap = 64ull << 20;  ///< 64 MiB
inline constexpr std::uint64_t k_catalog_file_size_cap = 8ull << 20;  ///< 8 MiB per rules file

/// The whole content of `path` when it is a regular file (after following
/// symlinks) of at most `cap` bytes. Opened with O_NONBLOCK and checked with
/// fstat on the open descriptor, so what is read is what was checked. The
/// error reads "PATH: why".
Result<std::string> read_regular_file(const std::string& path, std::uint64_t cap);

}  // namespace sotcheck::util
