#include "sotcheck/exec/verdict.hpp"

#include "sotcheck/exec/evaluate.hpp"

#include "sotcheck/checks/file_error.hpp"
#include "sotcheck/snapshot/access_journal.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <exception>

namespace sotcheck::exec {

std::string_view status_name(Status s) {
  switch (s) {
    case Status::pass: return "PASS";
    case Status::fail: return "FAIL";
    case Status::error: return "ERROR";
    case Status::skipped: return "SKIPPED";
  }
  return "ERROR";
}

std::optional<Status> parse_status(std::string_view text) {
  for (Status s : {Status::pass, Status::fail, Status::error, Status::skipped})
    if (status_name(s) == text) return s;
  return std::nullopt;
}

std::string utc_timestamp_now(bool with_zone) {
  const auto now = std::chrono::system_clock::now();
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() % 1000000;
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  ::gmtime_r(&seconds, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06lld%s", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<long long>(micros), with_zone ? "Z" : "");
  return buf;
}

nlohmann::ordered_json to_json(const Verdict& v) {
  nlohmann::ordered_json j;
  j["rule_id"] = v.rule_id;
  j["status"] = status_name(v.status);
  j["passed"] = v.passed();
  j["severity"] = catalog::severity_name(v.severity);
  j["message"] = v.message;
  j["evidence"] = v.evidence;
  j["timestamp"] = v.timestamp;
  // Always present (empty for a pass), so consumers and the report's JSON Schema need no special case.
  nlohmann::ordered_json findings = nlohmann::ordered_json::array();
  for (const auto& f : v.findings) findings.push_back(checks::to_json(f));
  j["findings"] = std::move(findings);
  return j;
}

util::Result<Verdict> verdict_from_json(const nlohmann::ordered_json& j) {
  try {
    Verdict v;
    v.rule_id = j.at("rule_id").get<std::string>();
    const auto status = parse_status(j.at("status").get<std::string>());
    const auto severity = catalog::parse_severity(j.at("severity").get<std::string>());
    if (!status || !severity) return util::make_error("verdict has an unknown status or severity");
    v.status = *status;
    v.severity = *severity;
    v.message = j.at("message").get<std::string>();
    v.evidence = j.at("evidence");
    v.timestamp = j.at("timestamp").get<std::string>();
    if (const auto it = j.find("findings"); it != j.end())
      for (const auto& f : *it) v.findings.push_back(checks::finding_from_json(f));
    return v;
  } catch (const std::exception& e) {  // nlohmann's, or an unknown finding kind
    return util::make_error(std::string("malformed verdict: ") + e.what());
  }
}

Verdict error_verdict(const catalog::Rule& rule, std::string message, nlohmann::ordered_json evidence) {
  Verdict v;
  v.rule_id = rule.id;
  v.status = Status::error;
  v.severity = rule.severity;
  v.message = std::move(message);
  v.evidence = std::move(evidence);
  v.timestamp = utc_timestamp_now();
  return v;
}

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
