// The one mapping from a finding to its cell of the 24 x 16 matrix, shared by
// the HTML report and the terminal matrix so both always agree.

#include "sotcheck/report/shard_matrix.hpp"

#include <algorithm>

namespace sotcheck::report {
namespace {

std::vector<std::string_view> components(std::string_view path) {
  std::vector<std::string_view> parts;
  while (!path.empty()) {
    const auto slash = path.find('/');
    const std::string_view part = path.substr(0, slash);
    if (!part.empty() && part != ".") parts.push_back(part);
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return parts;
}

std::optional<std::size_t> index_in(const std::vector<std::string>& names, std::string_view name) {
  const auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end()) return std::nullopt;
  return static_cast<std::size_t>(it - names.begin());
}

/// "NN_..." : the shape of a root or shard folder name.
bool numbered(std::string_view name) {
  return name.size() > 3 && name[0] >= '0' && name[0] <= '9' && name[1] >= '0' && name[1] <= '9' && name[2] == '_';
}

void add(MatrixCell& cell, const exec::Verdict& verdict, FindingRef ref) {
  cell.findings.push_back(ref);
  if (!cell.worst || verdict.severity < *cell.worst) cell.worst = verdict.severity;
}

}  // namespace

CellAddress cell_of(std::string_view path, const MatrixLayout& layout) {
  CellAddress address;
  const auto parts = components(path);
  if (parts.empty()) return address;
  const auto root = index_in(layout.roots, parts[0]);
  if (!root) return address;
  address.kind = CellAddress::Kind::root;
  address.root = *root;
  if (parts.size() < 2) return address;
  // The master definition nests shards under ROOT/shards/; the reference layout puts them directly under the root.
  const bool in_container = parts[1] == "shards" && parts.size() >= 3;
  const std::string_view shard_name = in_container ? parts[2] : parts[1];
  if (const auto shard = index_in(layout.shards, shard_name)) {
    address.kind = CellAddress::Kind::shard;
    address.shard = *shard;
  } else if (in_container || numbered(shard_name)) {
    address.misnamed_shard = std::string(shard_name);
  }
  return address;
}

std::size_t ShardMatrix::cells_with_findings() const {
  return static_cast<std::size_t>(
      std::count_if(shards.begin(), shards.end(), [](const MatrixCell& c) { return !c.findings.empty(); }));
}

ShardMatrix build_matrix(const std::vector<exec::Verdict>& verdicts, const MatrixLayout& layout,
                         const FileProbe& probe) {
  ShardMatrix matrix;
  matrix.layout = layout;
  matrix.shards.resize(layout.roots.size() * layout.shards.size());
  matrix.root_level.resize(layout.roots.size());
  matrix.misnamed.resize(layout.roots.size());

  if (probe.is_dir) {
    for (std::size_t r = 0; r < layout.roots.size(); ++r) {
      const std::string& root = layout.roots[r];
      matrix.root_level[r].missing = !probe.is_dir(root);
      for (std::size_t s = 0; s < layout.shards.size(); ++s) {
        const std::string& shard = layout.shards[s];
        matrix.shards[r * layout.shards.size() + s].missing =
            matrix.root_level[r].missing || (!probe.is_dir(root + "/shards/" + shard) && !probe.is_dir(root + "/" + shard));
      }
    }
  }

  const auto place = [&](const std::string& path, const exec::Verdict& verdict, FindingRef ref) {
    const CellAddress at = cell_of(path, layout);
    switch (at.kind) {
      case CellAddress::Kind::repository:
        add(matrix.repository, verdict, ref);
        break;
      case CellAddress::Kind::root: {
        add(matrix.root_level[at.root], verdict, ref);
        auto& names = matrix.misnamed[at.root];
        if (!at.misnamed_shard.empty() && std::find(names.begin(), names.end(), at.misnamed_shard) == names.end())
          names.push_back(at.misnamed_shard);
        break;
      }
      case CellAddress::Kind::shard:
        add(matrix.shards[at.root * layout.shards.size() + at.shard], verdict, ref);
        break;
    }
  };

  for (std::size_t i : by_severity(verdicts)) {
    const exec::Verdict& v = verdicts[i];
    if (v.status != exec::Status::fail && v.status != exec::Status::error) continue;
    if (v.findings.empty()) {
      add(matrix.repository, v, {i, FindingRef::k_no_finding});
      continue;
    }
    for (std::size_t k = 0; k < v.findings.size(); ++k) place(v.findings[k].path, v, {i, k});
  }
  for (auto& names : matrix.misnamed) std::sort(names.begin(), names.end());
  return matrix;
}

}  // namespace sotcheck::report
