// Hostile catalogs end to end (docs/robustness.md, issue 7): `rules check DIR` and
// `validate --catalog DIR` both exit 2, list every problem with its file and
// line on stderr, and run nothing (no report on stdout). catalog_test.cpp
// covers each diagnostic of the loader itself; this proves what users see.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/process.hpp"

namespace sotcheck {
namespace {

using testing::run_sotcheck;
using testing::TempDir;

const char* k_index =
    "files: [x.yaml]\n"
    "profiles:\n"
    "  strict: {do_not_descend: ['.git'], vars: {}}\n"
    "  reference: {do_not_descend: [], vars: {}}\n";

const char* k_batches =
    "batches:\n"
    "  - {id: 0, name: first, depends_on: [], rules: [X001]}\n"
    "  - {id: 1, name: second, depends_on: [0], rules: [X002]}\n";

/// A rule of 7 lines (id line first); `extra` lines go after `batch:`.
std::string rule(const std::string& id, int batch, const std::string& extra = "",
                 const std::string& check = "{kind: dir_count, base: repo, name_regex: '^a$', expected: 1}") {
  return "  - id: " + id + "\n    title: t\n    severity: HIGH\n    batch: " + std::to_string(batch) + "\n" + extra +
         "    check: " + check + "\n    message: \"n={count}\"\n";
}

class HostileCatalog : public ::testing::Test {
 protected:
  void write(const std::string& index, const std::string& batches, const std::string& rules) const {
    testing::write_file(m_catalog.path() + "/catalog.yaml", index);
    testing::write_file(m_catalog.path() + "/batches.yaml", batches);
    testing::write_file(m_catalog.path() + "/x.yaml", rules);
  }
  void write_rules(const std::string& rules) const { write(k_index, k_batches, "family: X\nrules:\n" + rules); }

  /// Both commands refuse the catalog the same way: exit 2, each `problem`
  /// ("FILE:LINE: text") on stderr, nothing on stdout.
  void expect_rejected(const std::vector<std::string>& problems) const {
    const auto check = run_sotcheck({"rules", "check", m_catalog.path()});
    const auto validate = run_sotcheck({"validate", m_repo.path(), "--force", "--catalog", m_catalog.path(), "--format", "json"});
    for (const auto* run : {&check, &validate}) {
      EXPECT_EQ(run->exit_code, 2) << run->err;
      EXPECT_EQ(run->out, "") << "a rejected catalog must run nothing";
      for (const auto& problem : problems) EXPECT_NE(run->err.find(problem), std::string::npos) << run->err;
    }
    EXPECT_EQ(check.err, validate.err);
  }

  TempDir m_catalog, m_repo;
};

TEST_F(HostileCatalog, EveryProblemOfAFileIsListedAtOnceWithItsLine) {
  write_rules(rule("X001", 0, "    colour: red\n") +              // lines 3-9, key at 7
              rule("X002", 1, "", "{kind: no_such_primitive}") +  // lines 10-15, check at 14
              rule("X001", 1) +                                   // lines 16-21
              rule("X004", 1, "", "{kind: dir_count, base: repo, name_regex: '([a-', expected: 1}"));  // check at 26
  expect_rejected({"x.yaml:7: unknown key 'colour' in rule", "x.yaml:14: unknown check primitive 'no_such_primitive'",
                   "x.yaml:16: duplicate rule id 'X001' (first defined at x.yaml:3)",
                   "x.yaml:26: parameter 'name_regex': invalid regex '([a-'"});
}

TEST_F(HostileCatalog, ForwardDependencyIsRejected) {
  write_rules(rule("X001", 0, "    depends_on: [X002]\n") + rule("X002", 1));
  expect_rejected(
      {"x.yaml:3: rule X001 (batch 0) depends on X002 (batch 1): a dependency must run in an earlier batch"});
}

TEST_F(HostileCatalog, CyclicDependenciesAreRejectedWhateverTheirBatches) {
  // A cycle always has an edge that does not point to an earlier batch: within one batch, both edges.
  write(k_index, "batches:\n  - {id: 0, name: only, depends_on: [], rules: [X001, X002]}\n",
        "family: X\nrules:\n" + rule("X001", 0, "    depends_on: [X002]\n") +
            rule("X002", 0, "    depends_on: [X001]\n"));
  expect_rejected({"x.yaml:3: rule X001 (batch 0) depends on X002 (batch 0)",
                   "x.yaml:10: rule X002 (batch 0) depends on X001 (batch 0)"});
}

TEST_F(HostileCatalog, RuleInNoBatchIsRejected) {
  write_rules(rule("X001", 0) + rule("X002", 1) + rule("X003", 1));
  expect_rejected({"x.yaml:15: rule X003 is in no batch of batches.yaml"});
}

TEST_F(HostileCatalog, GarbageYamlIsRejectedWithItsLine) {
  write(k_index, k_batches, "family: X\nrules: [ {id: X001\n");
  expect_rejected({"x.yaml:3: invalid YAML"});
}

TEST_F(HostileCatalog, DeeplyNestedRuleFileSaysItIsNestedTooDeeplyNotBadFile) {
  // 10,000 levels of flow sequences in a rule: yaml-cpp's recursion guard
  // stops it; its own message ("bad file") must not reach the user.
  const std::string deep = std::string(10000, '[') + std::string(10000, ']');
  write(k_index, k_batches, "family: X\nrules:\n  - id: X001\n    check: " + deep + "\n");
  expect_rejected({"x.yaml:4: invalid YAML: nested too deeply"});
  const auto check = run_sotcheck({"rules", "check", m_catalog.path()});
  EXPECT_EQ(check.err.find("bad file"), std::string::npos) << check.err;
}

TEST_F(HostileCatalog, EmptyFilesAreRejectedNamingEachFile) {
  // An empty file has no line to point at: the file is named.
  write(k_index, "", "");
  expect_rejected({"x.yaml: a rule file must be a map with 'family' and 'rules'",
                   "batches.yaml: batches.yaml must hold 'batches:', a list"});
  write("", "", "");
  expect_rejected({"catalog.yaml: catalog.yaml must be a map with 'files' and 'profiles'"});
}

}  // namespace
}  // namespace sotcheck
