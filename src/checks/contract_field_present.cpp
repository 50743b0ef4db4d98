// P10 `contract_field_present` (docs/catalog-format.md): one dotted key path
// in the SoT contract, with the reference's five fixed message/evidence
// shapes. The contract is selected and loaded once per run for all the rules
// that share its spec (contract_source.hpp, check_caches.hpp).

#include "contract_source.hpp"
#include "dotted_path.hpp"
#include "sotcheck/checks/registry.hpp"
#include "sotcheck/util/strings.hpp"
#include "yaml_document.hpp"

namespace sotcheck::checks {
namespace {

using json = nlohmann::ordered_json;
using snapshot::YamlNode;
using snapshot::YamlView;

class ContractFieldPresent final : public Check {
 public:
  ContractSource source;
  std::string field_path;
  std::vector<std::string> segments;
  std::string category;
  bool strict = false;

  Outputs evaluate(const EvalContext& context) const override {
    const ContractResolution r = source.resolve(context);
    Outputs out;
    out.values["field_path"] = field_path;
    out.values["category"] = category;
    json evidence = json::object();
    auto finish = [&](bool passed, std::string detail) {
      out.passed = passed;
      out.values["detail"] = std::move(detail);
      out.evidence = std::move(evidence);
      return out;
    };
    switch (r.state) {
      case ContractResolution::State::no_files: {
        evidence["error"] = "No contract files";
        evidence["field_path"] = field_path;
        if (strict) out.notes["expected_contract"] = source.exact_path;
        const std::string wanted = strict ? source.exact_path : source.query->describe();
        Finding f = make_finding(wanted, FindingKind::missing,
                                 "no contract file found (looked for " + wanted + "): " + field_path + " cannot be checked");
        f.identity = field_path;
        out.findings.push_back(std::move(f));
        return finish(false, "No contract files found in repository");
      }
      case ContractResolution::State::load_error: {
        evidence["error"] = r.error;
        evidence["file"] = r.file;
        Finding f = unreadable_yaml(r.relative, r.error);
        f.identity = field_path;
        out.findings.push_back(std::move(f));
        return finish(false, "Failed to load contract YAML: " + r.error);
      }
      case ContractResolution::State::ok:
        break;
    }
    const YamlView& view = *r.view;
    YamlNode cur = view.root();
    for (std::size_t i = 0; i < segments.size(); ++i) {
      if (!view.is_mapping(cur)) {
        const std::string prefix = joined(segments, i);
        evidence["field_path"] = field_path;
        evidence["failed_at"] = prefix;
        evidence["type"] = strict ? std::string(view.value_type_name(cur)) : std::string(view.python_type_name(cur));
        Finding f = make_finding(r.relative, FindingKind::invalid_value,
                                 (prefix.empty() ? std::string("the document") : prefix) + " is a " +
                                     std::string(view.value_type_name(cur)) + ": expected a mapping holding " +
                                     segments[i]);
        f.line = view.line(cur);
        f.column = view.column(cur);
        f.expected = "map";
        f.actual = std::string(view.value_type_name(cur));
        f.identity = field_path;
        out.findings.push_back(std::move(f));
        return finish(false, "Path '" + prefix + "' is not a dict");
      }
      const auto next = view.find(cur, segments[i]);
      if (!next) {
        json available = json::array();
        for (std::uint32_t k = 0; k < view.size(cur); ++k) available.push_back(view.to_json(view.key_at(cur, k)));
        evidence["field_path"] = field_path;
        evidence["missing_field"] = segments[i];
        evidence["available_fields"] = std::move(available);
        // A missing key points at the mapping that should hold it.
        const std::string holder = i == 0 ? std::string("the document") : joined(segments, i);
        Finding f = make_finding(r.relative, FindingKind::missing,
                                 field_path + " is missing: expected key " + segments[i] + " in " + holder);
        f.line = view.line(cur);
        f.column = view.column(cur);
        f.expected = field_path;
        f.identity = field_path;
        out.findings.push_back(std::move(f));
        return finish(false, "Missing required field '" + field_path + "'");
      }
      cur = *next;
    }
    evidence["field_path"] = field_path;
    evidence["value_type"] = strict ? std::string(view.value_type_name(cur)) : std::string(view.python_type_name(cur));
    evidence["contract_file"] = r.file;
    return finish(true, "Field '" + field_path + "' exists");
  }

  void yaml_queries(std::vector<std::shared_ptr<const FileQuery>>* out) const override {
    out->push_back(source.query);
  }
};

}  // namespace

std::unique_ptr<Check> make_contract_field_present(Params& params) {
  auto check = std::make_unique<ContractFieldPresent>();
  check->strict = params.profile() == Profile::strict;
  check->field_path = params.string_or("path", "");
  if (check->field_path.empty()) params.error("contract_field_present needs a non-empty 'path'");
  check->segments = split_path(check->field_path);
  check->category = params.string_or("category", "");
  const ParamNode contract = params.node("contract");
  if (!contract.is_defined() || !contract.is_map()) {
    params.error("contract_field_present needs 'contract': {patterns, prefer_name_contains, ...}", contract);
    return nullptr;
  }
  Params sub(contract, params.file(), params.diagnostics(), params.fallback_line());
  sub.set_profile(params.profile());
  const std::vector<std::string> patterns = sub.string_list("patterns", true);
  const std::string exact = sub.string_or("exact_path", "");
  const std::string prefer = util::to_lower_ascii(sub.string_or("prefer_name_contains", ""));
  const std::string avoid = util::to_lower_ascii(sub.string_or("avoid_name_contains", ""));
  sub.finish();
  // The selection follows the profile (docs/reference-compatibility.md#rc-21): strict wants exactly the master definition's file.
  const bool strict_selection = check->strict;
  if (strict_selection && (exact.empty() || prefer.empty()))
    params.error("the strict profile's contract selection needs 'exact_path' and 'prefer_name_contains'", contract);
  ContractSource& source = check->source;
  // The FileQuery sees only its own keys.
  source.query = FileQuery::of_patterns(params, patterns);
  source.exact_path = exact;
  source.prefer = prefer;
  source.avoid = avoid;
  source.strict_selection = strict_selection;
  // Every part carries its length, so no pattern or name can imitate the separators around it.
  const auto part = [&source](std::string_view text) {
    source.key += std::to_string(text.size());
    source.key += ':';
    source.key.append(text);
  };
  part(strict_selection ? "strict" : "reference");
  for (const std::string& text : {exact, prefer, avoid}) part(text);
  for (const std::string& pattern : patterns) part(pattern);
  if (!source.query) return nullptr;
  return check;
}

}  // namespace sotcheck::checks
