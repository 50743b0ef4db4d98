// The boolean combinators of docs/catalog-format.md (C1-C3). Children are ordinary
// checks; their outputs stay addressable as "<name>.<output>" where <name> is
// the child's `name:` or c0, c1, ... by position.

#include "sotcheck/checks/registry.hpp"

namespace sotcheck::checks {
namespace {

struct Child {
  std::string name;
  std::unique_ptr<Check> check;
};

enum class Combine { all, any, at_least };

class Combinator final : public Check {
 public:
  Combine mode = Combine::all;
  long long k = 0;
  std::vector<Child> children;

  Outputs evaluate(const EvalContext& context) const override {
    Outputs out;
    std::size_t passed = 0;
    nlohmann::ordered_json passed_names = nlohmann::ordered_json::array();
    // A failed combinator is wrong wherever its failed children are; kept aside and used only on failure.
    std::vector<Finding> failed_findings;
    for (const auto& child : children) {
      Outputs o = child.check->evaluate(context);
      if (o.passed) {
        ++passed;
        passed_names.push_back(child.name);
      } else {
        for (auto& f : o.findings) failed_findings.push_back(std::move(f));
      }
      out.values[child.name + ".passed"] = o.passed;
      for (auto& [key, value] : o.values.items()) out.values[child.name + "." + key] = value;
      for (auto& [key, value] : o.notes.items()) out.notes[key] = value;
    }
    switch (mode) {
      case Combine::all: out.passed = passed == children.size(); break;
      case Combine::any: out.passed = passed > 0; break;
      case Combine::at_least: out.passed = static_cast<long long>(passed) >= k; break;
    }
    if (!out.passed) out.findings = std::move(failed_findings);
    out.values["passed_count"] = passed;
    out.values["passed_names"] = std::move(passed_names);
    return out;
  }

  void content_queries(std::vector<std::shared_ptr<const FileQuery>>* out) const override {
    for (const auto& c : children) c.check->content_queries(out);
  }
  void yaml_queries(std::vector<std::shared_ptr<const FileQuery>>* out) const override {
    for (const auto& c : children) c.check->yaml_queries(out);
  }
  void content_probes(std::vector<ContentProbe>* out) const override {
    for (const auto& c : children) c.check->content_probes(out);
  }
  void unprobed_content_queries(std::vector<std::shared_ptr<const FileQuery>>* out) const override {
    for (const auto& c : children) c.check->unprobed_content_queries(out);
  }
};

std::unique_ptr<Check> make_combinator(Params& params, Combine mode) {
  auto combinator = std::make_unique<Combinator>();
  combinator->mode = mode;
  if (mode == Combine::at_least) combinator->k = params.integer_or("k", 1);
  const ParamNode list = params.node("checks");
  if (!list.is_sequence() || list.size() == 0) {
    params.error("a combinator needs 'checks', a non-empty list of checks", list);
    return nullptr;
  }
  std::size_t index = 0;
  for (const auto& node : list) {
    Params child_params(node, params.file(), params.diagnostics(), line_of(node) ? line_of(node) : params.fallback_line());
    child_params.set_profile(params.profile());
    Child child;
    if (node.is_map() && node["name"]) {
      child.name = node["name"].scalar();
    } else {
      // Appended rather than `"c" + std::to_string(index)`, which trips GCC 12's false -Wrestrict at -O3.
      child.name = "c";
      child.name += std::to_string(index);
    }
    child_params.node("name");
    const std::string kind = child_params.string_or("kind", "");
    const CheckFactory factory = find_primitive(kind);
    if (factory == nullptr) {
      child_params.error(kind.empty() ? "child check has no 'kind'" : "unknown check primitive '" + kind + "'");
    } else {
      child.check = factory(child_params);
      child_params.finish();
    }
    ++index;
    if (child.check) combinator->children.push_back(std::move(child));
  }
  if (combinator->children.size() != list.size()) return nullptr;
  return combinator;
}

}  // namespace

std::unique_ptr<Check> make_all_of(Params& params) { return make_combinator(params, Combine::all); }
std::unique_ptr<Check> make_any_of(Params& params) { return make_combinator(params, Combine::any); }
std::unique_ptr<Check> make_count_at_least(Params& params) { return make_combinator(params, Combine::at_least); }

}  // namespace sotcheck::checks
