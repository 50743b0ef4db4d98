#include <cstdio>

#include "sotcheck/report/report.hpp"

namespace sotcheck::report {
namespace {

using json = nlohmann::ordered_json;

std::string percent(std::size_t part, std::size_t whole) {
  if (whole == 0) return "N/A";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f%%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
  return buf;
}

}  // namespace

json config_json(const RunInfo& info) {
  if (info.config_file.empty()) return nullptr;
  json stale = json::array();
  for (const auto& e : info.config_stale) stale.push_back({{"origin", e.origin}, {"entry", e.entry}, {"why", e.why}});
  return {{"file", info.config_file},
          {"deselected", info.config_deselected},
          {"suppressed", info.config_suppressed},
          {"stale", std::move(stale)}};
}

json to_json(const std::vector<exec::Verdict>& verdicts, const RunInfo& info) {
  const Tally t = tally(verdicts, info);
  json report;
  report["schema_version"] = k_json_schema_version;
  report["timestamp"] = info.timestamp;
  report["repo_root"] = info.repo_root;
  report["profile"] = catalog::profile_name(info.profile);
  report["total_rules"] = t.rules;
  report["passed_count"] = t.passed;
  report["failed_count"] = t.rules - t.passed;
  report["pass_rate"] = percent(t.passed, t.rules);
  report["status_counts"] = {{"PASS", t.passed}, {"FAIL", t.failed}, {"ERROR", t.errors}, {"SKIPPED", t.skipped}};

  json by_severity = json::object();
  for (catalog::Severity s : catalog::k_all_severities) {
    const Tally::PerSeverity& row = t.by_severity[static_cast<std::size_t>(s)];
    by_severity[std::string(catalog::severity_name(s))] = {{"total", row.rules},
                                                           {"passed", row.passed},
                                                           {"failed", row.rules - row.passed},
                                                           {"pass_rate", percent(row.passed, row.rules)}};
  }
  json critical = json::array();
  json results = json::array();
  const bool with_baseline = !info.baseline_file.empty();
  for (std::size_t i = 0; i < verdicts.size(); ++i) {
    const exec::Verdict& v = verdicts[i];
    json r = exec::to_json(v);
    // What the CLI decided after evaluation; the keys appear only when used,
    // so the reference shape is untouched otherwise.
    const Disposition& disposition = info.disposition(i);
    if (!disposition.suppressed_reason.empty()) r["suppressed"] = {{"reason", disposition.suppressed_reason}};
    if (!disposition.suppressed_findings.empty()) {
      json list = json::array();
      for (const auto& s : disposition.suppressed_findings)
        list.push_back({{"reason", s.reason}, {"finding", checks::to_json(s.finding)}});
      r["suppressed_findings"] = std::move(list);
    }
    if (with_baseline && (v.status == exec::Status::fail || v.status == exec::Status::error)) {
      r["baseline"] = disposition.baselined ? "known" : "new";
      // Each finding's own state: the one new secret among ten known ones is the one marked new.
      for (std::size_t k = 0; k < v.findings.size() && k < r["findings"].size(); ++k)
        r["findings"][k]["baseline_state"] = disposition.finding_known(k) ? "unchanged" : "new";
    }
    if (!v.passed() && v.severity == catalog::Severity::critical) critical.push_back(r);
    results.push_back(std::move(r));
  }
  report["summary"] = {{"by_severity", by_severity}, {"by_tier", json::object()}, {"critical_failures", critical}};
  if (t.suppressed > 0) report["summary"]["suppressed_count"] = t.suppressed;
  report["results"] = std::move(results);
  if (with_baseline) {
    json fixed = json::array();
    for (const auto& e : info.baseline_resolved)
      fixed.push_back({{"rule_id", e.rule_id}, {"fingerprint", e.fingerprint}, {"path", e.path}, {"kind", e.kind},
                       {"message", e.message}});
    report["baseline"] = {{"file", info.baseline_file},
                          {"known", t.known_findings},
                          {"new", t.new_findings},
                          {"fixed", std::move(fixed)}};
  }
  if (info.fail_on || !info.exit_zero.empty()) {
    // Why failures may not fail the run: the threshold, or report-only.
    json policy = json::object();
    if (info.fail_on) policy["fail_on"] = catalog::severity_name(*info.fail_on);
    if (!info.exit_zero.empty()) policy["exit_zero"] = info.exit_zero;
    report["exit_policy"] = std::move(policy);
  }

  json run;
  run["mode"] = info.mode;
  run["requested_mode"] = info.requested_mode;
  run["workers"] = info.workers;
  if (!info.start_method.empty()) run["start_method"] = info.start_method;
  run["fallback"] = info.fallback.empty() ? json(nullptr) : json(info.fallback);
  if (!info.fallback_reason.empty()) run["fallback_reason"] = info.fallback_reason;
  run["catalog"] = info.catalog_origin;
  run["config"] = config_json(info);
  if (info.stats != nullptr) {
    json phases = json::object();
    for (const auto& [name, seconds] : info.stats->phases()) phases[name] = seconds;
    json counters = json::object();
    for (const auto& [name, value] : info.stats->counters()) counters[name] = value;
    run["phases_seconds"] = std::move(phases);
    run["counters"] = std::move(counters);
  }
  report["run"] = std::move(run);
  return report;
}

}  // namespace sotcheck::report
