// SARIF 2.1.0 for code scanning: one result per finding, at the file and line
// the finding names (see location_of for files and folders that are missing).
// GitHub keeps at most 25,000 results of a run; beyond that the most severe
// are kept and the run says how many were left out.

#include <algorithm>
#include <cstdio>
#include <tuple>

#include "sotcheck/catalog/describe.hpp"
#include "sotcheck/report/report.hpp"
#include "sotcheck/util/strings.hpp"

namespace sotcheck::report {
namespace {

using json = nlohmann::ordered_json;

/// Percent-encodes a relative path for a URI: everything but RFC 3986's
/// unreserved characters and '/' (so spaces, '%', '#' and non-UTF-8 bytes are safe).
std::string uri_encode_path(std::string_view path) {
  static constexpr char k_hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : path) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                       c == '.' || c == '_' || c == '~' || c == '/';
    if (plain) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += k_hex[c >> 4];
      out += k_hex[c & 15];
    }
  }
  return out;
}

const char* level_for(catalog::Severity severity) {
  switch (severity) {
    case catalog::Severity::critical:
    case catalog::Severity::high: return "error";
    case catalog::Severity::medium: return "warning";
    case catalog::Severity::low:
    case catalog::Severity::info: return "note";
  }
  return "note";
}

/// GitHub's scale: 9.0+ critical, 7.0-8.9 high, 4.0-6.9 medium, below low.
const char* security_severity(catalog::Severity severity) {
  switch (severity) {
    case catalog::Severity::critical: return "9.5";
    case catalog::Severity::high: return "8.0";
    case catalog::Severity::medium: return "5.5";
    case catalog::Severity::low: return "3.0";
    case catalog::Severity::info: return "1.0";
  }
  return "1.0";
}

/// "Exactly 24 root folders" -> "Exactly24RootFolders": SARIF wants a Pascal-case
/// identifier as the rule's friendly name.
std::string pascal_name(const catalog::Rule& rule) {
  std::string out;
  bool start = true;
  for (char c : rule.title) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum) {
      start = true;
      continue;
    }
    out += start && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    start = false;
  }
  // An untitled rule is named after its id, prefixed so the name differs from the id.
  if (rule.title.empty()) {
    for (char c : rule.id)
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) out += c;
    out = "Rule" + out;
  } else if (out.empty() || (out[0] >= '0' && out[0] <= '9')) {
    out = "Rule" + out;
  }
  return out;
}

std::string sentence(std::string text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n')) text.pop_back();
  if (text.empty()) return text;
  const char last = text.back();
  if (last != '.' && last != '!' && last != '?') text += '.';
  return text;
}

json rule_descriptor(const catalog::Rule& rule, catalog::Profile info_profile) {
  const std::string checks = sentence(rule.title.empty() ? rule.id : rule.title);
  std::string full = checks + " Severity " + std::string(catalog::severity_name(rule.severity)) + ", family " +
                     rule.family + ", batch " + std::to_string(rule.batch) + ".";
  if (!rule.depends_on.empty()) full += " Depends on " + util::join(rule.depends_on, ", ") + ".";
  const std::string source = "rules/" + (rule.source_file.empty() ? std::string("catalog.yaml") : rule.source_file);
  const std::string fix = rule.fix.empty() ? std::string("Each result names the file or folder to change and what is "
                                                        "expected there; fix it so the rule holds.")
                                           : sentence(rule.fix);
  std::string help_text = "What it checks: " + catalog::describe_check(rule, info_profile) + "\n";
  if (!rule.rationale.empty()) help_text += "Why: " + sentence(rule.rationale) + "\n";
  help_text += "How to fix: " + fix + "\nDefined in " + source + "; `sotcheck rules show " + rule.id +
               "` prints the rule in full.";
  const std::string help_markdown = catalog::rule_help_markdown(rule);
  json d;
  d["id"] = rule.id;
  d["name"] = pascal_name(rule);
  d["shortDescription"] = {{"text", checks}};
  d["fullDescription"] = {{"text", full}};
  d["defaultConfiguration"] = {{"level", level_for(rule.severity)}};
  d["help"] = {{"text", help_text}, {"markdown", help_markdown}};
  json tags = json::array({rule.family});
  json properties = {{"tags", tags},
                     {"severity", catalog::severity_name(rule.severity)},
                     {"batch", rule.batch},
                     {"depends_on", rule.depends_on}};
  if (is_security_rule(rule)) {
    properties["tags"].push_back("security");
    properties["security-severity"] = security_severity(rule.severity);
  }
  d["properties"] = std::move(properties);
  return d;
}

json physical_location(const FindingLocation& where) {
  // The root folder itself is "./": an empty relative reference would be read as SRCROOT's own URI.
  const std::string uri = where.path.empty() ? std::string("./") : uri_encode_path(where.path);
  json location = {{"artifactLocation", {{"uri", uri}, {"uriBaseId", "SRCROOT"}}}};
  if (where.line > 0) {
    json region = {{"startLine", where.line}};
    if (where.column > 0) region["startColumn"] = where.column;
    location["region"] = std::move(region);
  }
  return location;
}

/// One result to write: a finding of a verdict, a finding a suppression took
/// out of it (suppressed >= 0), or the verdict itself (both < 0).
struct Entry {
  std::size_t verdict = 0;
  std::ptrdiff_t finding = -1;
  std::ptrdiff_t suppressed = -1;
};

/// Every result of the run in catalog order; beyond `limit`, the most severe
/// are kept. Returns how many were left out.
std::size_t select_entries(const std::vector<exec::Verdict>& verdicts, const RunInfo& info, std::size_t limit,
                           std::vector<Entry>* out) {
  std::vector<Entry> all;
  for (std::size_t i = 0; i < verdicts.size(); ++i) {
    const exec::Verdict& v = verdicts[i];
    const Disposition& d = info.disposition(i);
    // Suppressed results stay in the log, marked, as SARIF intends.
    if (v.findings.empty() && d.suppressed_findings.empty() && !d.suppressed_reason.empty()) all.push_back({i, -1, -1});
    for (std::size_t k = 0; k < d.suppressed_findings.size(); ++k)
      all.push_back({i, -1, static_cast<std::ptrdiff_t>(k)});
    if (v.status != exec::Status::fail && v.status != exec::Status::error) continue;
    if (v.findings.empty()) all.push_back({i, -1, -1});
    for (std::size_t k = 0; k < v.findings.size(); ++k) all.push_back({i, static_cast<std::ptrdiff_t>(k), -1});
  }
  if (all.size() <= limit) {
    *out = std::move(all);
    return 0;
  }
  std::stable_sort(all.begin(), all.end(),
                   [&](const Entry& a, const Entry& b) { return verdicts[a.verdict].severity < verdicts[b.verdict].severity; });
  const std::size_t dropped = all.size() - limit;
  all.resize(limit);
  std::sort(all.begin(), all.end(),
            [](const Entry& a, const Entry& b) {
              return std::tie(a.verdict, a.suppressed, a.finding) < std::tie(b.verdict, b.suppressed, b.finding);
            });
  *out = std::move(all);
  return dropped;
}

}  // namespace

json to_sarif(const catalog::Catalog& catalog, const std::vector<exec::Verdict>& verdicts, const RunInfo& info,
              const FileProbe& probe) {
  json driver;
  driver["name"] = "sotcheck";
  driver["version"] = SOTCHECK_VERSION;
  driver["semanticVersion"] = SOTCHECK_VERSION;
  json rules = json::array();
  for (const auto& rule : catalog.rules) rules.push_back(rule_descriptor(rule, info.profile));
  driver["rules"] = std::move(rules);

  std::vector<Entry> entries;
  const std::size_t dropped = select_entries(verdicts, info, k_sarif_max_results, &entries);
  const bool with_baseline = !info.baseline_file.empty();
  json results = json::array();
  for (const Entry& entry : entries) {
    const exec::Verdict& v = verdicts[entry.verdict];
    const auto index = catalog.index_of(v.rule_id);
    json r;
    r["ruleId"] = v.rule_id;
    if (index) r["ruleIndex"] = *index;
    r["level"] = v.status == exec::Status::error ? "error" : level_for(v.severity);
    const Disposition& disposition = info.disposition(entry.verdict);
    const checks::Finding* finding = nullptr;
    std::string justification = disposition.suppressed_reason;
    if (entry.suppressed >= 0) {
      const SuppressedFinding& s = disposition.suppressed_findings[static_cast<std::size_t>(entry.suppressed)];
      finding = &s.finding;
      justification = s.reason;
      r["level"] = level_for(v.severity);
    } else if (entry.finding >= 0) {
      finding = &v.findings[static_cast<std::size_t>(entry.finding)];
    }
    if (finding != nullptr) {
      r["message"] = {{"text", sentence(finding->message.empty() ? v.message : finding->message)}};
      r["locations"] = json::array({{{"physicalLocation", physical_location(location_of(*finding, probe))}}});
      r["partialFingerprints"] = {{"sotcheck/finding/v1", finding_fingerprint(v.rule_id, *finding)}};
    } else {
      // A verdict without findings (an ERROR, mostly) concerns the run, not a place in the tree.
      const std::string text = v.status == exec::Status::error ? "Rule could not be evaluated: " + v.message : v.message;
      r["message"] = {{"text", sentence(text.empty() ? v.rule_id + " failed" : text)}};
      r["partialFingerprints"] = {{"sotcheck/v1", fingerprint(v, info.repo_root)}};
    }
    const bool suppressed = entry.suppressed >= 0 || (entry.finding < 0 && !disposition.suppressed_reason.empty());
    if (suppressed)
      r["suppressions"] = json::array({{{"kind", "external"}, {"status", "accepted"}, {"justification", justification}}});
    // A suppressed finding never reached the baseline comparison: it has no state.
    if (with_baseline && entry.suppressed < 0) {
      const bool known = entry.finding >= 0 ? disposition.finding_known(static_cast<std::size_t>(entry.finding))
                                            : disposition.baselined;
      r["baselineState"] = known ? "unchanged" : "new";
    }
    json properties = {{"status", exec::status_name(v.status)}, {"severity", catalog::severity_name(v.severity)}};
    if (finding != nullptr) properties["kind"] = checks::finding_kind_name(finding->kind);
    r["properties"] = std::move(properties);
    results.push_back(std::move(r));
  }
  // Baseline entries that no longer occur: SARIF's "absent" state, so a viewer can show what was fixed.
  for (const BaselineEntry& e : info.baseline_resolved) {
    json r;
    r["ruleId"] = e.rule_id;
    if (const auto index = catalog.index_of(e.rule_id)) r["ruleIndex"] = *index;
    r["level"] = "none";
    r["kind"] = "pass";
    r["message"] = {{"text", sentence("Fixed since the baseline: " + (e.message.empty() ? e.rule_id : e.message))}};
    if (!e.path.empty())
      r["locations"] = json::array(
          {{{"physicalLocation", {{"artifactLocation", {{"uri", uri_encode_path(e.path)}, {"uriBaseId", "SRCROOT"}}}}}}});
    r["partialFingerprints"] = {{e.kind == "verdict" ? "sotcheck/v1" : "sotcheck/finding/v1", e.fingerprint}};
    r["baselineState"] = "absent";
    results.push_back(std::move(r));
  }

  json run;
  run["tool"] = {{"driver", std::move(driver)}};
  std::string root_uri = "file://" + uri_encode_path(info.repo_root);
  if (root_uri.empty() || root_uri.back() != '/') root_uri += '/';
  run["originalUriBaseIds"] = {
      {"SRCROOT", {{"uri", root_uri}, {"description", {{"text", "The root of the validated repository."}}}}}};
  json invocation = {{"executionSuccessful", true}};
  if (dropped > 0)
    invocation["toolExecutionNotifications"] = json::array(
        {{{"level", "warning"},
          {"message",
           {{"text", counted(dropped, "less severe result was", "less severe results were") +
                         " left out: code scanning keeps at most " +
                         std::to_string(k_sarif_max_results) + " per run; the JSON report has them all."}}}}});
  run["invocations"] = json::array({std::move(invocation)});
  run["results"] = std::move(results);
  run["columnKind"] = "utf16CodeUnits";
  run["properties"] = {{"profile", catalog::profile_name(info.profile)}};
  if (!info.config_file.empty()) run["properties"]["config"] = config_json(info);

  json log;
  log["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
  log["version"] = "2.1.0";
  log["runs"] = json::array({std::move(run)});
  return log;
}

}  // namespace sotcheck::report
