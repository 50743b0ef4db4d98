#include "sotcheck/checks/finding.hpp"

#include <array>
#include <stdexcept>

namespace sotcheck::checks {

namespace {
constexpr std::array<std::pair<FindingKind, std::string_view>, 6> k_kind_names{{
    {FindingKind::missing, "missing"},
    {FindingKind::invalid_value, "invalid_value"},
    {FindingKind::forbidden_content, "forbidden_content"},
    {FindingKind::forbidden_entry, "forbidden_entry"},
    {FindingKind::below_threshold, "below_threshold"},
    {FindingKind::unreadable, "unreadable"},
}};
}  // namespace

std::string_view finding_kind_name(FindingKind kind) {
  for (const auto& [k, name] : k_kind_names)
    if (k == kind) return name;
  return "invalid_value";
}

std::optional<FindingKind> parse_finding_kind(std::string_view text) {
  for (const auto& [k, name] : k_kind_names)
    if (name == text) return k;
  return std::nullopt;
}

Finding make_finding(std::string path, FindingKind kind, std::string message) {
  Finding f;
  f.path = std::move(path);
  f.kind = kind;
  f.message = std::move(message);
  return f;
}

nlohmann::ordered_json to_json(const Finding& f) {
  nlohmann::ordered_json j;
  j["path"] = f.path;
  if (f.line != 0) j["line"] = f.line;
  if (f.column != 0) j["column"] = f.column;
  j["kind"] = finding_kind_name(f.kind);
  j["message"] = f.message;
  if (!f.expected.empty()) j["expected"] = f.expected;
  if (!f.actual.empty()) j["actual"] = f.actual;
  if (!f.identity.empty()) j["identity"] = f.identity;
  return j;
}

Finding finding_from_json(const nlohmann::ordered_json& j) {
  Finding f;
  f.path = j.at("path").get<std::string>();
  f.line = j.value("line", std::uint32_t{0});
  f.column = j.value("column", std::uint32_t{0});
  const auto kind = parse_finding_kind(j.at("kind").get<std::string>());
  if (!kind) throw std::invalid_argument("finding has an unknown kind");
  f.kind = *kind;
  f.message = j.at("message").get<std::string>();
  f.expected = j.value("expected", std::string{});
  f.actual = j.value("actual", std::string{});
  f.identity = j.value("identity", std::string{});
  return f;
}

}  // namespace sotcheck::checks
