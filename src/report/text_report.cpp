// The text report, for people at a terminal or reading a CI log: what failed,
// and for each failure the exact places, compiler-style (path:line:col:
// message), which terminals and editors turn into links.

#include <algorithm>
#include <cstdio>

#include "sotcheck/report/report.hpp"

namespace sotcheck::report {
namespace {

const char* colour_of(exec::Status status, catalog::Severity severity) {
  if (status == exec::Status::pass) return "\033[32m";
  if (status == exec::Status::error) return "\033[35m";
  if (status == exec::Status::skipped) return "\033[90m";
  return severity <= catalog::Severity::high ? "\033[31m" : "\033[33m";
}

std::string padded(std::string_view text, std::size_t width) {
  std::string out(text);
  if (out.size() < width) out.append(width - out.size(), ' ');
  return out;
}

std::string right_aligned(std::size_t value, std::size_t width) {
  std::string text = std::to_string(value);
  return text.size() < width ? std::string(width - text.size(), ' ') + text : text;
}

struct Painter {
  bool colour = false;
  const char* reset() const { return colour ? "\033[0m" : ""; }
  const char* bold() const { return colour ? "\033[1m" : ""; }
  const char* of(exec::Status status, catalog::Severity severity) const {
    return colour ? colour_of(status, severity) : "";
  }
};

/// "  FAIL   AR001  message": status and rule id padded so messages line up.
std::string rule_line(const exec::Verdict& v, std::size_t id_width, const Painter& paint) {
  constexpr std::size_t k_status_width = 7;  // "SKIPPED"
  // escape: tree-derived (the message may quote names from the tree)
  return std::string("  ") + paint.of(v.status, v.severity) + padded(exec::status_name(v.status), k_status_width) +
         paint.reset() + "  " + padded(v.rule_id, id_width) + "  " + v.message + "\n";
}

std::string findings_lines(const exec::Verdict& v, bool show_all) {
  std::string out;
  const std::size_t shown = show_all ? v.findings.size() : std::min(v.findings.size(), k_findings_per_rule);
  for (std::size_t k = 0; k < shown; ++k) {
    const checks::Finding& f = v.findings[k];
    // escape: tree-derived (path and message come from the tree)
    out += "    " + compiler_location(f) + ": " + f.message + "\n";
  }
  if (shown < v.findings.size())
    out += "    ... and " + std::to_string(v.findings.size() - shown) + " more (--show-all)\n";
  return out;
}

std::string summary_table(const Tally& t, const Painter& paint) {
  std::string out = std::string("\n") + paint.bold() + "Summary" + paint.reset() + "\n";
  out += "  Severity  Rules  Passed  Not passed\n";
  for (catalog::Severity s : catalog::k_all_severities) {
    const auto& row = t.by_severity[static_cast<std::size_t>(s)];
    if (row.rules == 0) continue;
    out += "  " + padded(catalog::severity_name(s), 8) + "  " + right_aligned(row.rules, 5) + "  " +
           right_aligned(row.passed, 6) + "  " + right_aligned(t.not_passed(s), 10) + "\n";
  }
  out += "  " + std::to_string(t.passed) + " passed, " + std::to_string(t.failed) + " failed, " +
         counted(t.errors, "error", "errors") + ", " + std::to_string(t.skipped) + " skipped; " +
         counted(t.findings, "finding", "findings") + "\n";
  return out;
}

}  // namespace

std::string verdict_line(const std::vector<exec::Verdict>& verdicts, const RunInfo& info) {
  const Tally t = tally(verdicts, info);
  std::string line;
  if (t.failed > 0) {
    line = counted(t.failed, "rule", "rules") + " failed";
    if (t.critical_failed > 0) line += " (" + std::to_string(t.critical_failed) + " critical)";
  }
  if (t.errors > 0) {
    if (!line.empty()) line += ", ";
    line += counted(t.errors, "rule", "rules") + " could not be evaluated";
  }
  if (line.empty()) {
    line = t.skipped == 0 ? (t.rules == 1 ? "the rule passed" : "all " + counted(t.rules, "rule", "rules") + " passed")
                          : "no rule failed (" + std::to_string(t.skipped) + " skipped)";
  }
  if (t.suppressed + t.baselined > 0) {
    line += "; not failing the run: " + std::to_string(t.suppressed) + " suppressed, " + std::to_string(t.baselined) +
            " in the baseline";
  }
  if (info.exit_code >= 0) line += ": exit " + std::to_string(info.exit_code);
  return line + "\n";
}

namespace {
/// After the bold "sotcheck": the tree, the profile, the rule count and, when
/// a config shaped the run, which one and what it took away (a tree's own
/// config can deselect rules: the reader must see that).
std::string header_rest(const std::vector<exec::Verdict>& verdicts, const RunInfo& info) {
  std::string out = " " + info.repo_root + " (profile " + std::string(catalog::profile_name(info.profile)) + ", " +
                    counted(verdicts.size(), "rule", "rules") + ")\n";
  if (!info.config_file.empty())
    out += "config " + info.config_file + " (deselected " + counted(info.config_deselected, "rule", "rules") +
           ", suppressed " + counted(info.config_suppressed, "failure", "failures") + ")\n";
  return out;
}
}  // namespace

std::string text_summary(const std::vector<exec::Verdict>& verdicts, const RunInfo& info) {
  return "sotcheck" + header_rest(verdicts, info) + summary_table(tally(verdicts, info), Painter{}) +
         verdict_line(verdicts, info);
}

std::string to_text(const std::vector<exec::Verdict>& verdicts, const RunInfo& info, const TextOptions& options) {
  const Painter paint{options.colour};
  std::string out = std::string(paint.bold()) + "sotcheck" + paint.reset() + header_rest(verdicts, info);
  std::size_t id_width = 0;
  for (const auto& v : verdicts)
    if (!v.passed() || options.verbose) id_width = std::max(id_width, v.rule_id.size());

  // Failures first, most severe first: that is what the reader came for.
  bool first = true;
  catalog::Severity heading = catalog::Severity::info;
  for (std::size_t i : by_severity(verdicts)) {
    const exec::Verdict& v = verdicts[i];
    if (first || v.severity != heading) {
      out += std::string("\n") + paint.bold() + std::string(catalog::severity_name(v.severity)) + paint.reset() + "\n";
      heading = v.severity;
      first = false;
    }
    out += rule_line(v, id_width, paint);
    out += findings_lines(v, options.show_all);
    if (options.explain)
      for (const std::string& line : options.explain(v.rule_id)) out += "    " + line + "\n";
  }
  if (options.verbose) {
    out += std::string("\n") + paint.bold() + "PASSED" + paint.reset() + "\n";
    for (const auto& v : verdicts)
      if (v.passed()) out += rule_line(v, id_width, paint);
  }
  out += options.appendix;
  out += summary_table(tally(verdicts, info), paint);
  out += verdict_line(verdicts, info);  // always last: what a CI log's tail shows
  return out;
}

std::string stats_text(const util::RunStats& stats) {
  std::string out = "sotcheck --stats\n";
  char line[160];
  for (const auto& [name, seconds] : stats.phases()) {
    std::snprintf(line, sizeof line, "  %-22s %10.3f ms\n", name.c_str(), seconds * 1000.0);
    out += line;
  }
  for (const auto& [name, value] : stats.counters()) {
    std::snprintf(line, sizeof line, "  %-22s %10llu\n", name.c_str(), static_cast<unsigned long long>(value));
    out += line;
  }
  return out;
}

}  // namespace sotcheck::report
