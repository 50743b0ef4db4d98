#pragma once
/// The shard matrix: the findings of one run grouped by where they sit in the
/// SSID layout (24 roots x 16 shards), for the HTML report and the terminal
/// matrix. This is the one place that decides which cell a finding belongs to.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sotcheck/catalog/model.hpp"
#include "sotcheck/exec/verdict.hpp"
#include "sotcheck/report/report.hpp"

namespace sotcheck::report {

/// The canonical names the matrix is drawn with, in order. The report module
/// does not own them: the caller passes them in (the CLI takes the scaffold's).
struct MatrixLayout {
  std::vector<std::string> roots;   ///< "01_ai_layer" ... (24)
  std::vector<std::string> shards;  ///< "01_identitaet_personen" ... (16)
};

/// Where a repository-relative path falls.
struct CellAddress {
  enum class Kind { repository, root, shard };
  Kind kind = Kind::repository;
  std::size_t root = 0;   ///< index into layout.roots (root and shard kinds)
  std::size_t shard = 0;  ///< index into layout.shards (shard kind)
  /// For a path in a shard-like folder of a root whose name is not a
  /// canonical shard name ("03_core/shards/5_health"): that folder's name.
  std::string misnamed_shard;
};

/// Maps a finding path to its cell. A shard is `ROOT/shards/SHARD/...` (the
/// master definition) or `ROOT/SHARD/...` (shards directly under the root);
/// a root's other paths are root-level; everything else (".", top-level
/// files, unknown top-level folders) is repository-wide.
CellAddress cell_of(std::string_view path, const MatrixLayout& layout);

/// One finding in a cell: the verdict and its finding (npos: a non-passing
/// verdict that carries no findings, shown by its message).
struct FindingRef {
  std::size_t verdict = 0;
  std::size_t finding = 0;
  static constexpr std::size_t k_no_finding = static_cast<std::size_t>(-1);
};

struct MatrixCell {
  std::vector<FindingRef> findings;  ///< most severe rule first, then catalog order
  std::optional<catalog::Severity> worst;  ///< unset: no findings
  bool missing = false;  ///< the folder does not exist on disk
};

struct ShardMatrix {
  MatrixLayout layout;
  std::vector<MatrixCell> shards;      ///< row-major: root * layout.shards.size() + shard
  std::vector<MatrixCell> root_level;  ///< one per root: findings in the root but no canonical shard
  MatrixCell repository;               ///< findings outside every root
  /// Per root: the non-canonical shard-like folder names findings point into.
  std::vector<std::vector<std::string>> misnamed;

  const MatrixCell& at(std::size_t root, std::size_t shard) const { return shards[root * layout.shards.size() + shard]; }
  std::size_t cells_with_findings() const;
};

/// Groups the findings of the FAIL and ERROR verdicts (suppressed and
/// baselined ones included: reports keep them visible) into the matrix; a
/// folder the probe does not see as a directory is marked missing.
ShardMatrix build_matrix(const std::vector<exec::Verdict>& verdicts, const MatrixLayout& layout,
                         const FileProbe& probe);

/// Escapes text for HTML element content and quoted attribute values (& < > " ').
std::string html_escape(std::string_view text);

/// One self-contained HTML page (no network access, script optional): header,
/// the matrix with per-cell finding lists, and the rule table. Every text that
/// comes from the tree or the catalog is escaped.
std::string to_html(const catalog::Catalog& catalog, const std::vector<exec::Verdict>& verdicts, const RunInfo& info,
                    const ShardMatrix& matrix);

/// The matrix in a terminal: one glyph per shard (coloured by the worst
/// severity when `colour`, and a distinct glyph per severity either way),
/// root and shard numbers as axes, the repository/root-level findings and the
/// totals under it.
std::string to_matrix_text(const std::vector<exec::Verdict>& verdicts, const RunInfo& info, const ShardMatrix& matrix,
                           bool colour);

}  // namespace sotcheck::report
