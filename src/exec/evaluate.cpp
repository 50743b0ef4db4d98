// Evaluating one rule on an image (evaluate.hpp): its check, then the message
// and evidence the catalog renders from the check's outputs, or an ERROR verdict
// that says why there is none.

#include "sotcheck/exec/evaluate.hpp"

#include <exception>

#include "sotcheck/checks/file_error.hpp"
#include "sotcheck/snapshot/access_journal.hpp"

namespace sotcheck::exec {

namespace {

/// The verdict of a rule that needed entries the snapshot could not read: whatever the check concluded
/// rests on a partial view (a directory it could not list looks empty, a file it could not read has no
/// keys), so it is neither a pass nor a failure. One `unreadable` finding per entry, with the OS reason.
Verdict unreadable_verdict(const catalog::Rule& rule, const snapshot::ImageView& image,
                           const std::vector<std::uint32_t>& touched, bool with_zone) {
  nlohmann::ordered_json paths = nlohmann::ordered_json::array();
  std::vector<checks::Finding> findings;
  for (const std::uint32_t entry : touched) {
    const std::string path = entry == 0 ? std::string(checks::k_repository_path) : std::string(image.path(entry));
    const std::string reason(snapshot::unreadable_reason_text(image, entry));
    paths.push_back({{"path", path}, {"reason", reason}});
    checks::Finding f = checks::make_finding(path, checks::FindingKind::unreadable, path + ": " + reason);
    f.actual = reason;
    findings.push_back(std::move(f));
  }
  const std::string first = findings.front().path + " (" + findings.front().actual + ")";
  const std::string more = touched.size() > 1 ? " and " + std::to_string(touched.size() - 1) + " more" : "";
  Verdict v = error_verdict(rule, "Could not read what this rule needs: " + first + more,
                            {{"error", "unreadable input"}, {"error_type", "unreadable"}, {"unreadable", paths}});
  v.findings = std::move(findings);
  v.timestamp = utc_timestamp_now(with_zone);
  return v;
}

}  // namespace

Verdict evaluate_rule(const catalog::Rule& rule, checks::Profile profile, const snapshot::ImageView& image,
                      checks::CheckCaches* caches) {
  const catalog::CompiledRule& compiled = rule.for_profile(profile);
  const bool with_zone = profile == checks::Profile::strict;
  try {
    const checks::EvalContext context{image, profile, caches};
    const snapshot::AccessJournal journal;
    checks::Outputs outputs = compiled.check->evaluate(context);
    if (const auto touched = journal.touched(); !touched.empty())
      return unreadable_verdict(rule, image, touched, with_zone);
    const bool passed = compiled.report_only || outputs.passed;
    Verdict v;
    v.rule_id = rule.id;
    v.status = passed ? Status::pass : Status::fail;
    v.severity = rule.severity;
    if (outputs.message) {
      v.message = *outputs.message;
    } else {
      v.message = compiled.message.render(outputs.values, passed);
    }
    if (outputs.evidence) {
      v.evidence = std::move(*outputs.evidence);
    } else {
      for (const auto& item : compiled.evidence) v.evidence[item.key] = item.evaluate(outputs.values, passed);
    }
    for (auto& [key, value] : outputs.notes.items()) v.evidence[key] = value;
    if (!passed) v.findings = std::move(outputs.findings);
    v.timestamp = utc_timestamp_now(with_zone);
    return v;
  } catch (const checks::FileError& e) {
    // Same message and evidence as any exception; the finding names the file that caused it.
    Verdict v = error_verdict(rule, std::string("Execution error: ") + e.what(),
                              {{"error", e.what()}, {"error_type", "exception"}});
    v.findings.push_back(e.finding());
    return v;
  } catch (const std::exception& e) {
    return error_verdict(rule, std::string("Execution error: ") + e.what(),
                         {{"error", e.what()}, {"error_type", "exception"}});
  }
}

}  // namespace sotcheck::exec
