// The compiled catalog (catalog/compiled_catalog.hpp): the blob embedded in
// the binary is exactly what compiling rules/ now produces, it loads into the
// same catalog as the YAML (every rule, every profile), the checks it rebuilds
// reach the same verdicts, and a damaged blob is an error, never a crash.

#include <gtest/gtest.h>

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
  EXPECT_EQ(a.check_spec, b.check_spec) << where;
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
  for (size_t p = 0; p < checks::k_profile_count; ++p)
    EXPECT_EQ(yaml.profiles[p].do_not_descend, compiled.profiles[p].do_not_descend);
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
  std::vector<std::uint8_t> huge = {'S', 'O', 'T', 'C', 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f};
  EXPECT_TRUE(refused(huge));
}

TEST(CompiledCatalog, KeepsQuotedScalarsText) {
  // A quoted "true" in a constant is text, a plain true a boolean
  // (checks/check_constants.cpp): the compiled form must keep the difference.
  const std::string index = "files: [x.yaml]\nprofiles:\n  strict: {do_not_descend: []}\n  reference: {do_not_descend: []}\n";
  const std::string batches = "batches:\n  - {id: 0, name: first, depends_on: [], rules: [X001]}\n";
  const std::string rules =
      "family: X\nrules:\n  - id: X001\n    title: t\n    severity: HIGH\n    batch: 0\n"
      "    check: {kind: glob_count, query: {patterns: ['*.md']}, op: ge, value: 0,\n"
      "            constants: {quoted: \"true\", plain: true}}\n"
      "    message: \"{quoted} {plain}\"\n    rationale: r\n    fix: f\n";
  const std::vector<catalog::SourceFile> files = {{"catalog.yaml", index}, {"batches.yaml", batches}, {"x.yaml", rules}};
  util::Diagnostics diagnostics;
  const auto blob = catalog::compile_catalog(files, diagnostics);
  ASSERT_TRUE(blob) << diagnostics.to_string();
  const auto yaml = catalog::load_catalog(files, "test", diagnostics);
  const auto compiled = catalog::load_compiled_catalog(*blob, "test", diagnostics);
  ASSERT_TRUE(yaml && compiled) << diagnostics.to_string();
  auto tree = testing::strict_tree();
  const auto a = run(*yaml, tree, Profile::strict);
  const auto b = run(*compiled, tree, Profile::strict);
  ASSERT_EQ(a.size(), 1u);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(a[0].message, b[0].message);
  EXPECT_EQ(a[0].message.substr(0, 5), "true ");
}

}  // namespace
}  // namespace sotcheck
