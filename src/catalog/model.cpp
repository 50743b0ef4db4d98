#include "sotcheck/catalog/model.hpp"

#include "sotcheck/checks/factory_memo.hpp"
#include "sotcheck/checks/params.hpp"
#include "sotcheck/util/strings.hpp"

namespace sotcheck::catalog {

std::string_view severity_name(Severity s) {
  switch (s) {
    case Severity::critical: return "CRITICAL";
    case Severity::high: return "HIGH";
    case Severity::medium: return "MEDIUM";
    case Severity::low: return "LOW";
    case Severity::info: return "INFO";
  }
  return "INFO";
}

std::optional<Severity> parse_severity(std::string_view text) {
  const std::string upper = util::to_upper_ascii(text);
  for (Severity s : k_all_severities)
    if (severity_name(s) == upper) return s;
  return std::nullopt;
}

std::string_view profile_name(Profile p) { return p == Profile::strict ? "strict" : "reference"; }

std::optional<Profile> parse_profile(std::string_view text) {
  if (text == "strict") return Profile::strict;
  if (text == "reference") return Profile::reference;
  return std::nullopt;
}

checks::ProfileContext profile_context(Profile profile, const ProfileSettings& settings) {
  checks::ProfileContext context(profile);
  context.query_excluded_dirs = std::make_shared<const std::vector<std::string>>(settings.query_excluded_dirs);
  context.memo = std::make_shared<checks::FactoryMemo>();
  return context;
}

void build_forms(const Catalog& catalog, Profile profile, const std::vector<std::size_t>& indices) {
  for (const std::size_t i : indices) catalog.rules.at(i).for_profile(profile);
}

const Rule* Catalog::find(std::string_view id) const {
  for (const Rule& r : rules)
    if (r.id == id) return &r;
  return nullptr;
}

std::optional<size_t> Catalog::index_of(std::string_view id) const {
  for (size_t i = 0; i < rules.size(); ++i)
    if (rules[i].id == id) return i;
  return std::nullopt;
}

}  // namespace sotcheck::catalog
