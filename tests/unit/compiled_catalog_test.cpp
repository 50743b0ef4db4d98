// The compiled catalog (catalog/compiled_catalog.hpp): the blob embedded in
// the binary is exactly what compiling rules/ now produces, it loads into the
// same catalog as the YAML (every rule, every profile), the checks it rebuilds
// reach the same verdicts, and a damaged blob is an error, never a crash.

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>
#include <utility>
#include <vector>

#include "sotcheck/catalog/compiled_catalog.hpp"
#include "sotcheck/catalog/embedded.hpp"
#include "support/rule_harness.hpp"
#include "support/trees.hpp"

namespace sotcheck {
namespace {

using catalog::Catalog;
using checks::Profile;

const std::string k_rules_dir = std::string(SOTCHECK_SOURCE_DIR) + "/rules";

Catalog yaml_catalog() {
  util::Diagnostics diagnostics;
  auto loaded = catalog::load_catalog_directory(k_rules_dir, diagnostics);
  if (!loaded) throw std::runtime_error(diagnostics.to_string());
  return std::move(*loaded);
}

Catalog embedded_catalog() {
  util::Diagnostics diagnostics;
  auto loaded = catalog::load_embedded_catalog(diagnostics);
  if (!loaded) throw std::runtime_error(diagnostics.to_string());
  return std::move(*loaded);
}

TEST(CompiledCatalog, EmbeddedBlobIsWhatCompilingRulesProducesNow) {
  util::Diagnostics diagnostics;
  const auto fresh = catalog::compile_catalog_directory(k_rules_dir, diagnostics);
  ASSERT_TRUE(fresh) << diagnostics.to_string();
  const auto embedded = catalog::embedded_compiled_catalog();
  const std::vector<std::uint8_t> embedded_bytes(embedded.begin(), embedded.end());
  EXPECT_TRUE(*fresh == embedded_bytes) << "the embedded catalog is stale: rebuild (" << fresh->size() << " bytes now, "
                                        << embedded_bytes.size() << " embedded)";
}

void expect_same_compiled(const catalog::CompiledRule& a, const catalog::CompiledRule& b, const std::string& where) {
  EXPECT_EQ(a.check_spec.get(), b.check_spec.get()) << where;
  EXPECT_EQ(a.message.text(), b.message.text()) << where;
  EXPECT_EQ(a.report_only, b.report_only) << where;
  EXPECT_EQ(a.alias_target, b.alias_target) << where;
  EXPECT_EQ(a.check == nullptr, b.check == nullptr) << where;
  ASSERT_EQ(a.evidence.size(), b.evidence.size()) << where;
  for (size_t i = 0; i < a.evidence.size(); ++i) {
    const auto& x = a.evidence[i];
    const auto& y = b.evidence[i];
    EXPECT_EQ(x.key, y.key) << where;
    EXPECT_EQ(x.kind, y.kind) << where << " evidence " << x.key;
    EXPECT_EQ(x.name, y.name) << where << " evidence " << x.key;
    EXPECT_EQ(x.k, y.k) << where << " evidence " << x.key;
    EXPECT_EQ(x.literal, y.literal) << where << " evidence " << x.key;
  }
}

TEST(CompiledCatalog, LoadsTheSameCatalogAsTheYamlEveryRuleEveryProfile) {
  const Catalog yaml = yaml_catalog();
  const Catalog compiled = embedded_catalog();
  EXPECT_EQ(compiled.origin, "embedded");
  for (size_t p = 0; p < checks::k_profile_count; ++p) {
    EXPECT_EQ(yaml.profiles[p].do_not_descend, compiled.profiles[p].do_not_descend);
    EXPECT_EQ(yaml.profiles[p].query_excluded_dirs, compiled.profiles[p].query_excluded_dirs);
  }
  ASSERT_EQ(yaml.batches.size(), compiled.batches.size());
  for (size_t i = 0; i < yaml.batches.size(); ++i) {
    EXPECT_EQ(yaml.batches[i].id, compiled.batches[i].id);
    EXPECT_EQ(yaml.batches[i].name, compiled.batches[i].name);
    EXPECT_EQ(yaml.batches[i].depends_on, compiled.batches[i].depends_on);
    EXPECT_EQ(yaml.batches[i].rules, compiled.batches[i].rules);
    EXPECT_EQ(yaml.batches[i].source_line, compiled.batches[i].source_line);
  }
  ASSERT_EQ(yaml.rules.size(), compiled.rules.size());
  ASSERT_EQ(yaml.rules.size(), 384u);
  for (size_t i = 0; i < yaml.rules.size(); ++i) {
    const auto& a = yaml.rules[i];
    const auto& b = compiled.rules[i];
    ASSERT_EQ(a.id, b.id);
    EXPECT_EQ(a.title, b.title) << a.id;
    EXPECT_EQ(a.rationale, b.rationale) << a.id;
    EXPECT_EQ(a.fix, b.fix) << a.id;
    EXPECT_EQ(a.example, b.example) << a.id;
    EXPECT_EQ(a.family, b.family) << a.id;
    EXPECT_EQ(a.severity, b.severity) << a.id;
    EXPECT_EQ(a.batch, b.batch) << a.id;
    EXPECT_EQ(a.depends_on, b.depends_on) << a.id;
    EXPECT_EQ(a.source_file, b.source_file) << a.id;
    EXPECT_EQ(a.source_line, b.source_line) << a.id;
    for (Profile p : {Profile::strict, Profile::reference})
      expect_same_compiled(a.for_profile(p), b.for_profile(p), a.id + " (" + std::string(catalog::profile_name(p)) + ")");
  }
}

/// Every rule of `catalog` on `tree`, as validate evaluates them (sequentially).
std::vector<exec::Verdict> run(const Catalog& catalog, snapshot::TreeSource& tree, Profile profile) {
  exec::PipelineOptions options;
  options.profile = profile;
  return testing::pipeline_verdicts(catalog, tree, options);
}

// The rebuilt checks are the checks: on trees that pass and trees that fail
// many rules, both profiles, every verdict (status, message, evidence,
// findings) is the YAML catalog's.
TEST(CompiledCatalog, RebuiltChecksReachTheYamlCatalogsVerdicts) {
  const Catalog yaml = yaml_catalog();
  const Catalog compiled = embedded_catalog();
  struct Case {
    const char* name;
    testing::MemoryTree tree;
    Profile profile;
  };
  std::vector<Case> cases;
  cases.push_back({"scaffold/strict", testing::scaffold_tree(), Profile::strict});
  cases.push_back({"reference tree/strict", testing::reference_tree(), Profile::strict});
  cases.push_back({"reference tree/reference", testing::reference_tree(), Profile::reference});
  cases.push_back({"strict tree/reference", testing::strict_tree(), Profile::reference});
  for (auto& c : cases) {
    const auto a = run(yaml, c.tree, c.profile);
    const auto b = run(compiled, c.tree, c.profile);
    ASSERT_EQ(a.size(), b.size()) << c.name;
    size_t not_passing = 0;
    for (size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(a[i].rule_id, b[i].rule_id) << c.name;
      EXPECT_EQ(a[i].status, b[i].status) << c.name << " " << a[i].rule_id;
      EXPECT_EQ(a[i].message, b[i].message) << c.name << " " << a[i].rule_id;
      EXPECT_EQ(a[i].evidence, b[i].evidence) << c.name << " " << a[i].rule_id;
      EXPECT_TRUE(a[i].findings == b[i].findings) << c.name << " " << a[i].rule_id;
      if (!a[i].passed()) ++not_passing;
    }
    if (std::string(c.name) != "scaffold/strict") {
      EXPECT_GT(not_passing, 0u) << c.name << ": the case must exercise failures";
    }
  }
}

TEST(CompiledCatalog, DamagedBlobIsAnErrorNotACrash) {
  const auto embedded = catalog::embedded_compiled_catalog();
  const std::vector<std::uint8_t> good(embedded.begin(), embedded.end());
  const auto refused = [](const std::vector<std::uint8_t>& blob) {
    util::Diagnostics diagnostics;
    const auto loaded = catalog::load_compiled_catalog(blob, "test", diagnostics);
    return !loaded && !diagnostics.empty();
  };
  EXPECT_TRUE(refused({}));
  EXPECT_TRUE(refused({'S', 'O', 'T', 'C', 99}));  // another version
  for (size_t cut : {size_t{3}, size_t{5}, good.size() / 3, good.size() / 2, good.size() - 1})
    EXPECT_TRUE(refused(std::vector<std::uint8_t>(good.begin(), good.begin() + static_cast<long>(cut)))) << cut;
  auto trailing = good;
  trailing.push_back(0);
  EXPECT_TRUE(refused(trailing));
  // A huge count must be refused before anything is allocated for it.
  std::vector<std::uint8_t> huge = {'S', 'O', 'T', 'C', catalog::k_compiled_catalog_version, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f};
  EXPECT_TRUE(refused(huge));
}

/// A one-rule catalog: rule X001 with `check` and `message`, the strict
/// profile's settings `strict` (a flow map).
std::vector<catalog::SourceFile> one_rule_catalog(const std::string& strict, const std::string& check,
                                                  const std::string& message) {
  const std::string index = "files: [x.yaml]\nprofiles:\n  strict: " + strict + "\n  reference: {do_not_descend: []}\n";
  const std::string batches = "batches:\n  - {id: 0, name: first, depends_on: [], rules: [X001]}\n";
  const std::string rules = "family: X\nrules:\n  - id: X001\n    title: t\n    severity: HIGH\n    batch: 0\n"
                            "    check: " + check + "\n    message: " + message + "\n    rationale: r\n    fix: f\n";
  return {{"catalog.yaml", index}, {"batches.yaml", batches}, {"x.yaml", rules}};
}

/// The catalog of `files` loaded from YAML and compiled-then-loaded.
std::pair<Catalog, Catalog> yaml_and_compiled(const std::vector<catalog::SourceFile>& files) {
  util::Diagnostics diagnostics;
  const auto blob = catalog::compile_catalog(files, diagnostics);
  if (!blob) throw std::runtime_error(diagnostics.to_string());
  auto yaml = catalog::load_catalog(files, "test", diagnostics);
  auto compiled = catalog::load_compiled_catalog(*blob, "test", diagnostics);
  if (!yaml || !compiled) throw std::runtime_error(diagnostics.to_string());
  return {std::move(*yaml), std::move(*compiled)};
}

TEST(CompiledCatalog, KeepsQuotedScalarsText) {
  // A quoted "true" in a constant is text, a plain true a boolean
  // (checks/check_constants.cpp): the compiled form must keep the difference.
  const auto [yaml, compiled] = yaml_and_compiled(one_rule_catalog(
      "{do_not_descend: []}",
      "{kind: glob_count, query: {patterns: ['*.md']}, op: ge, value: 0, constants: {quoted: \"true\", plain: true}}",
      "\"{quoted} {plain}\""));
  auto tree = testing::strict_tree();
  const auto a = run(yaml, tree, Profile::strict);
  const auto b = run(compiled, tree, Profile::strict);
  ASSERT_EQ(a.size(), 1u);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(a[0].message, b[0].message);
  EXPECT_EQ(a[0].message.substr(0, 5), "true ");
}

/// X001 passes when no `*.py` file is found anywhere; `excluded` is the strict profile's query_excluded_dirs.
std::vector<catalog::SourceFile> no_python_catalog(const std::string& excluded) {
  return one_rule_catalog("{do_not_descend: [], query_excluded_dirs: " + excluded + "}",
                          "{kind: glob_count, query: {patterns: ['**/*.py']}, op: le, value: 0}", "\"{count} found\"");
}

// Profile exclusions are catalog data: the same query returns a file below
// .venv or not as the profile's query_excluded_dirs says, from YAML and compiled alike.
TEST(CompiledCatalog, QueryExclusionsComeFromTheProfile) {
  testing::MemoryTree tree;
  tree.add_file(".venv/lib/site.py", "x = 1\n");
  for (const std::string excluded : {"[.venv]", "[]"}) {
    const auto [yaml, compiled] = yaml_and_compiled(no_python_catalog(excluded));
    const auto expected = excluded == "[]" ? exec::Status::fail : exec::Status::pass;
    EXPECT_EQ(run(yaml, tree, Profile::strict).at(0).status, expected) << excluded;
    EXPECT_EQ(run(compiled, tree, Profile::strict).at(0).status, expected) << excluded;
  }
}

// A compiled catalog builds a rule's form on first use; threads asking at
// once get the one form, built once.
TEST(CompiledCatalog, FormsAreBuiltOnceWhateverTheThreads) {
  const Catalog compiled = embedded_catalog();
  std::vector<std::vector<const checks::Check*>> seen(4);
  std::vector<std::thread> threads;
  for (auto& checks_seen : seen)
    threads.emplace_back([&compiled, &checks_seen] {
      for (const auto& rule : compiled.rules)
        for (Profile p : {Profile::strict, Profile::reference})
          checks_seen.push_back(rule.for_profile(p).check.get());
    });
  for (auto& t : threads) t.join();
  for (const auto& checks_seen : seen) EXPECT_EQ(checks_seen, seen[0]);
  EXPECT_NE(std::count(seen[0].begin(), seen[0].end(), nullptr), static_cast<long>(seen[0].size()));
}

// A well-formed blob whose check names a primitive this build lacks loads (its
// shape is sound) and the rule's verdict is an ERROR naming why, not a crash.
TEST(CompiledCatalog, AFormThatDoesNotBuildIsAnErrorVerdict) {
  util::Diagnostics diagnostics;
  auto blob = catalog::compile_catalog(no_python_catalog("[]"), diagnostics);
  ASSERT_TRUE(blob) << diagnostics.to_string();
  const std::string kind = "glob_count";
  std::size_t renamed = 0;
  for (auto at = std::search(blob->begin(), blob->end(), kind.begin(), kind.end()); at != blob->end();
       at = std::search(at + 1, blob->end(), kind.begin(), kind.end())) {
    *at = 'x';  // same length: every offset and count stays right
    ++renamed;
  }
  ASSERT_GT(renamed, 0u);
  const auto compiled = catalog::load_compiled_catalog(*blob, "test", diagnostics);
  ASSERT_TRUE(compiled) << diagnostics.to_string();
  testing::MemoryTree tree;
  const auto verdicts = run(*compiled, tree, Profile::strict);
  ASSERT_EQ(verdicts.size(), 1u);
  EXPECT_EQ(verdicts[0].status, exec::Status::error);
  EXPECT_NE(verdicts[0].message.find("xlob_count"), std::string::npos) << verdicts[0].message;
}

/// `blob` with the first occurrence of `from` replaced by `to` (same length, so every offset and count stays right).
std::vector<std::uint8_t> replaced(std::vector<std::uint8_t> blob, const std::string& from, const std::string& to) {
  const auto at = std::search(blob.begin(), blob.end(), from.begin(), from.end());
  if (at == blob.end() || from.size() != to.size()) throw std::runtime_error("no '" + from + "' in the blob");
  std::copy(to.begin(), to.end(), at);
  return blob;
}

// The compiled catalog hands the factory its parameters as stored; one that
// does not read (a parameter of the wrong type or value) is reported as the
// YAML loader reports it, at the rule's file and line, in the ERROR verdict.
TEST(CompiledCatalog, AParameterThatDoesNotReadIsAnErrorVerdictWithItsText) {
  util::Diagnostics diagnostics;
  const auto blob = catalog::compile_catalog(no_python_catalog("[]"), diagnostics);
  ASSERT_TRUE(blob) << diagnostics.to_string();
  // A stored plain scalar is its tag byte (1), its length, its text: `value: 0` and `op: le`.
  const std::string value_zero = std::string("value") + '\x01' + '\x01' + '0';
  const std::string op_le = std::string("op") + '\x01' + '\x02' + "le";
  const struct {
    std::vector<std::uint8_t> blob;
    std::string expected;
  } cases[] = {
      {replaced(*blob, value_zero, value_zero.substr(0, value_zero.size() - 1) + "x"),
       "x.yaml:3: parameter 'value' must be an integer"},
      {replaced(*blob, op_le, op_le.substr(0, op_le.size() - 2) + "lx"),
       "x.yaml:3: parameter 'op' is 'lx'; expected one of: ge, le"},
  };
  for (const auto& c : cases) {
    const auto compiled = catalog::load_compiled_catalog(c.blob, "test", diagnostics);
    ASSERT_TRUE(compiled) << diagnostics.to_string();
    testing::MemoryTree tree;
    const auto verdicts = run(*compiled, tree, Profile::strict);
    ASSERT_EQ(verdicts.size(), 1u);
    EXPECT_EQ(verdicts[0].status, exec::Status::error);
    EXPECT_NE(verdicts[0].message.find(c.expected), std::string::npos) << verdicts[0].message;
  }
}

// Rules share a file query parsed once (checks/factory_memo.hpp), but only one
// that had no problem: two rules with the same bad query each report it at
// their own line.
TEST(CompiledCatalog, ASharedQueryWithAProblemIsReportedForEveryRule) {
  const std::string query = "{kind: glob_count, query: {patterns: ['*.md'], max_depth: -1}, op: ge, value: 0}";
  auto files = one_rule_catalog("{do_not_descend: []}", query, "\"{count}\"");
  files[1].text = "batches:\n  - {id: 0, name: first, depends_on: [], rules: [X001, X002]}\n";
  files[2].text += "  - id: X002\n    title: t\n    severity: HIGH\n    batch: 0\n    check: " + query +
                   "\n    message: \"{count}\"\n    rationale: r\n    fix: f\n";
  util::Diagnostics diagnostics;
  EXPECT_FALSE(catalog::load_catalog(files, "test", diagnostics));
  std::vector<int> lines;
  for (const auto& d : diagnostics.items())
    if (d.message.find("max_depth") != std::string::npos) lines.push_back(d.line);
  EXPECT_EQ(lines, (std::vector<int>{7, 15})) << diagnostics.to_string();
}

}  // namespace
}  // namespace sotcheck
