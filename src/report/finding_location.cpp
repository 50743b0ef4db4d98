// Where a finding is shown and how it is named across runs: shared by the
// SARIF, GitHub, GitLab, JUnit and text reports so they all agree.

#include <algorithm>
#include <cstdio>

#include "sotcheck/report/report.hpp"
#include "sotcheck/util/hash.hpp"

namespace sotcheck::report {
namespace {

/// "a/b/c" -> "a/b/", "c" -> "" (the root).
std::string parent_folder(std::string_view path) {
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  const auto slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string() : std::string(path.substr(0, slash + 1));
}

}  // namespace

std::string finding_fingerprint(std::string_view rule_id, const checks::Finding& finding) {
  std::uint64_t hash = 14695981039346656037ull;
  // Separated by NUL, which no rule id, path or kind name contains.
  for (std::string_view part : {rule_id, std::string_view(finding.path), checks::finding_kind_name(finding.kind),
                                std::string_view(finding.identity)}) {
    hash = util::fnv1a(part, hash);
    hash = util::fnv1a(std::string_view("\0", 1), hash);
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(hash));
  return buf;
}

FindingLocation location_of(const checks::Finding& finding, const FileProbe& probe) {
  FindingLocation location;
  const auto is_dir = [&](const std::string& path) { return probe.is_dir && probe.is_dir(path); };
  const bool absent = finding.kind == checks::FindingKind::missing && !(probe.is_file && probe.is_file(finding.path));
  if (absent) {
    // Code scanning can only show what exists: climb to the closest existing folder.
    location.path = parent_folder(finding.path);
    while (!location.path.empty() && !is_dir(location.path)) location.path = parent_folder(location.path);
    location.folder = true;
    return location;
  }
  if (!finding.path.empty() && is_dir(finding.path)) {
    location.path = finding.path.back() == '/' ? finding.path : finding.path + "/";
    location.folder = true;
    return location;
  }
  location.path = finding.path;
  location.line = finding.line;
  location.column = finding.line > 0 ? finding.column : 0;
  return location;
}

std::string compiler_location(const checks::Finding& finding) {
  std::string text = finding.path.empty() ? std::string(".") : finding.path;
  if (finding.line > 0) {
    text += ":" + std::to_string(finding.line);
    if (finding.column > 0) text += ":" + std::to_string(finding.column);
  }
  return text;
}

std::vector<std::size_t> by_severity(const std::vector<exec::Verdict>& verdicts) {
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < verdicts.size(); ++i)
    if (!verdicts[i].passed()) order.push_back(i);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return verdicts[a].severity < verdicts[b].severity; });
  return order;
}

}  // namespace sotcheck::report
