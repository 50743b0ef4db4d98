#pragma once
/// `sotcheck scaffold`: writes a synthetic SSID repository that every one of the 384 rules passes under the
/// strict profile, so the validator and the benchmarks have a known-good tree to run on. The layout and the
/// rule-by-rule content decisions are documented in docs/scaffold.md.
///
/// The tree is a pure function of (size, seed, copies): the same triple always yields byte-identical files, and
/// the plan can be inspected (stats, paths, contents) without touching the disk.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "sotcheck/util/result.hpp"

namespace sotcheck::scaffold {

/// How much to write. `small` is the minimal compliant tree (~1,700 files, a few MB); `large` approaches the
/// real SSID repository (~27,000 files, ~9,500 directories, ~250 MB).
enum class Size { small, large };

/// The most `copies` a tree may have (64 copies of the large tree are ~1.6 million files, ~15 GB).
inline constexpr std::uint32_t k_max_copies = 64;

/// What a tree is made of, everything but where it goes.
struct TreeShape {
  Size size = Size::small;
  /// Varies names, counts, sizes and values; every seed yields a compliant tree.
  std::uint64_t seed = 1;
  /// 1..k_max_copies: every shard's implementations (and, for `large`, the data volume) this many times, for
  /// trees bigger than `large` with the same 24 x 16 matrix (docs/scaffold.md). 1 is the tree itself.
  std::uint32_t copies = 1;
};

struct ScaffoldOptions {
  /// Target directory; created (with parents) if missing, refused if it exists and is not empty.
  std::string directory;
  Size size = Size::small;
  /// Varies names, counts, sizes and values; every seed yields a compliant tree.
  std::uint64_t seed = 1;
  /// See TreeShape::copies; out of range is an error.
  std::uint32_t copies = 1;
};

/// What a tree contains (or would contain): regular files, directories below the target (the target itself
/// is not counted) and the total file bytes.
struct ScaffoldStats {
  std::uint64_t files = 0, directories = 0, bytes = 0;
};

/// Writes the tree described by `options`. On error (target not empty, not a directory, I/O failure) returns
/// the reason with the offending path; files written before an I/O failure are left in place.
util::Result<ScaffoldStats> write_scaffold(const ScaffoldOptions& options);

/// The stats write_scaffold would report for (size, seed), computed without writing or generating the bulk
/// data files (cheap enough for unit tests, even for `large`).
ScaffoldStats planned_stats(Size size, std::uint64_t seed);
ScaffoldStats planned_stats(const TreeShape& shape);

/// One file of a planned tree, as handed to visit_planned_files. The views are valid only during the call.
struct PlannedFileView {
  std::string_view path;     ///< relative to the target, '/'-separated
  std::string_view content;  ///< the exact bytes; empty for bulk files (see `bulk`)
  std::uint64_t size = 0;    ///< the file's size in bytes
  /// A bulk data file (JSON/JSONL fixtures that make up the byte volume): its content is generated only
  /// while writing, so `content` is empty here. Bulk files contain no rule-relevant text.
  bool bulk = false;
};

/// Calls `visit` for every file of the planned tree, in the order write_scaffold creates them, without
/// touching the disk. Lets tests audit the large layout's names and text without writing 250 MB.
void visit_planned_files(Size size, std::uint64_t seed, const std::function<void(const PlannedFileView&)>& visit);
void visit_planned_files(const TreeShape& shape, const std::function<void(const PlannedFileView&)>& visit);

/// "small" / "large" → Size; anything else → nullopt.
std::optional<Size> parse_size(std::string_view text);

/// Size → "small" / "large".
std::string_view to_string(Size size);

}  // namespace sotcheck::scaffold
