// GitHub Actions: workflow commands that turn findings into annotations on
// the pull request, and a Markdown job summary.
//
// GitHub shows at most 10 error and 10 warning (and 10 notice) annotations per
// step, so the most severe findings of each level are annotated, the rest are
// plain log lines, and one ::notice says how many more there are and where
// they all are (the job summary and the SARIF report).
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

/// The annotation budget of one step: per level, what is left.
struct Budget {
  std::size_t error = k_github_annotations_per_level;
  std::size_t warning = k_github_annotations_per_level;
  std::size_t notice = k_github_annotations_per_level - 1;  // one notice is kept for "N more"
  std::size_t held_back = 0;

  bool take(std::string_view level) {
    std::size_t& left = level == "error" ? error : level == "warning" ? warning : notice;
    if (left == 0) {
      ++held_back;
      return false;
    }
    --left;
    return true;
  }
};

std::string annotation(std::string_view level, const std::string& file, std::uint32_t line, std::uint32_t column,
                       const std::string& title, const std::string& message) {
  std::string properties;
  if (!file.empty()) {
    properties += "file=" + github_escape_property(file) + ",";
    if (line > 0) properties += "line=" + std::to_string(line) + ",";
    if (line > 0 && column > 0) properties += "col=" + std::to_string(column) + ",";
  }
  properties += "title=" + github_escape_property(title);
  // escape: tree-derived (file and message come from the tree)
  return "::" + std::string(level) + " " + properties + "::" + github_escape_data(message) + "\n";
}

/// A finding as a plain log line, for those past the annotation budget.
std::string log_line(const exec::Verdict& v, const checks::Finding& f) {
  // escape: tree-derived
  return "  " + github_escape_data(compiler_location(f) + ": " + v.rule_id + ": " + f.message) + "\n";
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
  Budget budget;
  const std::vector<std::size_t> order = by_severity(verdicts);
  for (std::size_t at = 0; at < order.size();) {
    const catalog::Severity s = verdicts[order[at]].severity;
    std::size_t end = at;
    while (end < order.size() && verdicts[order[end]].severity == s) ++end;
    out += "::group::" + github_escape_data(std::string(catalog::severity_name(s)) + ": " +
                                            counted(end - at, "rule", "rules") + " not passing") +
           "\n";
    for (; at < end; ++at) {
      const std::size_t i = order[at];
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
      std::string_view level = "warning";
      if (v.status == exec::Status::error || s <= catalog::Severity::high) level = "error";
      const bool known = v.status == exec::Status::fail && disposition.baselined;
      if (known) level = "notice";
      const catalog::Rule* rule = catalog.find(v.rule_id);
      std::string title = v.rule_id;
      if (rule != nullptr && !rule->title.empty()) title += ": " + rule->title;
      if (known) title += " (known failure, in baseline)";
      if (v.findings.empty()) {
        // Nothing to point at (an ERROR, mostly): an annotation on the run.
        const std::string message = v.status == exec::Status::error ? "Rule could not be evaluated: " + v.message
                                                                    : v.message;
        if (budget.take(level)) out += annotation(level, "", 0, 0, title, message);
        else out += "  " + v.rule_id + ": " + github_escape_data(message) + "\n";
        continue;
      }
      out += v.rule_id + ": " + github_escape_data(v.message) + "\n";
      for (std::size_t k = 0; k < v.findings.size(); ++k) {
        const checks::Finding& f = v.findings[k];
        // With a baseline, a known finding of a rule that also has new ones is a notice too.
        const std::string_view finding_level =
            !info.baseline_file.empty() && disposition.finding_known(k) ? std::string_view("notice") : level;
        const std::string finding_title =
            finding_level == "notice" && !known ? title + " (known, in baseline)" : title;
        if (!budget.take(finding_level)) {
          out += log_line(v, f);
          continue;
        }
        const FindingLocation where = location_of(f, probe);
        // A finding at the root folder has no file to sit on: an annotation on the run.
        const std::string file = where.path.empty() ? "" : options.path_prefix + where.path;
        out += annotation(finding_level, file, where.line, where.column, finding_title, f.message);
      }
    }
    out += "::endgroup::\n";
  }
  if (budget.held_back > 0)
    out += "::notice title=" + github_escape_property("sotcheck: more findings") + "::" +
           github_escape_data(counted(budget.held_back, "more finding is", "more findings are") +
                              " not annotated (GitHub shows 10 per level and step): the job summary lists every "
                              "finding, and --format sarif has them all for code scanning.") +
           "\n";
  const Tally t = tally(verdicts, info);
  out += "sotcheck: " + counted(t.rules, "rule", "rules") + ": " + std::to_string(t.passed) + " pass, " +
         std::to_string(t.failed) + " fail, " + std::to_string(t.errors) + " error, " + std::to_string(t.skipped) +
         " skipped (profile " + std::string(catalog::profile_name(info.profile)) + ")\n";
  return out;
}

std::string github_step_summary(const catalog::Catalog& catalog, const std::vector<exec::Verdict>& verdicts,
                                const RunInfo& info) {
  const Tally t = tally(verdicts, info);
  std::string out = "## sotcheck: ";
  out += t.failed + t.errors == 0 ? "no failures" : counted(t.failed + t.errors, "rule", "rules") + " not passing";
  out += "\n\n";
  out += "Profile `" + std::string(catalog::profile_name(info.profile)) + "` · " + counted(t.rules, "rule", "rules") +
         " · " + std::to_string(t.passed) + " passed · " + std::to_string(t.failed) + " failed · " +
         counted(t.errors, "error", "errors") + " · " + std::to_string(t.skipped) + " skipped · " +
         counted(t.findings, "finding", "findings") + "\n\n";
  out += "| Severity | Rules | Passed | Not passed |\n|---|---:|---:|---:|\n";
  for (catalog::Severity s : catalog::k_all_severities) {
    const auto& row = t.by_severity[static_cast<std::size_t>(s)];
    if (row.rules == 0) continue;
    out += "| " + std::string(catalog::severity_name(s)) + " | " + std::to_string(row.rules) + " | " +
           std::to_string(row.passed) + " | " + std::to_string(t.not_passed(s)) + " |\n";
  }
  const std::vector<std::size_t> order = by_severity(verdicts);
  if (!order.empty()) {
    out += "\n### Rules not passing\n\n| Rule | Title | Severity | Status | Findings | Message |\n"
           "|---|---|---|---|---:|---|\n";
    for (std::size_t i : order) {
      const exec::Verdict& v = verdicts[i];
      const catalog::Rule* rule = catalog.find(v.rule_id);
      const Disposition& disposition = info.disposition(i);
      std::string status(exec::status_name(v.status));
      if (v.status == exec::Status::fail && !disposition.suppressed_reason.empty())
        status += " (suppressed: " + disposition.suppressed_reason + ")";
      else if (v.status == exec::Status::fail && disposition.baselined)
        status += " (baseline)";
      else if (!disposition.suppressed_findings.empty())
        status += " (" + counted(disposition.suppressed_findings.size(), "finding", "findings") + " suppressed)";
      out += "| `" + markdown_cell(v.rule_id) + "` | " + markdown_cell(rule != nullptr ? rule->title : "") + " | " +
             std::string(catalog::severity_name(v.severity)) + " | " + markdown_cell(status) + " | " +
             std::to_string(v.findings.size()) + " | " + markdown_cell(v.message) + " |\n";
    }
  }
  if (t.findings > 0) {
    // Every finding, up to what GitHub accepts for a step summary.
    out += "\n### Findings\n\n| Rule | Location | Finding |\n|---|---|---|\n";
    std::size_t written = 0;
    bool full = false;
    for (std::size_t at = 0; at < order.size() && !full; ++at) {
      const exec::Verdict& v = verdicts[order[at]];
      for (std::size_t k = 0; k < v.findings.size() && !full; ++k) {
        const checks::Finding& f = v.findings[k];
        std::string row = "| `" + markdown_cell(v.rule_id) + "` | " + markdown_cell(compiler_location(f)) + " | " +
                          markdown_cell(f.message) + " |\n";
        full = out.size() + row.size() > k_step_summary_max_bytes - 1000;  // room for the closing line
        if (full) break;
        out += row;
        ++written;
      }
    }
    if (full)
      out += "\n… and " + counted(t.findings - written, "more finding", "more findings") +
             ": a step summary holds at most 1 MiB; the SARIF and JSON reports have them all.\n";
  }
  if (!info.baseline_file.empty())
    out += "\n### Baseline\n\n`" + markdown_cell(info.baseline_file) + "`: " + std::to_string(t.new_findings) +
           " new, " + std::to_string(t.known_findings) + " known, " +
           std::to_string(info.baseline_resolved.size()) + " fixed (fixed entries never fail the run).\n";
  if (!info.baseline_resolved.empty()) {
    out += "\n### Fixed since the baseline\n\n";
    for (const auto& e : info.baseline_resolved)
      out += "- `" + markdown_cell(e.rule_id) + "` " + markdown_cell(e.path.empty() ? "." : e.path) + ": " +
             markdown_cell(e.message) + "\n";
  }
  if (!info.config_file.empty()) {
    // A config can deselect and suppress: whoever reads the summary must see which one did.
    out += "\n### Config\n\n`" + markdown_cell(info.config_file) + "`: deselected " +
           counted(info.config_deselected, "rule", "rules") + ", suppressed " +
           counted(info.config_suppressed, "finding", "findings") + ".\n";
    for (const auto& e : info.config_stale)
      out += "- stale: `" + markdown_cell(e.entry) + "` at " + markdown_cell(e.origin) + " " + markdown_cell(e.why) +
             "\n";
  }
  return out;
}

}  // namespace sotcheck::report
