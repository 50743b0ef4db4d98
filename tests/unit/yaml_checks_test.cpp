// The YAML primitives on small in-memory trees: YamlPredicate semantics
// (Python's membership, "get with default", truthiness, str()), the
// quantifiers with integer ratio arithmetic, strict error reporting, the SoT
// contract selection and its five fixed message/evidence shapes, and
// MD-STRUCT-009's shard_path_ratio.

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <memory>
#include <stdexcept>
#include <thread>

#include "sotcheck/checks/check_caches.hpp"
#include "sotcheck/checks/file_query.hpp"
#include "sotcheck/checks/registry.hpp"
#include "sotcheck/exec/pipeline.hpp"
#include "sotcheck/snapshot/image_build.hpp"
#include "sotcheck/snapshot/walker.hpp"
#include "support/memory_tree.hpp"
#include "support/one_check.hpp"
#include "support/trees.hpp"

namespace sotcheck {
namespace {

using checks::Outputs;
using checks::Profile;
using json = nlohmann::ordered_json;
using testing::MemoryTree;

/// The check compiled for `profile` (support/one_check.hpp).
std::unique_ptr<checks::Check> compile(const std::string& yaml, Profile profile = Profile::reference) {
  return testing::compile_check(yaml, profile);
}

/// Evaluates `check` on an image built as `validate` would for it alone (support/one_check.hpp).
Outputs run(const checks::Check& check, MemoryTree& tree, Profile profile = Profile::reference) {
  return testing::evaluate_check(check, tree, profile);
}

/// A yaml_files_field over every `*.yaml` with `predicate` and `quantifier`.
std::unique_ptr<checks::Check> field_check(const std::string& predicate, const std::string& quantifier = "any",
                                           Profile profile = Profile::reference, const std::string& extra = "") {
  return compile("kind: yaml_files_field\nquery: {patterns: ['**/*.yaml']}\npredicate: " + predicate +
                     "\nquantifier: " + quantifier + "\n" + extra,
                 profile);
}

/// Evaluates `predicate` on one document: "yes", "no" or "error: <text>".
std::string verdict_on(const std::string& predicate, const std::string& document,
                       Profile profile = Profile::reference) {
  MemoryTree tree;
  tree.add_file("doc.yaml", document);
  const auto check = field_check(predicate, "all", profile);
  const Outputs out = run(*check, tree, profile);
  if (out.values["error_count"] != 0) return "error: " + out.values["errors"][0]["error"].get<std::string>();
  return out.values["satisfied"] == 1 ? "yes" : "no";
}

// ------------------------------------------------------------ FileQuery max_depth

TEST(FileQueryMaxDepth, AnchorsAPatternAtTheRepositoryRoot) {
  // rglob matches anywhere below R (G1); max_depth keeps only R/NN_root/shards/NN_shard/chart.yaml.
  util::Diagnostics diagnostics;
  const auto node = checks::ParamTree::from_yaml(
      YAML::Load("query: {patterns: ['[0-9][0-9]_*/shards/[0-9][0-9]_*/chart.yaml'], max_depth: 4}"));
  checks::Params params(node.root(), "t.yaml", diagnostics, 1);
  const auto query = checks::FileQuery::parse(params);
  params.finish();
  ASSERT_TRUE(diagnostics.empty()) << diagnostics.to_string();
  EXPECT_TRUE(query->may_match("01_a/shards/02_b/chart.yaml"));
  EXPECT_FALSE(query->may_match("x/01_a/shards/02_b/chart.yaml"));
  MemoryTree tree;
  tree.add_file("01_a/shards/02_b/chart.yaml").add_file("vendor/01_a/shards/02_b/chart.yaml");
  const auto walked = snapshot::walk(tree, {});
  auto image = snapshot::HeapImage::build(walked, tree, {});
  ASSERT_TRUE(image.ok());
  const auto view = image->view();
  const auto found = query->run(*view).found;
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(view->path(found[0]), "01_a/shards/02_b/chart.yaml");
  util::Diagnostics bad;
  const auto negative = checks::ParamTree::from_yaml(YAML::Load("query: {patterns: ['*.yaml'], max_depth: -1}"));
  checks::Params bad_params(negative.root(), "t.yaml", bad, 1);
  checks::FileQuery::parse(bad_params);
  EXPECT_FALSE(bad.empty());
}

// ------------------------------------------------------------------ predicates

TEST(YamlPredicate, HasWalksKeysWithPythonMembership) {
  EXPECT_EQ(verdict_on("{has: [a, b]}", "a: {b: 1}\n"), "yes");
  EXPECT_EQ(verdict_on("{has: [a, b]}", "a: {c: 1}\n"), "no");
  EXPECT_EQ(verdict_on("{has: [a, b]}", "x: 1\n"), "no");
  // A value of `null` under a key still counts as present.
  EXPECT_EQ(verdict_on("{has: [a, b]}", "a: {b: null}\n"), "yes");
  // A list tests elements, a string substrings (docs/reference-compatibility.md#rc-12).
  EXPECT_EQ(verdict_on("{has: [a, b]}", "a: [b, c]\n"), "yes");
  EXPECT_EQ(verdict_on("{has: [a, b]}", "a: 'abc'\n"), "yes");
  // ... but descending into them raises, as d['a']['b'] does in Python.
  EXPECT_EQ(verdict_on("{has: [a, b, c]}", "a: 'b c'\n"),
            "error: TypeError: string indices must be integers, not 'str'");
  EXPECT_EQ(verdict_on("{has: [a, b, c]}", "a: [b]\n"),
            "error: TypeError: list indices must be integers or slices, not str");
  // None raises TypeError.
  EXPECT_EQ(verdict_on("{has: [a, b]}", "a:\n"), "error: TypeError: argument of type 'NoneType' is not iterable");
  // The document itself: a list tests elements, None raises.
  EXPECT_EQ(verdict_on("{has: [a]}", "[a, b]\n"), "yes");
  EXPECT_EQ(verdict_on("{has: [a]}", ""), "error: TypeError: argument of type 'NoneType' is not iterable");
  // Non-str keys never match a str key (`yes:` is True, `1:` is 1).
  EXPECT_EQ(verdict_on("{has: ['yes']}", "yes: 1\n"), "no");
}

TEST(YamlPredicate, StrictRequiresMappingsAtEveryLevel) {
  EXPECT_EQ(verdict_on("{has: [a, b]}", "a: [b]\n", Profile::strict), "error: expected a mapping at 'a', found list");
  EXPECT_EQ(verdict_on("{has: [a, b]}", "a: {b: 1}\n", Profile::strict), "yes");
  EXPECT_EQ(verdict_on("{has: [a]}", "[a]\n", Profile::strict), "error: the document is not a mapping (found list)");
  EXPECT_EQ(verdict_on("{all_keys: {at: m, keys: [x]}}", "m: 'xyz'\n", Profile::strict),
            "error: expected a mapping at 'm', found string");
}

TEST(YamlPredicate, NavigationIsGetWithDefault) {
  // A missing level reads as {} (so all_keys fails, any_keys fails), a non-mapping parent raises.
  EXPECT_EQ(verdict_on("{all_keys: {at: g.owner, keys: [team]}}", "x: 1\n"), "no");
  EXPECT_EQ(verdict_on("{all_keys: {at: g.owner, keys: [team]}}", "g: {owner: {team: t}}\n"), "yes");
  EXPECT_EQ(verdict_on("{all_keys: {at: g.owner, keys: [team]}}", "g: 'x'\n"),
            "error: AttributeError: 'str' object has no attribute 'get'");
  EXPECT_EQ(verdict_on("{all_keys: {at: g.owner, keys: [team]}}", "g:\n"),
            "error: AttributeError: 'NoneType' object has no attribute 'get'");
  EXPECT_EQ(verdict_on("{any_keys: {at: impl, keys: [default, available]}}", "impl: {available: [a]}\n"), "yes");
  EXPECT_EQ(verdict_on("{all_keys: {at: '', keys: [a, b]}}", "a: 1\nb: 2\n"), "yes");
  EXPECT_EQ(verdict_on("{all_keys: {at: '', keys: [a, b]}}", "a: 1\n"), "no");
  // A key present with a null value gives None, whose membership test raises.
  EXPECT_EQ(verdict_on("{all_keys: {at: m, keys: [a]}}", "m:\n"),
            "error: TypeError: argument of type 'NoneType' is not iterable");
}

TEST(YamlPredicate, TruthyIsPythonTruthiness) {
  for (const char* falsy : {"k: ''\n", "k: 0\n", "k: []\n", "k: {}\n", "k: false\n", "k: no\n", "k:\n", "x: 1\n"})
    EXPECT_EQ(verdict_on("{truthy: k}", falsy), "no") << falsy;
  for (const char* truthy : {"k: x\n", "k: 1\n", "k: [0]\n", "k: {a: 1}\n", "k: on\n", "k: 0.1\n"})
    EXPECT_EQ(verdict_on("{truthy: k}", truthy), "yes") << truthy;
  EXPECT_EQ(verdict_on("{truthy: a.b.c}", "a: {b: {c: yes}}\n"), "yes");
}

TEST(YamlPredicate, MatchesUsesPythonStrOfYaml11Values) {
  const std::string semver =
      "{matches: {at: version, default: '', regex: '^[0-9]+\\.[0-9]+\\.[0-9]+$', stringify: true}}";
  EXPECT_EQ(verdict_on(semver, "version: 1.2.3\n"), "yes");
  EXPECT_EQ(verdict_on(semver, "version: '1.2.3'\n"), "yes");
  EXPECT_EQ(verdict_on(semver, "version: 1.0\n"), "no");  // a float: str() is "1.0" (docs/reference-compatibility.md#rc-12)
  EXPECT_EQ(verdict_on(semver, "version: 1.2.3-rc1\n"), "no");
  EXPECT_EQ(verdict_on(semver, "name: x\n"), "no");             // default ""
  EXPECT_EQ(verdict_on(semver, "version: [1, 2, 3]\n"), "no");  // str(list) = "[1, 2, 3]"
  const std::string dotted = "{matches: {at: v, regex: '^1\\.1$', stringify: true}}";
  EXPECT_EQ(verdict_on(dotted, "v: 1.10\n"), "yes");  // 1.10 is the float 1.1
}

TEST(YamlPredicate, EqualsNumGeAndLenFollowPythonComparisons) {
  const std::string hours = "{equals: {at: max_age_hours, value: 24}}";
  EXPECT_EQ(verdict_on(hours, "max_age_hours: 24\n"), "yes");
  EXPECT_EQ(verdict_on(hours, "max_age_hours: 24.0\n"), "yes");  // 24.0 == 24 in Python
  EXPECT_EQ(verdict_on(hours, "max_age_hours: '24'\n"), "no");   // docs/reference-compatibility.md#rc-12
  EXPECT_EQ(verdict_on("{equals: {at: f, default: '', value: json}}", "f: json\n"), "yes");
  EXPECT_EQ(verdict_on("{equals: {at: f, default: '', value: json}}", "f: JSON\n"), "no");
  const std::string coverage = "{num_ge: {at: t.c, default: 0, value: 80}}";
  EXPECT_EQ(verdict_on(coverage, "t: {c: 80}\n"), "yes");
  EXPECT_EQ(verdict_on(coverage, "t: {c: 79.9}\n"), "no");
  EXPECT_EQ(verdict_on(coverage, "t: {c: '95'}\n"), "no");  // not an int/float
  EXPECT_EQ(verdict_on(coverage, "t: {c: true}\n"), "no");  // True == 1
  EXPECT_EQ(verdict_on("{num_ge: {at: c, default: 0, value: 1}}", "c: true\n"), "yes");
  EXPECT_EQ(verdict_on(coverage, "t: {}\n"), "no");
  EXPECT_EQ(verdict_on("{len_lt: {at: d.required, default: [], value: 3}}", "d: {required: [a, b]}\n"), "yes");
  EXPECT_EQ(verdict_on("{len_lt: {at: d.required, default: [], value: 3}}", "d: {required: [a, b, c]}\n"), "no");
  EXPECT_EQ(verdict_on("{len_lt: {at: d.required, default: [], value: 3}}", "d: {required: 5}\n"),
            "error: TypeError: object of type 'int' has no len()");
}

TEST(YamlPredicate, ListUpperAndReprPredicates) {
  const std::string docker =
      "{list_contains_any: {at: a.files, default: [], values: [Dockerfile, docker-compose.yml]}}";
  EXPECT_EQ(verdict_on(docker, "a: {files: [docker-compose.yml]}\n"), "yes");
  EXPECT_EQ(verdict_on(docker, "a: {files: [Containerfile]}\n"), "no");
  EXPECT_EQ(verdict_on(docker, "a: {files: 'see Dockerfile'}\n"), "yes");  // substring of a str
  EXPECT_EQ(verdict_on(docker, "a: {files: 'see Dockerfile'}\n", Profile::strict),
            "error: expected a list at 'a.files', found string");
  const std::string changelog = "{upper_contains: {at: c.location, default: '', value: CHANGELOG}}";
  EXPECT_EQ(verdict_on(changelog, "c: {location: docs/changelog.md}\n"), "yes");
  EXPECT_EQ(verdict_on(changelog, "c: {location: HISTORY.md}\n"), "no");
  EXPECT_EQ(verdict_on(changelog, "c: {location: [CHANGELOG.md]}\n"),
            "error: AttributeError: 'list' object has no attribute 'upper'");
  const std::string strategy = "{repr_contains_ci: [blue-green, canary]}";
  EXPECT_EQ(verdict_on(strategy, "strategy: Blue-Green\n"), "yes");
  EXPECT_EQ(verdict_on(strategy, "CANARY_weight: 5\n"), "yes");  // keys are searched too
  EXPECT_EQ(verdict_on(strategy, "strategy: rolling\n"), "no");
}

TEST(YamlPredicate, CombinatorsShortCircuitLikePython) {
  // MR003: `not deps or len(deps.get('required', [])) < 3`; an empty list never reaches .get().
  const std::string independent =
      "{any: [{not: {truthy: dependencies}}, {len_lt: {at: dependencies.required, default: [], value: 3}}]}";
  EXPECT_EQ(verdict_on(independent, "dependencies: []\n"), "yes");
  EXPECT_EQ(verdict_on(independent, "name: x\n"), "yes");
  EXPECT_EQ(verdict_on(independent, "dependencies: {required: [a]}\n"), "yes");
  EXPECT_EQ(verdict_on(independent, "dependencies: {required: [a, b, c]}\n"), "no");
  EXPECT_EQ(verdict_on(independent, "dependencies: [{name: x}]\n"),
            "error: AttributeError: 'list' object has no attribute 'get'");
  EXPECT_EQ(verdict_on("{all: [{has: [a]}, {has: [zz, q]}]}", "b: 1\n"), "no");  // stops before zz
  EXPECT_EQ(verdict_on("{all: [{is_mapping: ''}, {equals: {at: k, value: 1}}]}", "[1]\n"), "no");
}

TEST(YamlPredicate, CatalogErrorsAreReported) {
  for (const char* bad : {"{bogus: x}", "{has: []}", "{all: []}", "{matches: {at: v, regex: '('}}", "{equals: {at: v}}",
                          "{num_ge: {at: v, value: abc}}", "{all_keys: {keys: [a]}}", "{truthy: k, extra: 1}"}) {
    util::Diagnostics diagnostics;
    const auto node = checks::ParamTree::from_yaml(
        YAML::Load(std::string("kind: yaml_files_field\nquery: {patterns: ['*.yaml']}\npredicate: ") + bad));
    checks::Params params(node.root(), "t.yaml", diagnostics, 1);
    params.string("kind");
    checks::make_yaml_files_field(params);
    params.finish();
    EXPECT_FALSE(diagnostics.empty()) << bad;
  }
}

// ----------------------------------------------------------------- quantifiers

MemoryTree five_charts(int satisfying) {
  MemoryTree tree;
  for (int i = 0; i < 5; ++i) tree.add_file("c" + std::to_string(i) + ".yaml", i < satisfying ? "ok: 1\n" : "no: 1\n");
  return tree;
}

TEST(YamlQuantifier, AllListsViolationsAnyNoneAndCount) {
  MemoryTree tree = five_charts(3);
  auto all = field_check("{has: [ok]}", "all");
  Outputs out = run(*all, tree);
  EXPECT_FALSE(out.passed);
  EXPECT_EQ(out.values["violating"], json({"c3.yaml", "c4.yaml"}));
  EXPECT_EQ(out.values["violation_count"], 2);
  EXPECT_EQ(out.values["satisfied"], 3);
  EXPECT_TRUE(run(*field_check("{has: [ok]}", "any"), tree).passed);
  EXPECT_FALSE(run(*field_check("{has: [ok]}", "none"), tree).passed);
  EXPECT_TRUE(run(*field_check("{has: [ok]}", "{count_ge: 3}"), tree).passed);
  EXPECT_FALSE(run(*field_check("{has: [ok]}", "{count_ge: 4}"), tree).passed);
  MemoryTree none = five_charts(0);
  EXPECT_TRUE(run(*field_check("{has: [ok]}", "none"), none).passed);
  MemoryTree every = five_charts(5);
  EXPECT_TRUE(run(*field_check("{has: [ok]}", "all"), every).passed);
}

TEST(YamlQuantifier, RatioDenominatorsAndIntegerArithmetic) {
  // docs/reference-compatibility.md#rc-23: 7/10 >= 0.7 and 3/5 >= 0.6 hold exactly (integers, no float rounding).
  auto ratio = [](const std::string& x, const std::string& denominator, const std::string& empty) {
    return "{ratio_ge: {x: " + x + ", denominator: " + denominator + ", empty: " + empty + "}}";
  };
  MemoryTree three = five_charts(3);
  EXPECT_TRUE(run(*field_check("{has: [ok]}", ratio("0.6", "found", "fail")), three).passed);
  EXPECT_FALSE(run(*field_check("{has: [ok]}", ratio("0.61", "found", "fail")), three).passed);
  MemoryTree ten;
  for (int i = 0; i < 10; ++i) ten.add_file("d" + std::to_string(i) + ".yaml", i < 7 ? "ok: 1\n" : "x: 1\n");
  EXPECT_TRUE(run(*field_check("{has: [ok]}", ratio("0.7", "found", "fail")), ten).passed);
  // docs/reference-compatibility.md#rc-5: the reference samples 2 files but divides by all 5 found; `sampled` divides by 2.
  const std::string sample2 =
      "kind: yaml_files_field\nquery: {patterns: ['**/*.yaml'], sample: 2}\n"
      "predicate: {has: [ok]}\nquantifier: ";
  MemoryTree two_of_five = five_charts(2);
  Outputs found = run(*compile(sample2 + ratio("0.5", "found", "fail")), two_of_five);
  EXPECT_FALSE(found.passed);
  EXPECT_EQ(found.values["satisfied"], 2);
  EXPECT_EQ(found.values["found"], 5);
  EXPECT_EQ(found.values["sampled"], 2);
  EXPECT_TRUE(run(*compile(sample2 + ratio("0.5", "sampled", "fail")), two_of_five).passed);
  // Nothing found: the `empty` setting decides.
  MemoryTree empty;
  empty.add_file("readme.md");
  EXPECT_FALSE(run(*field_check("{has: [ok]}", ratio("0.5", "found", "fail")), empty).passed);
  EXPECT_TRUE(run(*field_check("{has: [ok]}", ratio("0.5", "found", "pass")), empty).passed);
}

TEST(YamlQuantifier, LoadErrorsAreSkippedInReferenceAndCountedInStrict) {
  MemoryTree tree;
  tree.add_file("good.yaml", "ok: 1\n").add_file("broken.yaml", "ok: [1\n").add_file("list.yaml", "- ok\n");
  tree.add_file("bad.yaml", std::string("ok: \xff\n", 6));
  // Reference: all three bad files are skipped (list.yaml raises on .get in the predicate below).
  auto reference = field_check("{truthy: ok}", "all");
  Outputs ref = run(*reference, tree);
  EXPECT_TRUE(ref.passed);
  EXPECT_EQ(ref.values["error_count"], 3);
  EXPECT_TRUE(ref.notes.empty());
  // CS001's on_error: violation makes them violations, still without an `errors` note.
  Outputs counted = run(*field_check("{truthy: ok}", "all", Profile::reference, "on_error: violation\n"), tree);
  EXPECT_FALSE(counted.passed);
  EXPECT_EQ(counted.values["violating"], json({"bad.yaml", "broken.yaml", "list.yaml"}));
  // Strict: violations, and every one listed with its reason (docs/reference-compatibility.md#rc-13).
  Outputs strict = run(*field_check("{truthy: ok}", "all", Profile::strict), tree, Profile::strict);
  EXPECT_FALSE(strict.passed);
  ASSERT_EQ(strict.notes["errors"].size(), 3u);
  EXPECT_EQ(strict.notes["errors"][0]["file"], "bad.yaml");
  EXPECT_EQ(strict.notes["errors"][0]["error"],
            "'utf-8' codec can't decode byte 0xff in position 4: invalid start byte");
  EXPECT_EQ(strict.notes["errors"][2]["error"], "the document is not a mapping (found list)");
  // For a ratio, an error is "not satisfied": 1 of 4.
  Outputs ratio =
      run(*field_check("{truthy: ok}", "{ratio_ge: {x: 0.3, denominator: sampled, empty: fail}}", Profile::strict),
          tree, Profile::strict);
  EXPECT_FALSE(ratio.passed);
  EXPECT_EQ(ratio.values["satisfied"], 1);
}

TEST(YamlQuantifier, RequireTruthyDocAndDirectoriesNamedLikeFiles) {
  MemoryTree tree;
  tree.add_file("empty.yaml", "").add_file("zero.yaml", "{}\n").add_file("ok.yaml", "a: {b: 1}\n");
  tree.add_dir("dir.yaml");
  auto check = field_check("{has: [a, b]}", "any", Profile::reference, "require_truthy_doc: true\n");
  Outputs out = run(*check, tree);
  EXPECT_EQ(out.values["satisfied"], 1);
  EXPECT_EQ(out.values["found"], 4);
  // empty.yaml (None) and zero.yaml ({}) are falsy: not counted, no error; the directory cannot be opened.
  ASSERT_EQ(out.values["error_count"], 1);
  EXPECT_EQ(out.values["errors"][0]["error"], "[Errno 21] Is a directory: '/repo/dir.yaml'");
}

TEST(YamlQuantifier, ConstantsBecomeOutputs) {
  MemoryTree tree = five_charts(1);
  Outputs out = run(*field_check("{has: [ok]}", "any", Profile::reference,
                                 "constants: {required_fields: [shard_id, version, status]}\n"),
                    tree);
  EXPECT_EQ(out.values["required_fields"], json({"shard_id", "version", "status"}));
}

// -------------------------------------------------------------------- contract

std::string contract_rule(const std::string& path, Profile profile) {
  if (profile == Profile::strict)
    return "kind: contract_field_present\ncontract:\n  patterns: ['**/contracts/**/*.yaml', '**/contracts/**/*.yml']\n"
           "  exact_path: 16_codex/contracts/sot/sot_contract_data.yaml\n  prefer_name_contains: sot_contract_data\n"
           "path: " +
           path + "\ncategory: GENERAL\n";
  return "kind: contract_field_present\ncontract:\n  patterns: ['**/contracts/**/*.yaml', '**/contracts/**/*.yml']\n"
         "  prefer_name_contains: sot_contract_data\n  avoid_name_contains: openapi\n"
         "path: " +
         path + "\ncategory: GENERAL\n";
}

Outputs contract(MemoryTree& tree, const std::string& path, Profile profile = Profile::reference) {
  return run(*compile(contract_rule(path, profile), profile), tree, profile);
}

const char* k_contract =
    "version: '2.0'\nfee_routing:\n  system_fees:\n    total_fee: 0.01\n    note: TBD\n"
    "  empty: {}\nflags: [a]\ndate: 2025-10-21\nnothing: null\n1: one\nyes: no\n";

TEST(ContractField, TheFiveMessageAndEvidenceShapes) {
  MemoryTree tree;
  tree.add_file("16_codex/contracts/sot/sot_contract_data.yaml", k_contract);
  const std::string file = "/repo/16_codex/contracts/sot/sot_contract_data.yaml";

  Outputs ok = contract(tree, "fee_routing.system_fees.total_fee");
  EXPECT_TRUE(ok.passed);
  EXPECT_EQ(ok.values["detail"], "Field 'fee_routing.system_fees.total_fee' exists");
  EXPECT_EQ(ok.evidence->dump(), json({{"field_path", "fee_routing.system_fees.total_fee"},
                                       {"value_type", "<class 'float'>"},
                                       {"contract_file", file}})
                                     .dump());
  // Key presence only: TBD, {} and null pass; type names as Python prints them (docs/reference-compatibility.md#rc-12).
  EXPECT_EQ((*contract(tree, "fee_routing.empty").evidence)["value_type"], "<class 'dict'>");
  EXPECT_EQ((*contract(tree, "nothing").evidence)["value_type"], "<class 'NoneType'>");
  EXPECT_EQ((*contract(tree, "date").evidence)["value_type"], "<class 'datetime.date'>");
  EXPECT_EQ((*contract(tree, "version").evidence)["value_type"], "<class 'str'>");
  EXPECT_TRUE(contract(tree, "fee_routing.system_fees.note").passed);

  Outputs missing = contract(tree, "fee_routing.burn");
  EXPECT_FALSE(missing.passed);
  EXPECT_EQ(missing.values["detail"], "Missing required field 'fee_routing.burn'");
  EXPECT_EQ(missing.evidence->dump(), json({{"field_path", "fee_routing.burn"},
                                            {"missing_field", "burn"},
                                            {"available_fields", {"system_fees", "empty"}}})
                                          .dump());
  // Keys in document order, typed as json.dumps writes them; `yes:` (True) folds into the key 1 as in a
  // Python dict (True == 1), keeping the first key.
  Outputs top = contract(tree, "absent");
  EXPECT_EQ((*top.evidence)["available_fields"], json({"version", "fee_routing", "flags", "date", "nothing", 1}));

  Outputs not_dict = contract(tree, "flags.a");
  EXPECT_FALSE(not_dict.passed);
  EXPECT_EQ(not_dict.values["detail"], "Path 'flags' is not a dict");
  EXPECT_EQ(not_dict.evidence->dump(),
            json({{"field_path", "flags.a"}, {"failed_at", "flags"}, {"type", "<class 'list'>"}}).dump());

  MemoryTree broken;
  broken.add_file("16_codex/contracts/sot/sot_contract_data.yaml", "a: [\n");
  Outputs load = contract(broken, "a");
  EXPECT_FALSE(load.passed);
  const std::string error = (*load.evidence)["error"];
  EXPECT_EQ(load.values["detail"], "Failed to load contract YAML: " + error);
  EXPECT_EQ(load.evidence->dump(), json({{"error", error}, {"file", file}}).dump());

  MemoryTree none;
  none.add_file("docs/readme.md");
  Outputs nothing = contract(none, "a.b");
  EXPECT_FALSE(nothing.passed);
  EXPECT_EQ(nothing.values["detail"], "No contract files found in repository");
  EXPECT_EQ(nothing.evidence->dump(), json({{"error", "No contract files"}, {"field_path", "a.b"}}).dump());
}

TEST(ContractField, ANonMappingDocumentFailsAtTheEmptyPrefix) {
  MemoryTree tree;
  tree.add_file("x/contracts/sot_contract_data.yaml", "- a\n");
  Outputs out = contract(tree, "a");
  EXPECT_EQ(out.values["detail"], "Path '' is not a dict");
  EXPECT_EQ((*out.evidence)["failed_at"], "");
  EXPECT_EQ((*out.evidence)["type"], "<class 'list'>");
  // Strict names the type neutrally (docs/reference-compatibility.md#rc-12).
  MemoryTree strict_tree;
  strict_tree.add_file("16_codex/contracts/sot/sot_contract_data.yaml", "a: 5\n");
  Outputs strict = contract(strict_tree, "a.b", Profile::strict);
  EXPECT_EQ((*strict.evidence)["type"], "int");
  EXPECT_EQ((*contract(strict_tree, "a", Profile::strict).evidence)["value_type"], "int");
}

TEST(ContractField, ReferenceSelectionFallsBackInWalkOrder) {
  // docs/reference-compatibility.md#rc-21: first name match (walk order, .yaml before .yml), else the first non-OpenAPI file, else the first.
  MemoryTree tree;
  tree.add_file("a/contracts/api.openapi.yaml", "openapi: 3\n");
  tree.add_file("b/contracts/other.yaml", "other: 1\n");
  tree.add_file("c/contracts/deep/SOT_Contract_Data_backup.yml", "backup: 1\n");
  EXPECT_EQ((*contract(tree, "backup").evidence)["contract_file"],
            "/repo/c/contracts/deep/SOT_Contract_Data_backup.yml");
  tree.remove("c/contracts/deep/SOT_Contract_Data_backup.yml");
  EXPECT_EQ((*contract(tree, "other").evidence)["contract_file"], "/repo/b/contracts/other.yaml");
  tree.remove("b/contracts/other.yaml");
  EXPECT_EQ((*contract(tree, "openapi").evidence)["contract_file"], "/repo/a/contracts/api.openapi.yaml");
}

TEST(ContractField, StrictSelectionIsExactThenSortedNameMatchElseNothing) {
  MemoryTree tree;
  tree.add_file("00_backup/contracts/sot_contract_data.yaml", "old: 1\n");
  tree.add_file("16_codex/contracts/sot/sot_contract_data.yaml", "new: 1\n");
  EXPECT_TRUE(contract(tree, "new", Profile::strict).passed);
  EXPECT_TRUE(contract(tree, "old").passed);  // the reference takes the first in walk order
  tree.remove("16_codex/contracts/sot/sot_contract_data.yaml");
  tree.add_file("zz/contracts/sot_contract_data_v2.yaml", "v2: 1\n");
  EXPECT_TRUE(contract(tree, "old", Profile::strict).passed);  // sorted-first name match
  MemoryTree unrelated;
  unrelated.add_file("16_codex/contracts/other.yaml", "a: 1\n");
  Outputs none = contract(unrelated, "a", Profile::strict);
  EXPECT_FALSE(none.passed);  // no fallback to an unrelated contract in strict
  EXPECT_EQ(none.values["detail"], "No contract files found in repository");
  EXPECT_EQ(none.notes["expected_contract"], "16_codex/contracts/sot/sot_contract_data.yaml");
  EXPECT_TRUE(contract(unrelated, "a").passed);  // the reference tests the unrelated file
}

/// The image `validate` would build for contract rules: the contract candidates parsed as YAML.
std::unique_ptr<snapshot::HeapImage> contract_image(MemoryTree& tree) {
  snapshot::BuildOptions options;
  options.root_path = "/repo";
  options.wants_yaml = [](std::string_view path, std::string_view) {
    return path.find("contracts") != std::string::npos;
  };
  auto image = snapshot::HeapImage::build(snapshot::walk(tree, {}), tree, options);
  if (!image) throw std::runtime_error(image.error());
  return std::make_unique<snapshot::HeapImage>(std::move(*image));
}

TEST(ContractField, OneResolutionPerSpecIsSharedAcrossRulesAndThreadsOfARun) {
  MemoryTree tree;
  tree.add_file("16_codex/contracts/sot/sot_contract_data.yaml", k_contract);
  const auto image = contract_image(tree);
  const auto view = image->view();
  ASSERT_TRUE(view.ok());
  std::vector<std::unique_ptr<checks::Check>> rules;
  for (const char* path : {"version", "fee_routing", "fee_routing.system_fees.note", "flags", "absent"})
    rules.push_back(compile(contract_rule(path, Profile::reference)));
  checks::CheckCaches caches;
  std::vector<int> passed(8, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      for (const auto& rule : rules) passed[t] += rule->evaluate({*view, Profile::reference, &caches}).passed ? 1 : 0;
    });
  for (auto& thread : threads) thread.join();
  for (int p : passed) EXPECT_EQ(p, 4);
  EXPECT_EQ(caches.contract_resolution_count(), 1u);
  // Another spec (the strict selection) is resolved apart, and still once.
  const auto strict_a = compile(contract_rule("version", Profile::strict), Profile::strict);
  const auto strict_b = compile(contract_rule("absent", Profile::strict), Profile::strict);
  EXPECT_TRUE(strict_a->evaluate({*view, Profile::strict, &caches}).passed);
  EXPECT_FALSE(strict_b->evaluate({*view, Profile::strict, &caches}).passed);
  EXPECT_EQ(caches.contract_resolution_count(), 2u);
}

TEST(ContractField, EachRunResolvesItsOwnImage) {
  // The same compiled rule over two trees, as two runs of one catalog: nothing of the first run's contract
  // survives into the second, with or without caches.
  const auto rule = compile(contract_rule("first", Profile::reference));
  MemoryTree one, two;
  one.add_file("16_codex/contracts/sot/sot_contract_data.yaml", "first: 1\n");
  two.add_file("16_codex/contracts/sot/sot_contract_data.yaml", "second: 1\n");
  const auto image_one = contract_image(one);
  const auto image_two = contract_image(two);
  for (int round = 0; round < 2; ++round) {
    checks::CheckCaches run_one, run_two;
    EXPECT_TRUE(rule->evaluate({*image_one->view(), Profile::reference, &run_one}).passed);
    EXPECT_FALSE(rule->evaluate({*image_two->view(), Profile::reference, &run_two}).passed);
    EXPECT_TRUE(rule->evaluate({*image_one->view(), Profile::reference}).passed);
    EXPECT_FALSE(rule->evaluate({*image_two->view(), Profile::reference}).passed);
  }
}

// ------------------------------------------------------------ shard_path_ratio

TEST(ShardPathRatio, CountsChartsOfTheFirstRootsAndShards) {
  const std::string rule =
      "kind: shard_path_ratio\nroot_regex: '^[0-9]{2}_'\nmax_roots: 2\ncontainer: shards\n"
      "max_shards: 2\nfile: chart.yaml\nratio: 0.8\n";
  MemoryTree tree;
  tree.add_file("01_a/shards/01_x/chart.yaml").add_file("01_a/shards/02_y/chart.yaml");
  tree.add_file("01_a/shards/03_z/values.yaml");  // third shard: beyond max_shards
  tree.add_file("02_B-odd/shards/01_x/chart.yaml").add_file("02_B-odd/shards/any/Chart.yaml");
  tree.add_file("03_c/shards/01_x/values.yaml");  // third root: beyond max_roots
  tree.add_dir("docs/shards/01_x");
  Outputs out = run(*compile(rule), tree);
  EXPECT_EQ(out.values["total_expected"], 4);
  EXPECT_EQ(out.values["valid_paths"], 3);  // Chart.yaml is not chart.yaml
  EXPECT_FALSE(out.passed);                 // 3/4 < 0.8
  tree.add_file("02_B-odd/shards/any/chart.yaml");
  EXPECT_TRUE(run(*compile(rule), tree).passed);
  MemoryTree empty;
  empty.add_dir("01_a");
  EXPECT_FALSE(run(*compile(rule), empty).passed);  // nothing expected: fail
}

TEST(ShardPathRatio, AShardsFileIsAnErrorInReferenceAndListedInStrict) {
  MemoryTree tree;
  tree.add_file("01_a/shards", "not a dir");
  tree.add_file("02_b/shards/01_x/chart.yaml");
  const std::string reference = "kind: shard_path_ratio\nroot_regex: '^[0-9]{2}_'\nratio: 0.8\n";
  EXPECT_THROW(run(*compile(reference), tree), std::runtime_error);
  const std::string strict = "kind: shard_path_ratio\nroot_regex: '^[0-9]{2}_[a-z_]+$'\nratio: 0.8\n";
  Outputs out = run(*compile(strict, Profile::strict), tree, Profile::strict);
  EXPECT_TRUE(out.passed);
  EXPECT_EQ(out.notes["errors"][0]["file"], "01_a/shards");
}

}  // namespace
}  // namespace sotcheck
