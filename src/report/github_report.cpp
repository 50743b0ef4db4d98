// GitHub Actions: workflow commands that turn failures into annotations on
// the pull request, and a Markdown job summary.
//
// Escaping follows the runner's command parser (actions/toolkit command.ts):
// in the message '%', CR and LF become %25, %0D, %0A; property values
// additionally escape ':' and ',' (%3A, %2C), which would otherwise end the
// property. An unescaped newline would end the command and leak the rest of
// the message as a log line, or worse, start another command.

#include <cstdio>

#include "sotcheck/report/report.hpp"

namespace sotcheck::report {
namespace {

using json = nlohmann::ordered_json;

constexpr std::size_t k_items_in_annotation = 10;
constexpr std::size_t k_summary_rows = 100;

/// Markdown table cells: no pipes, no line breaks, no HTML.
std::string markdown_cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '|': out += "\\|"; break;
      case '\n':
      case '\r': out += ' '; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '`': out += "\\`"; break;
      default: out += c;
    }
  }
  return out;
}

std::string annotation_message(const exec::Verdict& v, const std::vector<std::string>& items) {
  std::string text = v.status == exec::Status::error ? "Rule could not be evaluated: " + v.message : v.message;
  for (std::size_t i = 0; i < items.size() && i < k_items_in_annotation; ++i) text += "\n  " + items[i];
  if (items.size() > k_items_in_annotation)
    text += "\n  ... and " + std::to_string(items.size() - k_items_in_annotation) + " more";
  return text;
}

}  // namespace

std::string github_escape_data(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '%') out += "%25";
    else if (c == '\r') out += "%0D";
    else if (c == '\n') out += "%0A";
    else out += c;
  }
  return out;
}

std::string github_escape_property(std::string_view text) {
  std::string out;
  for (char c : github_escape_data(text)) {
    if (c == ':') out += "%3A";
    else if (c == ',') out += "%2C";
    else out += c;
  }
  return out;
}

std::string to_github(const catalog::Catalog& catalog, const std::vector<exec::Verdict>& verdicts,
                      const RunInfo& info, const FileProbe& probe, const GithubOptions& options) {
  std::string out;
  std::size_t counts[4] = {0, 0, 0, 0};
  for (const auto& v : verdicts) ++counts[static_cast<int>(v.status)];

  for (catalog::Severity s : catalog::k_all_severities) {
    std::vector<std::size_t> members;
    for (std::size_t i = 0; i < verdicts.size(); ++i)
      if (verdicts[i].severity == s && !verdicts[i].passed()) members.push_back(i);
    if (members.empty()) continue;
    const std::string severity(catalog::severity_name(s));
    out += "::group::" + github_escape_data(severity + ": " + std::to_string(members.size()) + " rule" +
                                            (members.size() == 1 ? "" : "s") + " not passing") +
           "\n";
    for (std::size_t i : members) {
      const exec::Verdict& v = verdicts[i];
      const Disposition& disposition = info.disposition(i);
      if (v.status == exec::Status::skipped) {
        out += "SKIPPED " + v.rule_id + ": " + github_escape_data(v.message) + "\n";
        continue;
      }
      if (v.status == exec::Status::fail && !disposition.suppressed_reason.empty()) {
        // Suppressed on purpose: visible in the log, but no annotation on the diff.
        out += "SUPPRESSED " + v.rule_id + ": " + github_escape_data(v.message) + " (reason: " +
               github_escape_data(disposition.suppressed_reason) + ")\n";
        continue;
      }
      const char* command = "warning";
      if (v.status == exec::Status::error || s <= catalog::Severity::high) command = "error";
      if (v.status == exec::Status::fail && disposition.baselined) command = "notice";
      const catalog::Rule* rule = catalog.find(v.rule_id);
      std::string title = v.rule_id;
      if (rule != nullptr && !rule->title.empty()) title += ": " + rule->title;
      if (v.status == exec::Status::fail && disposition.baselined) title += " (known failure, in baseline)";
      std::string properties;
      if (const auto file = location_for(v, info.repo_root, probe))
        properties += "file=" + github_escape_property(options.path_prefix + *file) + ",line=1,";
      properties += "title=" + github_escape_property(title);
      out += "::" + std::string(command) + " " + properties +
             "::" + github_escape_data(annotation_message(v, offending_paths(v, info.repo_root))) + "\n";
    }
    out += "::endgroup::\n";
  }
  char line[200];
  std::snprintf(line, sizeof line, "sotcheck: %zu rules: %zu pass, %zu fail, %zu error, %zu skipped (profile %s)\n",
                verdicts.size(), counts[0], counts[1], counts[2], counts[3],
                std::string(catalog::profile_name(info.profile)).c_str());
  out += line;
  return out;
}

std::string github_step_summary(const catalog::Catalog& catalog, const std::vector<exec::Verdict>& verdicts,
                                const RunInfo& info) {
  std::size_t counts[4] = {0, 0, 0, 0};
  for (const auto& v : verdicts) ++counts[static_cast<int>(v.status)];
  std::string out = "## sotcheck: ";
  out += counts[1] + counts[2] == 0 ? "no failures" : std::to_string(counts[1] + counts[2]) + " rules not passing";
  out += "\n\n";
  out += "Profile `" + std::string(catalog::profile_name(info.profile)) + "` · " + std::to_string(verdicts.size()) +
         " rules · " + std::to_string(counts[0]) + " passed · " + std::to_string(counts[1]) + " failed · " +
         std::to_string(counts[2]) + " errors · " + std::to_string(counts[3]) + " skipped\n\n";
  out += "| Severity | Rules | Passed | Not passed |\n|---|---:|---:|---:|\n";
  for (catalog::Severity s : catalog::k_all_severities) {
    std::size_t total = 0, ok = 0;
    for (const auto& v : verdicts)
      if (v.severity == s) {
        ++total;
        ok += v.passed() ? 1 : 0;
      }
    if (total == 0) continue;
    out += "| " + std::string(catalog::severity_name(s)) + " | " + std::to_string(total) + " | " +
           std::to_string(ok) + " | " + std::to_string(total - ok) + " |\n";
  }
  std::size_t rows = 0, not_passing = 0;
  std::string table;
  for (catalog::Severity s : catalog::k_all_severities)
    for (std::size_t i = 0; i < verdicts.size(); ++i) {
      const exec::Verdict& v = verdicts[i];
      if (v.severity != s || v.passed()) continue;
      ++not_passing;
      if (rows >= k_summary_rows) continue;
      ++rows;
      const catalog::Rule* rule = catalog.find(v.rule_id);
      const Disposition& disposition = info.disposition(i);
      std::string status(exec::status_name(v.status));
      if (v.status == exec::Status::fail && !disposition.suppressed_reason.empty())
        status += " (suppressed: " + disposition.suppressed_reason + ")";
      else if (v.status == exec::Status::fail && disposition.baselined)
        status += " (baseline)";
      table += "| `" + markdown_cell(v.rule_id) + "` | " + markdown_cell(rule != nullptr ? rule->title : "") + " | " +
               std::string(catalog::severity_name(s)) + " | " + markdown_cell(status) + " | " +
               markdown_cell(v.message) + " |\n";
    }
  if (not_passing > 0) {
    out += "\n### Rules not passing\n\n| Rule | Title | Severity | Status | Message |\n|---|---|---|---|---|\n";
    out += table;
    if (not_passing > rows) out += "\n… and " + std::to_string(not_passing - rows) + " more (see the full report).\n";
  }
  if (!info.baseline_resolved.empty()) {
    out += "\n### Baseline entries that no longer occur\n\n";
    for (const auto& e : info.baseline_resolved)
      out += "- `" + markdown_cell(e.rule_id) + "` (" + e.fingerprint + ") " + markdown_cell(e.message) + "\n";
  }
  return out;
}

}  // namespace sotcheck::report
