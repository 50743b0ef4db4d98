#pragma once
/// stdout as a report destination. A process started with stdout closed
/// (`>&-`) would hand descriptor 1 to the next file it opens and write the
/// report into that file; and a failed write to stdout (`>/dev/full`) must
/// fail the run instead of being lost with exit 0.

#include <string_view>

#include "sotcheck/util/result.hpp"

namespace sotcheck::util {

/// At startup: puts /dev/null on any of descriptors 0-2 that is closed, and
/// remembers whether stdout was one of them.
void reserve_standard_descriptors() noexcept;

/// Writes all of `text` to stdout (flushing stdio first). Fails when stdout
/// was closed at startup or a write fails (ENOSPC, EFBIG, EPIPE, ...).
Result<void> write_to_stdout(std::string_view text);

}  // namespace sotcheck::util
