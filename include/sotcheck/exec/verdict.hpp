#pragma once
/// Verdicts: a rule's outcome. Serialisable (JSON) so worker processes can
/// send them back and reports can print them; the same bytes whichever
/// executor computed them.

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sotcheck/catalog/model.hpp"
#include "sotcheck/checks/finding.hpp"
#include "sotcheck/util/result.hpp"

namespace sotcheck::exec {

enum class Status { pass, fail, error, skipped };

std::string_view status_name(Status s);  ///< "PASS", "FAIL", "ERROR", "SKIPPED"
std::optional<Status> parse_status(std::string_view text);

struct Verdict {
  std::string rule_id;
  Status status = Status::error;
  catalog::Severity severity = catalog::Severity::info;
  std::string message;
  nlohmann::ordered_json evidence = nlohmann::ordered_json::object();
  std::string timestamp;  ///< when the verdict was made (UTC ISO-8601)
  std::vector<checks::Finding> findings;  ///< complete and uncut; cut only when printed

  bool passed() const { return status == Status::pass; }
};

/// The result dict of docs/ci-integration.md plus `status`:
/// rule_id, status, passed, severity, message, evidence, timestamp.
nlohmann::ordered_json to_json(const Verdict& verdict);
util::Result<Verdict> verdict_from_json(const nlohmann::ordered_json& json);

/// An ERROR verdict for a rule that could not be evaluated (crash, timeout,
/// exception); `evidence` says why.
Verdict error_verdict(const catalog::Rule& rule, std::string message, nlohmann::ordered_json evidence);

/// "2026-11-26T17:39:13.123456Z" (strict) or without the Z (reference, docs/reference-compatibility.md#rc-25).
std::string utc_timestamp_now(bool with_zone = true);

}  // namespace sotcheck::exec
