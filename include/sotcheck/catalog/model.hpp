#pragma once
/// The catalog's data model: severities, profiles and rules as loaded from
/// rules/*.yaml. A rule carries one compiled form per profile (profiles are
/// data: the YAML says where the two differ, the loader compiles both).

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "sotcheck/catalog/check_spec.hpp"
#include "sotcheck/checks/check.hpp"
#include "sotcheck/checks/template.hpp"

namespace sotcheck::checks {
struct ProfileContext;  // checks/params.hpp: only the catalog's sources need it whole
}  // namespace sotcheck::checks

namespace sotcheck::catalog {

using checks::Profile;
using checks::k_profile_count;

enum class Severity { critical = 0, high = 1, medium = 2, low = 3, info = 4 };
inline constexpr std::array<Severity, 5> k_all_severities = {Severity::critical, Severity::high, Severity::medium,
                                                             Severity::low, Severity::info};

std::string_view severity_name(Severity s);  ///< "CRITICAL" ...
std::optional<Severity> parse_severity(std::string_view text);  ///< case-insensitive
std::string_view profile_name(Profile p);  ///< "strict" / "reference"
std::optional<Profile> parse_profile(std::string_view text);

/// What a rule does under one profile.
struct CompiledRule {
  std::shared_ptr<const checks::Check> check;
  checks::MessageTemplate message;
  std::vector<checks::EvidenceItem> evidence;
  bool report_only = false;  ///< M1: always passes, outputs still computed (the SHOULD stubs)
  /// P14 alias: the rule evaluates `alias_target`'s check, message and
  /// evidence under its own id (the loader copies them in).
  std::string alias_target;
  /// The rule's `check:` block as this profile sees it (profile maps and
  /// named queries resolved): what `rules show` prints and describe_check reads.
  CheckSpec check_spec;
};

/// A rule's per-profile forms, built on first use. The compiled catalog
/// defers them so that a run builds only the rules and the profile it uses
/// (a process-pool worker only its batches'). Safe to call from several
/// threads: each form is built once.
class DeferredCompiledRule {
 public:
  virtual ~DeferredCompiledRule() = default;
  virtual const CompiledRule& get(Profile p) const = 0;
};

struct Rule {
  std::string id;
  std::string title;      ///< short English sentence: what must hold
  std::string rationale;  ///< why it matters
  std::string fix;        ///< what to change so it passes
  std::string example;    ///< optional: a passing example (may be empty)
  std::string family;
  Severity severity = Severity::info;
  int batch = 0;
  std::vector<std::string> depends_on;
  std::string source_file;  ///< e.g. "ar.yaml"
  int source_line = 0;
  std::array<CompiledRule, k_profile_count> compiled;  ///< the YAML loader fills these
  std::shared_ptr<const DeferredCompiledRule> deferred;  ///< the compiled catalog sets this instead

  const CompiledRule& for_profile(Profile p) const {
    return deferred ? deferred->get(p) : compiled[static_cast<size_t>(p)];
  }
};

struct BatchSpec {
  int id = 0;
  std::string name;
  std::vector<int> depends_on;
  std::vector<std::string> rules;  ///< ids as listed in batches.yaml
  int source_line = 0;
};

/// Run-wide settings of one profile (catalog.yaml `profiles.NAME`).
struct ProfileSettings {
  std::vector<std::string> do_not_descend;  ///< directory names the walk records but never enters
  std::vector<std::string> query_excluded_dirs;  ///< directory names no file query returns anything below
};

/// What a check's factory learns about the profile it is compiled for (checks/params.hpp).
checks::ProfileContext profile_context(Profile profile, const ProfileSettings& settings);

/// The loaded catalog: rules in catalog order (the order verdicts are emitted in).
struct Catalog {
  std::vector<Rule> rules;
  std::vector<BatchSpec> batches;
  std::array<ProfileSettings, k_profile_count> profiles;
  std::string origin;  ///< "embedded" or the directory it came from

  const Rule* find(std::string_view id) const;
  std::optional<size_t> index_of(std::string_view id) const;
};

/// Builds now the forms `profile` gives the rules at `indices` (of
/// catalog.rules), which a compiled catalog would otherwise build on first
/// use. validate calls it while the walk runs, so that work overlaps the walk.
void build_forms(const Catalog& catalog, Profile profile, const std::vector<std::size_t>& indices);

}  // namespace sotcheck::catalog
