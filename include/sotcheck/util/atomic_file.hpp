#pragma once
/// Writing a report or baseline so that a reader sees the old file or the
/// new one, never half of one: the text goes to a temporary beside the
/// destination (created with O_EXCL, so it never follows a planted symlink),
/// is fsynced, then renamed over the destination. rename() replaces a final
/// symlink instead of writing through it. A full disk, a file-size limit or an
/// interruption leaves the previous file untouched and no temporary behind.

#include <string>
#include <string_view>

#include "sotcheck/util/result.hpp"

namespace sotcheck::util {

/// Writes `content` to `path` atomically. A destination that is (or links
/// to) a character device or FIFO, such as /dev/null or /dev/stdout, is
/// written in place instead, never replaced; any other non-regular file is
/// an error. A symlink to a regular file is replaced, not written through.
/// The error reads "PATH: why".
Result<void> write_file_atomically(const std::string& path, std::string_view content);

/// For a signal handler that ends the process: removes the temporary of a
/// write in progress, if any. Async-signal-safe.
void remove_pending_temporary() noexcept;

}  // namespace sotcheck::util
