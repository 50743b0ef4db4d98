// The YAML-family rules (VG, CS, MS, KP, MR, CE005, DC001, MD-STRUCT, MD-CHART,
// MD-MANIFEST and the 185 SOT-V2 contract field rules) through the whole
// built-in catalog, as `validate` runs it.
//
// Strict: the small scaffold passes every one of them, and each rule's
// smallest breaking mutation makes exactly that rule fail, plus the rules
// that legitimately read the same input (the set is written per mutation).
// Reference: one test per quirk of docs/reference-compatibility.md that changes a verdict
// of these families.

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "sotcheck/scaffold/scaffold.hpp"
#include "support/rule_harness.hpp"
#include "support/trees.hpp"

namespace sotcheck {
namespace {

using checks::Profile;
using exec::Status;
using testing::MemoryTree;
using Ids = std::set<std::string>;

// ------------------------------------------------------------------ the tree

/// The small scaffold as editable text: path -> content, plus directories
/// that must exist even when empty.
struct Files {
  std::map<std::string, std::string> files;
  std::set<std::string> dirs;
};

const Files& scaffold_files() {
  static const Files files = [] {
    Files f;
    scaffold::visit_planned_files(scaffold::Size::small, 1, [&](const scaffold::PlannedFileView& p) {
      f.files[std::string(p.path)] = p.bulk ? std::string(p.size, 'x') : std::string(p.content);
    });
    return f;
  }();
  return files;
}

MemoryTree tree_of(const Files& f) {
  MemoryTree tree;
  for (const auto& d : f.dirs) tree.add_dir(d);
  for (const auto& [path, content] : f.files) tree.add_file(path, content);
  return tree;
}

Ids not_passing(const Files& f, Profile profile) {
  MemoryTree tree = tree_of(f);
  const auto result = testing::run_catalog(tree, profile);
  // Every failing rule says what is wrong, file by file (docs/findings.md).
  for (const auto& v : result.verdicts)
    if (v.status == Status::fail) {
      EXPECT_FALSE(v.findings.empty()) << v.rule_id << " fails without findings";
    }
  return result.not_passing();
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}
/// R/NN_root/shards/NN_shard/chart.yaml: the SoT charts of the master definition.
bool is_sot_chart(const std::string& p) {
  return ends_with(p, "/chart.yaml") && std::count(p.begin(), p.end(), '/') == 3 &&
         p.find("/shards/") != std::string::npos;
}
/// R/NN_root/shards/NN_shard/implementations/IMPL/manifest.yaml.
bool is_manifest(const std::string& p) {
  return ends_with(p, "/manifest.yaml") && std::count(p.begin(), p.end(), '/') == 5 &&
         p.find("/implementations/") != std::string::npos;
}

/// Replaces the first `from` by `to` in every file `which` selects; fails the test if some selected file
/// lacks `from` or nothing is selected.
void edit(Files& f, const std::function<bool(const std::string&)>& which, const std::string& from,
          const std::string& to) {
  int edited = 0;
  for (auto& [path, content] : f.files) {
    if (!which(path)) continue;
    const auto at = content.find(from);
    ASSERT_NE(at, std::string::npos) << "'" << from << "' not in " << path;
    content.replace(at, from.size(), to);
    ++edited;
  }
  ASSERT_GT(edited, 0) << "no file selected for '" << from << "'";
}
void edit_one(Files& f, const std::string& path, const std::string& from, const std::string& to) {
  ASSERT_TRUE(f.files.count(path)) << path;
  edit(
      f, [&](const std::string& p) { return p == path; }, from, to);
}
/// Replaces every occurrence of `from` in every file `which` selects.
void edit_every(Files& f, const std::function<bool(const std::string&)>& which, const std::string& from,
                const std::string& to) {
  for (auto& [path, content] : f.files) {
    if (!which(path)) continue;
    for (auto at = content.find(from); at != std::string::npos; at = content.find(from, at + to.size()))
      content.replace(at, from.size(), to);
  }
}
/// Replaces the whole line that starts with `prefix` (the first such line) in each selected file.
void edit_line(Files& f, const std::function<bool(const std::string&)>& which, const std::string& prefix,
               const std::string& line) {
  int edited = 0;
  for (auto& [path, content] : f.files) {
    if (!which(path)) continue;
    std::size_t at = content.rfind(prefix, 0) == 0 ? 0 : content.find("\n" + prefix);
    ASSERT_NE(at, std::string::npos) << "no line '" << prefix << "' in " << path;
    if (at != 0 || content.rfind(prefix, 0) != 0) ++at;
    const std::size_t end = content.find('\n', at);
    content.replace(at, end - at, line);
    ++edited;
  }
  ASSERT_GT(edited, 0);
}
void remove_where(Files& f, const std::function<bool(const std::string&)>& which) {
  for (auto it = f.files.begin(); it != f.files.end();) it = which(it->first) ? f.files.erase(it) : std::next(it);
}
std::function<bool(const std::string&)> named(const std::string& path) {
  return [path](const std::string& p) { return p == path; };
}
std::function<bool(const std::string&)> name_contains(const std::string& part) {
  return [part](const std::string& p) { return p.substr(p.rfind('/') + 1).find(part) != std::string::npos; };
}

const std::string k_chart = "05_documentation/shards/02_dokumente_nachweise/chart.yaml";
const std::string k_manifest_dir = "05_documentation/shards/02_dokumente_nachweise/implementations/";
const std::string k_contract = "16_codex/contracts/sot/sot_contract_data.yaml";

std::string manifest_of(const Files& f, const std::string& dir) {
  for (const auto& [path, content] : f.files)
    if (path.rfind(dir, 0) == 0 && is_manifest(path)) return path;
  return "";
}

// ------------------------------------------------------------- owned ids

const std::vector<std::string>& field_rule_paths_ids() {
  static const std::vector<std::string> ids = [] {
    std::vector<std::string> out;
    for (int n = 1; n <= 189; ++n) {
      if (n >= 91 && n <= 94) continue;
      char buf[16];
      std::snprintf(buf, sizeof buf, "SOT-V2-%04d", n);
      out.push_back(buf);
    }
    return out;
  }();
  return ids;
}

Ids owned_ids() {
  Ids ids;
  const auto& catalog = testing::builtin_catalog();
  for (const auto& rule : catalog.rules) {
    const std::string& fam = rule.family;
    if (fam == "VG" || fam == "CS" || fam == "MS" || fam == "KP" || fam == "MR" || fam == "MD-STRUCT" ||
        fam == "MD-CHART" || fam == "MD-MANIFEST" || rule.id == "CE005" || rule.id == "DC001")
      ids.insert(rule.id);
  }
  for (const auto& id : field_rule_paths_ids()) ids.insert(id);
  return ids;
}

const Ids& strict_baseline() {
  static const Ids baseline = not_passing(scaffold_files(), Profile::strict);
  return baseline;
}

Ids with_baseline(const Ids& expected) {
  Ids out = strict_baseline();
  out.insert(expected.begin(), expected.end());
  return out;
}

TEST(RulesYamlStrict, TheCatalogHasEveryOwnedRule) {
  const Ids ids = owned_ids();
  // VG 8 + CS 11 + MS 6 + KP 10 + MR 3 + CE005 + DC001 + MD-STRUCT 2 + MD-CHART 5 + MD-MANIFEST 28 + 185.
  EXPECT_EQ(ids.size(), 8u + 11 + 6 + 10 + 3 + 1 + 1 + 2 + 5 + 28 + 185);
  for (const auto& id : ids) EXPECT_NE(testing::builtin_catalog().find(id), nullptr) << id;
}

TEST(RulesYamlStrict, TheSmallScaffoldPassesEveryOwnedRule) {
  for (const auto& id : owned_ids()) EXPECT_FALSE(strict_baseline().count(id)) << id << " fails on the scaffold";
}

// ------------------------------------------------------ strict mutations

struct Mutation {
  std::string name;
  std::function<void(Files&)> apply;
  Ids expect;  ///< the rules that fail besides the baseline's
};

/// Renames a key in every selected file (the key's line, at its indentation).
Mutation rename_everywhere(const std::string& name, std::function<bool(const std::string&)> which,
                           const std::string& from, const std::string& to, Ids expect) {
  return {name, [=](Files& f) { edit(f, which, from, to); }, std::move(expect)};
}

std::vector<Mutation> strict_mutations() {
  const auto chart = named(k_chart);
  std::vector<Mutation> m = {
      // VG
      {"one chart's version is the YAML float 1.0",
       [](Files& f) { edit_line(f, named(k_chart), "version: ", "version: 1.0"); },
       {"VG001"}},
      {"no migration guide and no compat layer",
       [](Files& f) {
         remove_where(f, [](const std::string& p) {
           return p.find("/migrations/") != std::string::npos || name_contains("compat")(p);
         });
       },
       {"VG002"}},
      {"no changelog mentions the 180-day notice",
       [](Files& f) { edit_every(f, name_contains("CHANGELOG.md"), "180", "90"); },
       {"VG003"}},
      {"no RFC documents",
       [](Files& f) {
         remove_where(
             f, [](const std::string& p) { return p.find("/rfcs/") != std::string::npos || name_contains("RFC")(p); });
       },
       {"VG004"}},
      {"one chart has an empty owner",
       [](Files& f) { edit(f, named(k_chart), "\n  owner:\n", "\n  owner: {}\n  former_owner:\n"); },
       {"VG005", "CS002"}},
      {"CODEOWNERS does not name chart.yaml",
       [](Files& f) { edit_every(f, named(".github/CODEOWNERS"), "chart.yaml", "chart.yml"); },
       {"VG006"}},
      {"no branch protection settings", [](Files& f) { f.files.erase(".github/settings.yml"); }, {"VG007"}},
      {"no GOVERNANCE.md", [](Files& f) { remove_where(f, name_contains("GOVERNANCE.md")); }, {"VG008"}},
      // CS (all-form: one chart; any-form: every chart)
      rename_everywhere("one chart lacks metadata.status", chart, "\n  status: ", "\n  state: ", {"CS001"}),
      rename_everywhere("one chart's owner lacks contact", chart, "\n    contact: ", "\n    channel: ", {"CS002"}),
      rename_everywhere("no chart has capabilities", is_sot_chart, "\ncapabilities:", "\nabilities:", {"CS003"}),
      rename_everywhere("one chart lacks constraints.custody", chart, "\n  custody: ", "\n  custodian: ", {"CS004"}),
      rename_everywhere("no chart has enforcement", is_sot_chart, "\nenforcement:", "\nenforcing:", {"CS005"}),
      rename_everywhere("no chart lists interface contracts", is_sot_chart,
                        "\n  contracts:", "\n  contract_refs:", {"CS006"}),
      rename_everywhere("no chart has dependencies", is_sot_chart, "\ndependencies:", "\ndeps:", {"CS007"}),
      rename_everywhere("one chart lacks implementations", chart, "\nimplementations:", "\nimplementation:", {"CS008"}),
      rename_everywhere("no chart has conformance tests", is_sot_chart,
                        "\n  contract_tests:", "\n  contract_suites:", {"CS009"}),
      rename_everywhere("no chart configures observability", is_sot_chart,
                        "\nobservability:", "\nobservation:", {"CS010"}),
      rename_everywhere("no chart references a threat model", is_sot_chart,
                        "\n  threat_model:", "\n  threat_doc:", {"CS011"}),
      // MS
      {"one manifest lacks chart_version",
       [](Files& f) { edit_one(f, manifest_of(f, k_manifest_dir), "\nchart_version:", "\nchart_release:"); },
       {"MS001"}},
      rename_everywhere("no manifest defines its language", is_manifest, "\n  language:", "\n  runtime:", {"MS002"}),
      rename_everywhere("no manifest locates its source", is_manifest, "\n  source_code:", "\n  sources:", {"MS003"}),
      rename_everywhere("no manifest has dependencies", is_manifest, "\ndependencies:", "\ndeps:", {"MS004"}),
      {"no manifest defines unit, integration or contract tests",
       [](Files& f) {
         edit(f, is_manifest, "\n  unit:", "\n  unit_suite:");
         edit(f, is_manifest, "\n  integration:", "\n  integration_suite:");
         edit(f, is_manifest, "\n  contract:", "\n  contract_suite:");
       },
       {"MS005"}},
      rename_everywhere("no manifest redacts PII", is_manifest, "    pii_redaction: true", "    pii_redaction: false",
                        {"MS006"}),
      // KP
      {"no Python file under implementations/",
       [](Files& f) {
         remove_where(f, [](const std::string& p) {
           return p.find("/implementations/") != std::string::npos && ends_with(p, ".py");
         });
       },
       {"KP001", "DC004"}},  // DC004 counts the implementations' test files
      {"no implementation manifest",
       [](Files& f) { remove_where(f, [](const std::string& p) { return ends_with(p, "/manifest.yaml"); }); },
       // Every manifest rule's input: the any-forms fail, MS001 and the MD-MANIFEST ratios pass on an empty
       // set (MD-MANIFEST: |F| == 0 passes), and the implementation directories lose their manifests.
       // The showcase shard's second implementation held only its manifest, so KP003 loses it as well.
       {"KP002", "KP003", "MS002", "MS003", "MS004", "MS005", "MS006", "MD-STRUCT-010"}},
      {"no shard has two implementations",
       [](Files& f) {
         // The showcase shard has a full implementation and one with only its manifest: drop the latter.
         const std::string base = "03_core/shards/01_identitaet_personen/implementations/";
         std::map<std::string, int> impls;
         for (const auto& [p, c] : f.files)
           if (p.rfind(base, 0) == 0) ++impls[p.substr(base.size(), p.find('/', base.size()) - base.size())];
         ASSERT_EQ(impls.size(), 2u);
         const auto thin = std::min_element(impls.begin(), impls.end(),
                                            [](const auto& a, const auto& b) { return a.second < b.second; });
         ASSERT_EQ(thin->second, 1);
         const std::string drop = base + thin->first + "/";
         remove_where(f, [&](const std::string& p) { return p.rfind(drop, 0) == 0; });
       },
       {"KP003"}},
      {"the 384-shard matrix lacks one shard (AR003, aliased by KP004 and MR001)",
       [](Files& f) {
         const std::string drop = "11_test_simulation/shards/06_bildung_qualifikationen/";
         remove_where(f, [&](const std::string& p) { return p.rfind(drop, 0) == 0; });
       },
       {"AR002", "AR003", "AR007", "KP004", "MR001"}},
      // Every rule that reads *anchor* files: CP009, MD-POLICY-023, TS001 (strict expands their braces).
      {"no anchoring implementation",
       [](Files& f) { remove_where(f, name_contains("anchor")); },
       {"KP005", "CP009", "MD-POLICY-023", "TS001"}},
      {"no mTLS configuration and no certificate manager",
       [](Files& f) {
         remove_where(f,
                      [](const std::string& p) { return name_contains("mtls")(p) || name_contains("certificate")(p); });
       },
       {"KP006", "MD-POLICY-028"}},  // MD-POLICY-028 reads *mtls* configurations
      {"no prometheus, jaeger or logging configuration",
       [](Files& f) {
         remove_where(f, [](const std::string& p) {
           return name_contains("prometheus")(p) || name_contains("jaeger")(p) || name_contains("logging")(p);
         });
       },
       // CP007 and MD-PRINC-013 read the same prometheus/logging configurations.
       {"KP007", "CP007", "MD-PRINC-013"}},
      {"no HPA template and no scaling configuration",
       [](Files& f) {
         remove_where(f, [](const std::string& p) { return name_contains("hpa")(p) || name_contains("scaling")(p); });
       },
       {"KP009"}},
      {"no swagger file and no JSON schema",
       [](Files& f) {
         remove_where(f,
                      [](const std::string& p) { return name_contains("swagger")(p) || ends_with(p, ".schema.json"); });
       },
       {"KP010"}},
      // MR, CE005, DC001
      {"no hash ledger under 02_audit_logging",
       [](Files& f) {
         remove_where(f, [](const std::string& p) {
           return p.rfind("02_audit_logging/", 0) == 0 && (name_contains("ledger")(p) || name_contains("hash")(p));
         });
       },
       {"MR002", "KP005"}},  // the hash ledger is also the only audit log (.jsonl) of the small tree
      {"every chart requires three dependencies",
       [](Files& f) { edit(f, is_sot_chart, "\n  required:\n", "\n  required:\n    - a\n    - b\n"); },
       {"MR003"}},
      {"max_age_hours is the string \"24\"",
       [](Files& f) { edit(f, name_contains("sources"), "max_age_hours: 24", "max_age_hours: \"24\""); },
       {"CE005"}},
      {"no deployment file names blue-green or canary",
       [](Files& f) {
         const auto deployment = [](const std::string& p) {
           return name_contains("deployment")(p) && (ends_with(p, ".yaml") || ends_with(p, ".yml"));
         };
         edit_every(f, deployment, "canary", "rolling");
         edit_every(f, deployment, "blue-green", "rolling");
       },
       {"DC001"}},
      // MD-STRUCT
      {"a fifth of the shards lack chart.yaml",
       [](Files& f) {
         int removed = 0;
         remove_where(f, [&](const std::string& p) { return is_sot_chart(p) && removed++ < 77; });
       },
       {"MD-STRUCT-009", "AR004"}},
      {"a third of the implementations lack manifest.yaml",
       [](Files& f) {
         int removed = 0;
         for (auto it = f.files.begin(); it != f.files.end();) {
           if (is_manifest(it->first) && it->first.rfind("03_core/", 0) != 0 && removed < 116) {
             f.dirs.insert(it->first.substr(0, it->first.rfind('/')));
             it = f.files.erase(it);
             ++removed;
           } else {
             ++it;
           }
         }
       },
       {"MD-STRUCT-010"}},
      // MD-CHART (every chart)
      rename_everywhere("no chart has compatibility.core_min_version", is_sot_chart,
                        "\n  core_min_version:", "\n  core_min:", {"MD-CHART-024"}),
      rename_everywhere("no chart has orchestration.workflows (a stub)", is_sot_chart,
                        "\n  workflows:", "\n  flows:", {}),
      rename_everywhere("no chart has security.encryption", is_sot_chart,
                        "\n  encryption:", "\n  crypto:", {"MD-CHART-045"}),
      rename_everywhere("no chart has resources.compute", is_sot_chart,
                        "\n  compute:", "\n  computing:", {"MD-CHART-048"}),
      rename_everywhere("no chart has roadmap.upcoming (a stub)", is_sot_chart, "\n  upcoming:", "\n  later:", {}),
  };
  // MD-MANIFEST (every manifest): the key renamed, the rule that reads it.
  const std::vector<std::tuple<std::string, std::string, std::string>> manifest_keys = {
      {"MD-MANIFEST-004", "\n  maturity:", "\n  ripeness:"},
      {"MD-MANIFEST-009", "\n  linting_formatting:", "\n  linters:"},
      {"MD-MANIFEST-012", "\n  configuration:", "\n  config_dir:"},
      {"", "\n  models:", "\n  model_dir:"},     // MD-MANIFEST-013 is a stub
      {"", "\n  protocols:", "\n  proto_dir:"},  // MD-MANIFEST-014 is a stub
      {"MD-MANIFEST-015", "\n  tests:\n", "\n  test_dir:\n"},
      {"MD-MANIFEST-016", "\n  documentation:", "\n  docs_dir:"},
      {"MD-MANIFEST-017", "\n  scripts:", "\n  script_dir:"},
      {"MD-MANIFEST-018", "      - Dockerfile\n      - docker-compose.yml\n", "      - Containerfile\n"},
      {"MD-MANIFEST-023", "\n  commands:", "\n  steps:"},
      {"MD-MANIFEST-024", "\n  docker:\n    image:", "\n  container:\n    image:"},
      {"MD-MANIFEST-025", "\n    manifests_location:", "\n    manifests_dir:"},
      {"MD-MANIFEST-026", "\n    chart_location:", "\n    chart_dir:"},
      {"MD-MANIFEST-027", "\n  environment_variables:", "\n  env:"},
      {"MD-MANIFEST-029", "\n    coverage_target: ", "\n    coverage_target: 50\n    old_target: "},
      {"MD-MANIFEST-032", "\n  security_tests:", "\n  sec_tests:"},
      {"MD-MANIFEST-033", "\n  performance_tests:", "\n  perf_tests:"},
      {"MD-MANIFEST-036", "\n  logging:\n    format: json", "\n  logging:\n    format: text"},
      {"MD-MANIFEST-038", "\n    liveness:", "\n    live:"},
      {"MD-MANIFEST-039", "\n    readiness:", "\n    ready:"},
      {"MD-MANIFEST-040", "\n  setup:", "\n  install:"},
      {"MD-MANIFEST-041", "\n  local_development:", "\n  local:"},
      {"MD-MANIFEST-042", "\n  pre_commit_hooks:", "\n  hooks:"},
      {"MD-MANIFEST-046", "\n  baseline_benchmarks:", "\n  baselines:"},
      {"MD-MANIFEST-047", "\n  optimization_targets:", "\n  targets:"},
      {"MD-MANIFEST-048", "\n  resource_requirements:", "\n  resources:"},
      {"MD-MANIFEST-049", "\nchangelog:\n  location: CHANGELOG.md", "\nchangelog:\n  location: HISTORY.md"},
      {"MD-MANIFEST-050", "\n  contacts:", "\n  people:"},
  };
  for (const auto& [id, from, to] : manifest_keys) {
    Ids expect;
    if (!id.empty()) expect.insert(id);
    m.push_back(rename_everywhere("no manifest has '" + from.substr(1) + "'", is_manifest, from, to, expect));
  }
  return m;
}

TEST(RulesYamlStrict, EachMutationFailsExactlyItsRules) {
  for (const Mutation& mutation : strict_mutations()) {
    SCOPED_TRACE(mutation.name);
    Files f = scaffold_files();
    mutation.apply(f);
    if (::testing::Test::HasFatalFailure()) return;
    EXPECT_EQ(not_passing(f, Profile::strict), with_baseline(mutation.expect));
  }
}

std::map<std::string, std::string> field_paths();  // the contract path of each field rule (below)

TEST(RulesYamlStrict, EveryOwnedRuleHasABreakingMutation) {
  // The mutation table plus the per-path contract deletions must break every owned rule at least once.
  Ids broken;
  for (const Mutation& mutation : strict_mutations()) broken.insert(mutation.expect.begin(), mutation.expect.end());
  for (const auto& [id, path] : field_paths()) broken.insert(id);
  Ids unbroken;
  for (const auto& id : owned_ids()) {
    const catalog::CompiledRule& strict = testing::builtin_catalog().find(id)->for_profile(Profile::strict);
    // A report_only rule cannot fail (StubsAlwaysPass shows it still counts); an alias fails with its
    // target, whose mutation expects it (KP008 with CP008 in rules_content_test).
    if (strict.report_only || !strict.alias_target.empty()) continue;
    if (!broken.count(id)) unbroken.insert(id);
  }
  EXPECT_EQ(unbroken, Ids{});
}

TEST(RulesYamlStrict, ALoadErrorInOneChartFailsTheAllFormRulesOnly) {
  // docs/reference-compatibility.md#rc-13: a chart that does not parse is listed and counts against every all-form rule; the any-forms and
  // the ratios still pass on the other 383.
  Files f = scaffold_files();
  f.files[k_chart] += "\n  bad: [unclosed\n";
  MemoryTree tree = tree_of(f);
  const auto run = testing::run_catalog(tree, Profile::strict);
  EXPECT_EQ(run.not_passing(), with_baseline({"VG001", "VG005", "CS001", "CS002", "CS004", "CS008"}));
  const auto& vg001 = run.at("VG001");
  EXPECT_EQ(vg001.evidence["violations"], nlohmann::ordered_json::array({k_chart}));
  ASSERT_EQ(vg001.evidence["errors"].size(), 1u);
  EXPECT_EQ(vg001.evidence["errors"][0]["file"], k_chart);
  EXPECT_EQ(vg001.evidence["error_count"], 1);
}

// ---------------------------------------------------- SOT-V2 field rules

/// The dotted path each field rule reads, from the catalog's own parameters.
std::map<std::string, std::string> field_paths() {
  std::map<std::string, std::string> out;
  for (const auto& id : field_rule_paths_ids()) {
    const auto& spec = testing::builtin_catalog().find(id)->for_profile(Profile::strict).check_spec.get();
    out[id] = spec.at("path").get<std::string>();
  }
  return out;
}

/// Deletes the key at `path` (and its block) from block-style YAML with consistent indentation.
std::string delete_key(const std::string& text, const std::string& path) {
  std::vector<std::string> lines;
  for (std::size_t start = 0; start < text.size();) {
    const std::size_t end = text.find('\n', start);
    lines.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    start = end == std::string::npos ? text.size() : end + 1;
  }
  auto indent_of = [](const std::string& l) { return l.find_first_not_of(' '); };
  auto is_content = [&](const std::string& l) {
    const auto i = indent_of(l);
    return i != std::string::npos && l[i] != '#';
  };
  std::size_t lo = 0, hi = lines.size();  // the block searched, [lo, hi)
  std::size_t level_indent = 0;
  std::size_t found = std::string::npos;
  std::size_t segment_start = 0;
  while (true) {
    const std::size_t dot = path.find('.', segment_start);
    const std::string key =
        path.substr(segment_start, dot == std::string::npos ? std::string::npos : dot - segment_start);
    found = std::string::npos;
    for (std::size_t i = lo; i < hi; ++i)
      if (is_content(lines[i]) && indent_of(lines[i]) == level_indent &&
          lines[i].compare(level_indent, key.size() + 1, key + ":") == 0) {
        found = i;
        break;
      }
    if (found == std::string::npos) return "";
    std::size_t block_end = found + 1;
    while (block_end < hi && (!is_content(lines[block_end]) || indent_of(lines[block_end]) > level_indent)) ++block_end;
    if (dot == std::string::npos) {
      lines.erase(lines.begin() + static_cast<long>(found), lines.begin() + static_cast<long>(block_end));
      break;
    }
    lo = found + 1;
    hi = block_end;
    level_indent = std::string::npos;
    for (std::size_t i = lo; i < hi; ++i)
      if (is_content(lines[i])) {
        level_indent = indent_of(lines[i]);
        break;
      }
    if (level_indent == std::string::npos) return "";
    segment_start = dot + 1;
  }
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

TEST(RulesYamlStrict, DeletingEachContractPathFailsExactlyTheRulesOnAndBelowIt) {
  const auto paths = field_paths();
  ASSERT_EQ(paths.size(), 185u);
  std::set<std::string> distinct;
  for (const auto& [id, path] : paths) distinct.insert(path);
  for (const std::string& path : distinct) {
    SCOPED_TRACE(path);
    Files f = scaffold_files();
    const std::string mutated = delete_key(f.files.at(k_contract), path);
    ASSERT_FALSE(mutated.empty()) << "cannot locate " << path << " in the scaffold's contract";
    f.files[k_contract] = mutated;
    Ids expect;
    for (const auto& [id, p] : paths)
      if (p == path || p.rfind(path + ".", 0) == 0) expect.insert(id);
    MemoryTree tree = tree_of(f);
    // Only the contract changed, so only the field rules can change: evaluate those (the rest is the
    // baseline, checked by the mutation table above).
    std::vector<std::string> select(field_rule_paths_ids().begin(), field_rule_paths_ids().end());
    const auto run = testing::run_catalog(tree, Profile::strict, select);
    EXPECT_EQ(run.not_passing(), expect);
    const std::string& first = *expect.begin();
    EXPECT_EQ(run.at(first).message, first + ": Missing required field '" + paths.at(first) + "'");
  }
}

TEST(RulesYamlStrict, ContractFieldEvidenceNamesNeutralTypesAndTheFile) {
  MemoryTree tree = tree_of(scaffold_files());
  const auto run = testing::run_catalog(tree, Profile::strict, {"SOT-V2-0014", "SOT-V2-0013", "SOT-V2-0178"});
  EXPECT_EQ(run.at("SOT-V2-0014").message, "SOT-V2-0014: Field 'fee_routing' exists");
  EXPECT_EQ(run.at("SOT-V2-0014").evidence["value_type"], "map");
  EXPECT_EQ(run.at("SOT-V2-0013").evidence["value_type"], "bool");
  EXPECT_EQ(run.at("SOT-V2-0178").evidence["value_type"], "int");
  EXPECT_EQ(run.at("SOT-V2-0178").evidence["contract_file"], "/repo/" + k_contract);
}

TEST(RulesYamlStrict, NoContractAtTheMasterPathFailsAllFieldRules) {
  Files f = scaffold_files();
  f.files["16_codex/contracts/other.yaml"] = f.files.at(k_contract);
  f.files.erase(k_contract);
  MemoryTree tree = tree_of(f);
  const std::vector<std::string> select(field_rule_paths_ids().begin(), field_rule_paths_ids().end());
  const auto run = testing::run_catalog(tree, Profile::strict, select);
  EXPECT_EQ(run.not_passing().size(), 185u);
  EXPECT_EQ(run.at("SOT-V2-0001").message, "SOT-V2-0001: No contract files found in repository");
  EXPECT_EQ(run.at("SOT-V2-0001").evidence["error"], "No contract files");
}

TEST(RulesYamlStrict, AliasesCarryTheirOwnIdAndNameTheTarget) {
  MemoryTree tree = tree_of(scaffold_files());
  const auto run = testing::run_catalog(tree, Profile::strict, {"AR003", "KP004", "MR001", "CP008", "KP008"});
  for (const char* id : {"KP004", "MR001"}) {
    const auto& v = run.at(id);
    EXPECT_EQ(v.rule_id, id);
    EXPECT_EQ(v.message, run.at("AR003").message);
    EXPECT_EQ(v.evidence["aliased_from"], "AR003");
    EXPECT_EQ(v.severity, catalog::Severity::critical);
  }
  EXPECT_EQ(run.at("KP008").evidence["aliased_from"], "CP008");
  EXPECT_EQ(run.at("KP008").severity, catalog::Severity::high);
}

// ------------------------------------------------------ reference quirks

exec::Verdict reference_run(MemoryTree& tree, const std::string& id) {
  return testing::run_catalog(tree, Profile::reference, {id}).at(id);
}

TEST(RulesYamlReference, AliasesEmitTheTargetOutcomeUnderTheirOwnId) {
  // docs/reference-compatibility.md#rc-3: on the master-definition layout the reference finds no shard directly under a root, so AR003
  // fails; KP004 and MR001 carry exactly that message and evidence, under their own ids.
  MemoryTree tree = tree_of(scaffold_files());
  const auto run = testing::run_catalog(tree, Profile::reference, {"AR003", "KP004", "MR001", "CP008", "KP008"});
  const auto& ar003 = run.at("AR003");
  EXPECT_EQ(ar003.status, Status::fail);
  for (const char* id : {"KP004", "MR001"}) {
    const auto& v = run.at(id);
    EXPECT_EQ(v.rule_id, id);
    EXPECT_EQ(v.status, ar003.status);
    EXPECT_EQ(v.message, "Matrix structure: 0 charts (required: 384)");
    EXPECT_EQ(v.evidence, ar003.evidence);  // no aliased_from in the reference
  }
  EXPECT_EQ(run.at("KP008").status, run.at("CP008").status);
  EXPECT_EQ(run.at("KP008").evidence, run.at("CP008").evidence);
}

TEST(RulesYamlReference, OnlyTheFirst50ChartsAreSampled) {
  // docs/reference-compatibility.md#rc-5, #rc-6: the 51st Chart.yaml in walk order is never read by the all-form rules.
  MemoryTree tree;
  for (int i = 0; i <= 50; ++i) {
    char dir[16];
    std::snprintf(dir, sizeof dir, "c%02d", i);
    tree.add_file(std::string(dir) + "/Chart.yaml", i == 50 ? "version: 1.0\n" : "version: 1.2.3\n");
  }
  const auto vg001 = reference_run(tree, "VG001");
  EXPECT_EQ(vg001.status, Status::pass);
  EXPECT_EQ(vg001.message, "Semver validation: 0 violations in 51 charts");
  EXPECT_EQ(vg001.evidence["total_charts_checked"], 50);
  EXPECT_EQ(vg001.evidence["violations"], nlohmann::ordered_json::array());
  tree.add_file("c00/Chart.yaml", "version: 1.0\n");
  const auto failing = reference_run(tree, "VG001");
  EXPECT_EQ(failing.status, Status::fail);
  EXPECT_EQ(failing.message, "Semver validation: 1 violations in 51 charts");
  EXPECT_EQ(failing.evidence["violations"], nlohmann::ordered_json::array({"c00/Chart.yaml"}));
}

TEST(RulesYamlReference, RatioDenominatorIsEveryFileFound) {
  // docs/reference-compatibility.md#rc-5: 130 perfect manifests, 50 evaluated, divided by 130: 0.38 < 0.6.
  MemoryTree tree;
  for (int i = 0; i < 130; ++i)
    tree.add_file("impl" + std::to_string(1000 + i) + "/manifest.yaml", "metadata:\n  maturity: stable\n");
  const auto v = reference_run(tree, "MD-MANIFEST-004");
  EXPECT_EQ(v.status, Status::fail);
  EXPECT_EQ(v.message, "Manifest metadata.maturity: 50/130 manifests");
  EXPECT_EQ(v.evidence["manifests_with_field"], 50);
  EXPECT_EQ(v.evidence["total_manifests"], 130);
  // 83 files: 50/83 = 0.602 passes.
  MemoryTree smaller;
  for (int i = 0; i < 83; ++i)
    smaller.add_file("impl" + std::to_string(1000 + i) + "/manifest.yaml", "metadata:\n  maturity: stable\n");
  EXPECT_EQ(reference_run(smaller, "MD-MANIFEST-004").status, Status::pass);
  // MD-CHART fails on an empty set, MD-MANIFEST passes.
  MemoryTree empty;
  empty.add_file("README.md");
  EXPECT_EQ(reference_run(empty, "MD-CHART-024").status, Status::fail);
  EXPECT_EQ(reference_run(empty, "MD-MANIFEST-004").status, Status::pass);
}

TEST(RulesYamlReference, ChartYamlIsCaseSensitive) {
  // docs/reference-compatibility.md#rc-7: CS/VG read `Chart.yaml`, MD-CHART reads `chart.yaml`.
  MemoryTree tree;
  tree.add_file("01_a/shards/01_x/chart.yaml",
                "version: 1.0\ncapabilities: {}\ncompatibility: {core_min_version: 1}\n");
  const auto vg001 = reference_run(tree, "VG001");
  EXPECT_EQ(vg001.status, Status::pass);
  EXPECT_EQ(vg001.message, "Semver validation: 0 violations in 0 charts");
  EXPECT_EQ(reference_run(tree, "CS003").status, Status::fail);  // any-form: no Chart.yaml at all
  EXPECT_EQ(reference_run(tree, "MD-CHART-024").status, Status::pass);
  tree.add_file("01_a/shards/01_x/implementations/i/helm/Chart.yaml", "version: 1.0\n");
  EXPECT_EQ(reference_run(tree, "VG001").status, Status::fail);
  EXPECT_EQ(reference_run(tree, "KP002").status, Status::fail);  // charts 1, manifests 0
}

TEST(RulesYamlReference, StubsAlwaysPass) {
  // docs/reference-compatibility.md#rc-28: MD-CHART-029/050 and MD-MANIFEST-013/014 compute their count and pass, in both profiles.
  MemoryTree tree;
  tree.add_file("x/chart.yaml", "name: x\n").add_file("y/manifest.yaml", "name: y\n");
  for (Profile p : {Profile::reference, Profile::strict}) {
    const auto run =
        testing::run_catalog(tree, p, {"MD-CHART-029", "MD-CHART-050", "MD-MANIFEST-013", "MD-MANIFEST-014"});
    for (const auto& v : run.verdicts) EXPECT_EQ(v.status, Status::pass) << v.rule_id;
  }
  const auto v = reference_run(tree, "MD-CHART-029");
  EXPECT_EQ(v.message, "Chart orchestration.workflows: 0/1 charts");
  EXPECT_EQ(reference_run(tree, "MD-MANIFEST-014").message, "Manifest artifacts.protocols: 0/1 manifests");
}

TEST(RulesYamlReference, Yaml11FloatVersionIsAViolation) {
  // docs/reference-compatibility.md#rc-12: `version: 1.0` is a float, str() gives "1.0"; `1.10` is 1.1; a quoted "1.0.0" is fine.
  MemoryTree tree;
  tree.add_file("a/Chart.yaml", "version: 1.0\n").add_file("b/Chart.yaml", "version: \"1.0.0\"\n");
  tree.add_file("c/Chart.yaml", "version: 1.10\n");
  const auto v = reference_run(tree, "VG001");
  EXPECT_EQ(v.status, Status::fail);
  EXPECT_EQ(v.evidence["violations"], nlohmann::ordered_json::array({"a/Chart.yaml", "c/Chart.yaml"}));
}

TEST(RulesYamlReference, Cs001CountsChartsThatFailToLoad) {
  // docs/reference-compatibility.md#rc-13: CS001 lists an unparsable chart as a violation; CS002 and VG001 skip it.
  MemoryTree tree;
  tree.add_file("a/Chart.yaml",
                "version: 1.2.3\nmetadata: {shard_id: a, version: 1, status: x}\n"
                "governance: {owner: {team: t, lead: l, contact: c}}\n");
  tree.add_file("b/Chart.yaml", "metadata: [unclosed\n");
  const auto run = testing::run_catalog(tree, Profile::reference, {"CS001", "CS002", "VG001"});
  EXPECT_EQ(run.at("CS001").status, Status::fail);
  EXPECT_EQ(run.at("CS001").message, "Chart metadata: 1 violations in 2 charts");
  EXPECT_EQ(run.at("CS001").evidence["violations"], nlohmann::ordered_json::array({"b/Chart.yaml"}));
  EXPECT_EQ(run.at("CS001").evidence["required_fields"],
            nlohmann::ordered_json::array({"shard_id", "version", "status"}));
  EXPECT_EQ(run.at("CS002").status, Status::pass);
  EXPECT_EQ(run.at("VG001").status, Status::pass);
  EXPECT_FALSE(run.at("VG001").evidence.contains("errors"));  // the reference stays silent
}

TEST(RulesYamlReference, ContractSelectionFallsBackToAnyContract) {
  // docs/reference-compatibility.md#rc-21: without a sot_contract_data file the reference tests the first non-OpenAPI contract.
  MemoryTree tree;
  tree.add_file("16_codex/contracts/api.openapi.yaml", "openapi: 3.1.0\n");
  tree.add_file("16_codex/contracts/tokens.yaml", "business_model: {role: x}\nversion: 1\n");
  const auto run = testing::run_catalog(tree, Profile::reference, {"SOT-V2-0005", "SOT-V2-0007", "SOT-V2-0189"});
  EXPECT_EQ(run.at("SOT-V2-0005").status, Status::pass);
  EXPECT_EQ(run.at("SOT-V2-0005").evidence["contract_file"], "/repo/16_codex/contracts/tokens.yaml");
  EXPECT_EQ(run.at("SOT-V2-0005").evidence["value_type"], "<class 'str'>");
  EXPECT_EQ(run.at("SOT-V2-0189").evidence["value_type"], "<class 'int'>");
  const auto& missing = run.at("SOT-V2-0007");
  EXPECT_EQ(missing.message, "SOT-V2-0007: Missing required field 'classification'");
  EXPECT_EQ(missing.evidence["available_fields"], nlohmann::ordered_json::array({"business_model", "version"}));
  EXPECT_EQ(missing.severity, catalog::Severity::info);
  // Strict insists on the master definition's file.
  const auto strict = testing::run_catalog(tree, Profile::strict, {"SOT-V2-0005"});
  EXPECT_EQ(strict.at("SOT-V2-0005").message, "SOT-V2-0005: No contract files found in repository");
}

TEST(RulesYamlReference, DeadBraceGlobsNeverPassEvenOnTheScaffold) {
  // docs/reference-compatibility.md#rc-1: the scaffold has every file these rules mean, but `{a,b}` is literal in the reference.
  MemoryTree tree = tree_of(scaffold_files());
  const auto run = testing::run_catalog(tree, Profile::reference, {"KP001", "KP007", "MR002", "CE005", "DC001"});
  for (const auto& v : run.verdicts) EXPECT_EQ(v.status, Status::fail) << v.rule_id;
  EXPECT_EQ(run.at("CE005").message, "Sanctions freshness: not found");
  EXPECT_EQ(run.at("DC001").message, "Deployment strategy: not found");
  EXPECT_EQ(run.at("DC001").evidence["deployment_configs"], 0);
  const auto strict = testing::run_catalog(tree, Profile::strict, {"KP001", "KP007", "MR002", "CE005", "DC001"});
  for (const auto& v : strict.verdicts) EXPECT_EQ(v.status, Status::pass) << v.rule_id << ": " << v.message;
}

TEST(RulesYamlReference, StringValuesTurnKeyTestsIntoSubstringTests) {
  // docs/reference-compatibility.md#rc-12: `'location' in "configuration location"` is a substring test; strict wants mappings.
  MemoryTree tree;
  tree.add_file("i/manifest.yaml", "artifacts: {configuration: 'location: config/'}\n");
  EXPECT_EQ(reference_run(tree, "MD-MANIFEST-012").message, "Manifest artifacts.configuration: 1/1 manifests");
  tree.add_file("i/manifest.yaml", "artifacts: {configuration: [location]}\n");
  EXPECT_EQ(reference_run(tree, "MD-MANIFEST-012").message, "Manifest artifacts.configuration: 1/1 manifests");
}

TEST(RulesYamlReference, HelmStyleDependencyListsAreSkippedByMr003) {
  MemoryTree tree;
  tree.add_file("a/Chart.yaml", "dependencies:\n  - name: redis\n");
  EXPECT_EQ(reference_run(tree, "MR003").status, Status::fail);
  tree.add_file("b/Chart.yaml", "dependencies: {required: [x, y]}\n");
  const auto v = reference_run(tree, "MR003");
  EXPECT_EQ(v.status, Status::pass);
  EXPECT_EQ(v.message, "Modularity: 1 charts with minimal dependencies");
}

TEST(RulesYamlReference, MdStruct009CountsTheFirst24RootsAnd16Shards) {
  MemoryTree tree;
  for (int r = 1; r <= 25; ++r)
    for (int s = 1; s <= 17; ++s) {
      char path[64];
      std::snprintf(path, sizeof path, "%02d_r/shards/%02d_s/%s", r, s, r == 25 || s == 17 ? "x.txt" : "chart.yaml");
      tree.add_file(path);
    }
  const auto v = reference_run(tree, "MD-STRUCT-009");
  EXPECT_EQ(v.message, "Chart.yaml path structure: 384/384 valid paths");
  EXPECT_EQ(v.status, Status::pass);
  // Strict counts every root and shard: 425 shards, 384 charts: 0.90.
  const auto strict = testing::run_catalog(tree, Profile::strict, {"MD-STRUCT-009"}).at("MD-STRUCT-009");
  EXPECT_EQ(strict.message, "Chart.yaml path structure: 384/425 valid paths");
}

}  // namespace
}  // namespace sotcheck
