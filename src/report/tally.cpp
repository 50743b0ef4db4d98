// How the verdicts of a run add up: one count that the text, GitHub and JUnit
// reports and the verdict line all read, so they never disagree.

#include "sotcheck/report/report.hpp"

namespace sotcheck::report {

Tally tally(const std::vector<exec::Verdict>& verdicts, const RunInfo& info) {
  Tally t;
  t.rules = verdicts.size();
  for (std::size_t i = 0; i < verdicts.size(); ++i) {
    const exec::Verdict& v = verdicts[i];
    auto& row = t.by_severity[static_cast<std::size_t>(v.severity)];
    ++row.rules;
    const Disposition& d = info.disposition(i);
    if (!d.suppressed_reason.empty()) ++t.suppressed;
    const bool counts = v.status == exec::Status::fail || v.status == exec::Status::error;
    if (counts && !info.baseline_file.empty()) {
      for (std::size_t k = 0; k < v.findings.size(); ++k) ++(d.finding_known(k) ? t.known_findings : t.new_findings);
      if (v.findings.empty()) ++(d.baselined ? t.known_findings : t.new_findings);
    }
    switch (v.status) {
      case exec::Status::pass:
        ++t.passed;
        ++row.passed;
        break;
      case exec::Status::fail: {
        ++t.failed;
        if (v.severity == catalog::Severity::critical) ++t.critical_failed;
        if (d.suppressed_reason.empty() && d.baselined) ++t.baselined;
        else if (d.suppressed_reason.empty() && info.fail_on && v.severity > *info.fail_on) ++t.below_threshold;
        t.findings += v.findings.size();
        break;
      }
      case exec::Status::error:
        ++t.errors;
        t.findings += v.findings.size();
        break;
      case exec::Status::skipped: ++t.skipped; break;
    }
  }
  return t;
}

std::string counted(std::size_t count, std::string_view singular, std::string_view plural) {
  return std::to_string(count) + " " + std::string(count == 1 ? singular : plural);
}

}  // namespace sotcheck::report
