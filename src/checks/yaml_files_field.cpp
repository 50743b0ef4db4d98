// P9 `yaml_files_field` (docs/catalog-format.md): a YamlPredicate over each
// sampled YAML document, aggregated by a quantifier. Documents were parsed
// once, while the image was built (docs/ARCHITECTURE.md); this check only
// reads the flat blobs. A raised Python exception makes the file an error;
// the reference skips it (CS001 counts it as a violation). In the strict
// profile (docs/reference-compatibility.md#rc-12, #rc-13) the document must
// be a mapping, and every error is listed in evidence `errors` and counts as
// a violation of an all-quantified rule and as "not satisfied" otherwise.

#include "sotcheck/checks/check_constants.hpp"
#include "sotcheck/checks/file_query.hpp"
#include "sotcheck/checks/quantifier.hpp"
#include "sotcheck/checks/registry.hpp"
#include "yaml_document.hpp"
#include "yaml_predicate.hpp"

namespace sotcheck::checks {
namespace {

using json = nlohmann::ordered_json;
using snapshot::YamlNode;
using snapshot::YamlView;

/// A short rendering of a tested value for a message: scalars as JSON text, collections by kind.
std::string shown(const YamlView& view, const Value& v) {
  if (!v.is_node) return v.literal.dump();
  if (view.is_mapping(v.node)) return "a mapping";
  if (view.is_sequence(v.node)) return "a list";
  std::string text = view.to_json(v.node).dump();
  if (text.size() > 80) text = text.substr(0, 77) + "...";
  return text;
}

/// The finding for a file whose document the predicate judged wrong, at the node the trace last looked at.
/// `satisfied`: the predicate held (a `none` quantifier forbids that).
Finding yaml_finding(const std::string& rel, const YamlView& view, const Trace& trace, bool satisfied) {
  Finding f;
  f.path = rel;
  if (trace.has_node) {
    f.line = view.line(trace.node);
    f.column = view.column(trace.node);
  }
  const std::string what = trace.key_path.empty() ? std::string("the document") : trace.key_path;
  const bool forbidden = trace.negated != satisfied;  // the leaf held where the rule needs it not to
  const std::string wanted = trace.leaf ? expectation(*trace.leaf) : std::string("a value the rule accepts");
  f.identity = what;
  if (trace.missing && !forbidden) {
    f.kind = FindingKind::missing;
    f.message = what + " is missing: expected " + wanted;
    f.expected = wanted;
    return f;
  }
  f.kind = FindingKind::invalid_value;
  const std::string actual = trace.value ? shown(view, *trace.value) : std::string("absent");
  f.message = what + " is " + actual + ": expected " + (forbidden ? "anything but " : "") + wanted;
  f.expected = (forbidden ? "not " : "") + wanted;
  f.actual = actual;
  return f;
}

/// How many load/evaluation errors strict evidence lists (all are counted).
constexpr std::size_t k_listed_errors = 20;

class YamlFilesField final : public Check {
 public:
  std::shared_ptr<const FileQuery> query;
  Predicate predicate;
  Quantifier quantifier;
  bool errors_are_violations = false;
  bool require_truthy_doc = false;
  bool strict = false;
  json constants = json::object();

  Outputs evaluate(const EvalContext& context) const override {
    const auto& image = context.image;
    const FileQuery::Matches matches = query->run(image);
    json violating = json::array();
    json satisfied_files = json::array();
    json errors = json::array();
    std::vector<Finding> findings;
    const bool offending_when_satisfied = quantifier.matches_offend();
    for (std::size_t i = 0; i < matches.sampled; ++i) {
      const std::uint32_t entry = matches.found[i];
      const std::string rel(image.path(entry));
      std::string error;
      bool satisfied = false;
      Trace trace;
      const Loaded doc = load_document(image, entry);
      if (doc.view == nullptr) {
        error = doc.error;
      } else {
        const YamlNode root = doc.view->root();
        try {
          if (strict && !doc.view->is_mapping(root)) {
            throw PyError{"the document is not a mapping (found " + std::string(doc.view->value_type_name(root)) + ")"};
          }
          if (!require_truthy_doc || doc.view->truthy(root)) {
            const EvalState state{*doc.view, of_node(root), strict, &trace};
            satisfied = eval_predicate(state, predicate);
          } else {
            trace.has_node = true;
            trace.node = root;
            trace.value = of_node(root);
            trace.leaf = nullptr;
          }
        } catch (const PyError& e) {
          error = e.text;
        }
      }
      if (!error.empty()) {
        errors.push_back({{"file", rel}, {"error", error}});
        if (errors_are_violations) violating.push_back(rel);
        findings.push_back(unreadable_yaml(rel, error));
        continue;
      }
      if (satisfied) {
        satisfied_files.push_back(rel);
      } else {
        violating.push_back(rel);
      }
      if (satisfied == offending_when_satisfied) findings.push_back(yaml_finding(rel, *doc.view, trace, satisfied));
    }
    Outputs out;
    out.passed = quantifier.passed(matches.found.size(), matches.sampled, satisfied_files.size(), violating.size());
    if (!out.passed) {
      if (findings.empty()) {
        Finding f = make_finding(query->describe(), FindingKind::missing,
                                 matches.found.empty() ? "no file matches " + query->describe()
                                                       : std::to_string(satisfied_files.size()) + "/" +
                                                             std::to_string(matches.sampled) + " files matching " +
                                                             query->describe() + " pass: needs " +
                                                             quantifier.requirement());
        if (!matches.found.empty()) f.kind = FindingKind::below_threshold;
        findings.push_back(std::move(f));
      } else if (quantifier.kind == Quantifier::Kind::ratio_ge || quantifier.kind == Quantifier::Kind::count_ge) {
        // A threshold rule: each file falls short of a shared bar; say where the bar is.
        const std::string bar = " (" + std::to_string(satisfied_files.size()) + "/" +
                                std::to_string(matches.sampled) + " files pass; needs " + quantifier.requirement() + ")";
        for (auto& f : findings)
          if (f.kind != FindingKind::unreadable) {
            f.kind = FindingKind::below_threshold;
            f.message += bar;
          }
      }
      out.findings = std::move(findings);
    }
    out.values["found"] = matches.found.size();
    out.values["sampled"] = matches.sampled;
    out.values["satisfied"] = satisfied_files.size();
    out.values["satisfied_files"] = std::move(satisfied_files);
    out.values["violation_count"] = violating.size();
    out.values["violating"] = std::move(violating);
    out.values["error_count"] = errors.size();
    add_constants(constants, out.values);
    // docs/reference-compatibility.md#rc-13: strict says which files could not be evaluated (the first k_listed_errors, and how many); the
    // reference stays silent.
    if (strict && !errors.empty()) {
      json listed = json::array();
      for (std::size_t i = 0; i < errors.size() && i < k_listed_errors; ++i) listed.push_back(errors[i]);
      out.notes["errors"] = std::move(listed);
      out.notes["error_count"] = errors.size();
    }
    out.values["errors"] = std::move(errors);
    return out;
  }

  void yaml_queries(std::vector<std::shared_ptr<const FileQuery>>* out) const override { out->push_back(query); }
};

}  // namespace

std::unique_ptr<Check> make_yaml_files_field(Params& params) {
  auto check = std::make_unique<YamlFilesField>();
  check->strict = params.profile() == Profile::strict;
  check->query = FileQuery::parse(params);
  // Reference: skip a file that fails to load (CS001 says violation); strict: always a violation (docs/reference-compatibility.md#rc-13).
  const std::string on_error = params.choice("on_error", {"skip", "violation"}, check->strict ? "violation" : "skip");
  check->errors_are_violations = check->strict || on_error == "violation";
  check->require_truthy_doc = params.boolean_or("require_truthy_doc", false);
  bool ok = true;
  const ParamNode predicate = params.node("predicate");
  if (!predicate.is_defined()) {
    params.error("yaml_files_field needs a 'predicate'");
    ok = false;
  } else {
    check->predicate = parse_predicate(params, predicate, &ok);
  }
  check->quantifier = Quantifier::parse(params);
  check->constants = parse_constants(params);
  if (!check->query || !ok) return nullptr;
  return check;
}

}  // namespace sotcheck::checks
