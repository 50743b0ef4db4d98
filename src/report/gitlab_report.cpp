// GitLab Code Quality: the CodeClimate JSON array GitLab shows in merge
// requests, one issue per finding. GitLab drops issues whose fingerprint it
// has already seen in the report, so fingerprints are made unique here.

#include <set>

#include "sotcheck/report/report.hpp"

namespace sotcheck::report {
namespace {

using json = nlohmann::ordered_json;

/// GitLab's five levels, one per catalog severity.
const char* gitlab_severity(catalog::Severity severity) {
  switch (severity) {
    case catalog::Severity::critical: return "blocker";
    case catalog::Severity::high: return "critical";
    case catalog::Severity::medium: return "major";
    case catalog::Severity::low: return "minor";
    case catalog::Severity::info: return "info";
  }
  return "info";
}

/// `base`, or base-2, base-3, ... when two findings share rule, path, kind and identity.
std::string unique_fingerprint(const std::string& base, std::set<std::string>* seen) {
  std::string candidate = base;
  for (int n = 2; !seen->insert(candidate).second; ++n) candidate = base + "-" + std::to_string(n);
  return candidate;
}

json issue(const exec::Verdict& v, std::string description, std::string path, std::uint32_t line,
           std::string fingerprint) {
  json entry;
  entry["type"] = "issue";
  entry["description"] = std::move(description);
  entry["check_name"] = v.rule_id;
  entry["fingerprint"] = std::move(fingerprint);
  entry["severity"] = gitlab_severity(v.severity);
  // GitLab counts lines from 1 and needs one, even for a whole file or folder.
  entry["location"] = {{"path", path.empty() ? std::string(".") : std::move(path)},
                       {"lines", {{"begin", line > 0 ? line : 1u}}}};
  return entry;
}

}  // namespace

json to_gitlab(const catalog::Catalog& catalog, const std::vector<exec::Verdict>& verdicts, const RunInfo& info,
               const FileProbe& probe) {
  json issues = json::array();
  std::set<std::string> seen;
  for (std::size_t i = 0; i < verdicts.size(); ++i) {
    const exec::Verdict& v = verdicts[i];
    if (v.status != exec::Status::fail && v.status != exec::Status::error) continue;
    // A suppressed failure is accepted on purpose: not a code-quality issue.
    if (v.status == exec::Status::fail && !info.disposition(i).suppressed_reason.empty()) continue;
    const catalog::Rule* rule = catalog.find(v.rule_id);
    const std::string prefix = v.rule_id + (rule != nullptr && !rule->title.empty() ? " " + rule->title : "") + ": ";
    if (v.findings.empty()) {
      const std::string message = v.status == exec::Status::error ? "rule could not be evaluated: " + v.message
                                                                  : v.message;
      issues.push_back(issue(v, prefix + message, "", 0, unique_fingerprint(fingerprint(v, info.repo_root), &seen)));
      continue;
    }
    for (const checks::Finding& f : v.findings) {
      const FindingLocation where = location_of(f, probe);
      issues.push_back(issue(v, prefix + f.message, where.path, where.line,
                             unique_fingerprint(finding_fingerprint(v.rule_id, f), &seen)));
    }
  }
  return issues;
}

}  // namespace sotcheck::report
