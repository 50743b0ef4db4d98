// The text report, for people at a terminal or reading a CI log: what failed,
// and for each failure the exact places, compiler-style (path:line:col:
// message), which terminals and editors turn into links.

#include <algorithm>
#include <cstdio>
#include <functional>

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

/// "  FAIL   AR001  message": status and rule id padded so messages line up;
/// `label` (e.g. "[below --fail-on HIGH] ") goes before the message.
std::string rule_line(const exec::Verdict& v, std::size_t id_width, const Painter& paint,
                      const std::string& label = "") {
  constexpr std::size_t k_status_width = 7;  // "SKIPPED"
  // escape: tree-derived (the message may quote names from the tree)
  return std::string("  ") + paint.of(v.status, v.severity) + padded(exec::status_name(v.status), k_status_width) +
         paint.reset() + "  " + padded(v.rule_id, id_width) + "  " + label + v.message + "\n";
}

/// The findings of `v` that `wanted` accepts (by index), cut unless show_all.
std::string findings_lines(const exec::Verdict& v, bool show_all, const std::function<bool(std::size_t)>& wanted) {
  std::vector<std::size_t> picked;
  for (std::size_t k = 0; k < v.findings.size(); ++k)
    if (wanted(k)) picked.push_back(k);
  std::string out;
  const std::size_t shown = show_all ? picked.size() : std::min(picked.size(), k_findings_per_rule);
  for (std::size_t n = 0; n < shown; ++n) {
    const checks::Finding& f = v.findings[picked[n]];
    // escape: tree-derived (path and message come from the tree)
    out += "    " + compiler_location(f) + ": " + f.message + "\n";
  }
  if (shown < picked.size()) out += "    ... and " + std::to_string(picked.size() - shown) + " more (--show-all)\n";
  return out;
}

/// "[below --fail-on HIGH] " for a failure that does not fail the run because of its severity.
std::string threshold_label(const exec::Verdict& v, const Disposition& d, const RunInfo& info) {
  if (v.status != exec::Status::fail || d.baselined || !info.fail_on || v.severity <= *info.fail_on) return "";
  return "[below --fail-on " + std::string(catalog::severity_name(*info.fail_on)) + "] ";
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
  if (!info.baseline_file.empty())
    line += "; baseline: " + std::to_string(t.new_findings) + " new, " + std::to_string(t.known_findings) +
            " known, " + std::to_string(info.baseline_resolved.size()) + " fixed";
  if (t.suppressed > 0) line += "; " + counted(t.suppressed, "rule passes", "rules pass") + " by suppression";
  if (info.exit_code >= 0) line += ": exit " + std::to_string(info.exit_code);
  if (info.exit_code == 0 && t.failed > 0) {
    // Say why failures did not fail the run, so nobody mistakes a green run for a clean one.
    if (!info.exit_zero.empty()) {
      line += " (" + info.exit_zero + ": failures are reported, not fatal)";
    } else {
      std::vector<std::string> why;
      if (t.baselined > 0) why.push_back("known in the baseline");
      if (t.below_threshold > 0 && info.fail_on)
        why.push_back("below --fail-on " + std::string(catalog::severity_name(*info.fail_on)));
      if (!why.empty()) {
        std::string joined = why[0];
        for (std::size_t k = 1; k < why.size(); ++k) joined += " or " + why[k];
        line += " (every failing rule is " + joined + ")";
      }
    }
  }
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
           ", suppressed " + counted(info.config_suppressed, "finding", "findings") + ")\n";
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

  // Failures first, most severe first: that is what the reader came for. With
  // a baseline only new findings are listed here; known ones are counted (or
  // listed after, with --show-known), so the one new failure is never buried.
  const bool with_baseline = !info.baseline_file.empty();
  if (with_baseline) out += std::string("\n") + paint.bold() + "New (not in the baseline " + info.baseline_file + ")" + paint.reset() + "\n";
  bool first = true;
  catalog::Severity heading = catalog::Severity::info;
  std::size_t known_rules = 0, known_findings = 0;
  for (std::size_t i : by_severity(verdicts)) {
    const exec::Verdict& v = verdicts[i];
    const Disposition& d = info.disposition(i);
    std::size_t known_here = 0;
    if (with_baseline) {
      for (std::size_t k = 0; k < v.findings.size(); ++k) known_here += d.finding_known(k) ? 1 : 0;
      if (v.findings.empty() && d.baselined) known_here = 1;
      known_findings += known_here;
      known_rules += known_here > 0 ? 1 : 0;
      if (d.baselined) continue;
    }
    if (first || v.severity != heading) {
      out += std::string("\n") + paint.bold() + std::string(catalog::severity_name(v.severity)) + paint.reset() + "\n";
      heading = v.severity;
      first = false;
    }
    out += rule_line(v, id_width, paint, threshold_label(v, d, info));
    out += findings_lines(v, options.show_all, [&](std::size_t k) { return !d.finding_known(k); });
    if (known_here > 0) out += "    (+" + counted(known_here, "known finding", "known findings") + ")\n";
    if (options.explain)
      for (const std::string& line : options.explain(v.rule_id)) out += "    " + line + "\n";
  }
  if (with_baseline && first) out += "  none\n";
  if (with_baseline && known_findings > 0 && !options.show_known) {
    out += "\n" + counted(known_findings, "known finding", "known findings") + " of " +
           counted(known_rules, "rule", "rules") + " in the baseline not shown (--show-known lists them)\n";
  } else if (with_baseline && known_findings > 0) {
    out += std::string("\n") + paint.bold() + "Known (in the baseline)" + paint.reset() + "\n";
    for (std::size_t i : by_severity(verdicts)) {
      const exec::Verdict& v = verdicts[i];
      const Disposition& d = info.disposition(i);
      bool any = v.findings.empty() && d.baselined;
      for (std::size_t k = 0; k < v.findings.size(); ++k) any = any || d.finding_known(k);
      if (!any) continue;
      out += rule_line(v, id_width, paint);
      out += findings_lines(v, options.show_all, [&](std::size_t k) { return d.finding_known(k); });
    }
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
