#include "sotcheck/exec/verdict.hpp"

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

}  // namespace sotcheck::exec
