// Report formats: SARIF, JUnit, GitHub and JSON renderings of verdicts built by
// hand (every status and severity, hostile strings), then golden files of
// every format from one real run on a scaffold with known failures, and
// Microsoft's SARIF validator on a real report.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <regex>
#include <set>

#include "sotcheck/report/report.hpp"
#include "support/process.hpp"
#include "support/trees.hpp"

namespace sotcheck {
namespace {

using json = nlohmann::ordered_json;
using testing::on_path;
using testing::ProcessResult;
using testing::TempDir;
namespace fs = std::filesystem;

// ---- helpers ---------------------------------------------------------------

/// Runs sotcheck in a known environment: nothing about colour, CI or GitHub
/// leaks in from the machine that runs the tests.
ProcessResult run_clean(const std::vector<std::string>& args, const std::vector<std::string>& env = {}) {
  std::vector<std::string> argv = {"/usr/bin/env"};
  for (const char* name : {"NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE", "CI", "GITHUB_ACTIONS", "GITHUB_WORKSPACE",
                           "GITHUB_STEP_SUMMARY", "SOTCHECK_CATALOG", "TERM"}) {
    argv.push_back("-u");
    argv.push_back(name);
  }
  argv.insert(argv.end(), env.begin(), env.end());
  argv.push_back(SOTCHECK_BINARY);
  argv.insert(argv.end(), args.begin(), args.end());
  return testing::run_process(argv);
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  if (from.empty()) return text;
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

/// Compares with tests/golden/NAME; SOTCHECK_UPDATE_GOLDEN=1 rewrites it.
void expect_golden(const std::string& name, const std::string& actual) {
  const std::string path = std::string(SOTCHECK_SOURCE_DIR) + "/tests/golden/" + name;
  if (std::getenv("SOTCHECK_UPDATE_GOLDEN") != nullptr) testing::write_file(path, actual);
  EXPECT_EQ(testing::read_file(path), actual)
      << "golden " << name << " differs; rerun with SOTCHECK_UPDATE_GOLDEN=1 if intended";
}


catalog::Rule rule(const std::string& id, const std::string& title, catalog::Severity severity, int batch,
                   std::vector<std::string> depends_on = {}) {
  catalog::Rule r;
  r.id = id;
  r.title = title;
  r.family = id.substr(0, 2);
  r.severity = severity;
  r.batch = batch;
  r.depends_on = std::move(depends_on);
  r.source_file = "xx.yaml";
  r.source_line = 10;
  return r;
}

/// Five rules, one per severity, over three batches.
catalog::Catalog small_catalog() {
  catalog::Catalog c;
  c.rules = {rule("XA001", "Exactly 24 root folders", catalog::Severity::critical, 0),
             rule("XA002", "Every root has README.md", catalog::Severity::high, 1, {"XA001"}),
             rule("XB003", "Charts name their maintainers, owners", catalog::Severity::medium, 1),
             rule("XB004", "Low: things", catalog::Severity::low, 2),
             rule("XC005", "", catalog::Severity::info, 2)};
  c.batches = {{0, "Foundation", {}, {"XA001"}, 1}, {1, "Roots", {0}, {"XA002", "XB003"}, 2},
               {2, "Rest", {0}, {"XB004", "XC005"}, 3}};
  c.origin = "test";
  return c;
}

exec::Verdict verdict(const std::string& id, exec::Status status, catalog::Severity severity, std::string message,
                      json evidence = json::object()) {
  exec::Verdict v;
  v.rule_id = id;
  v.status = status;
  v.severity = severity;
  v.message = std::move(message);
  v.evidence = std::move(evidence);
  v.timestamp = "2026-01-01T00:00:00.000000Z";
  return v;
}

/// One verdict of each status over the small catalog.
std::vector<exec::Verdict> mixed_verdicts() {
  return {verdict("XA001", exec::Status::fail, catalog::Severity::critical, "Root folder count: 23 (required: 24)",
                  {{"expected_count", 24}, {"found_roots", {"01_a", "02_b"}}, {"missing_roots", {"07"}}}),
          verdict("XA002", exec::Status::fail, catalog::Severity::high, "README.md validation: 1 missing",
                  {{"missing_readme", {"/repo/03_core"}}, {"missing_count", 1}}),
          verdict("XB003", exec::Status::error, catalog::Severity::medium, "Execution error: boom",
                  {{"error", "boom"}}),
          verdict("XB004", exec::Status::pass, catalog::Severity::low, "fine"),
          verdict("XC005", exec::Status::skipped, catalog::Severity::info, "Skipped: prerequisite XA001 did not pass",
                  {{"blocked_by", {"XA001"}}})};
}

report::FileProbe fake_probe(std::set<std::string> files) {
  report::FileProbe probe;
  probe.is_file = [files](const std::string& p) { return files.count(p) != 0; };
  probe.first_root_file = [files]() -> std::optional<std::string> {
    for (const auto& f : files)
      if (f.find('/') == std::string::npos) return f;
    return std::nullopt;
  };
  return probe;
}

report::RunInfo run_info() {
  report::RunInfo info;
  info.timestamp = "2026-01-01T00:00:00.000000Z";
  info.repo_root = "/repo";
  info.mode = "sequential";
  return info;
}

// ---- offending paths, fingerprints, locations ---------------------------------

TEST(ReportOffendingPaths, SkipInventoryListsAndTakePathFieldsOfObjects) {
  const auto v = verdict("XA001", exec::Status::fail, catalog::Severity::critical, "m",
                         {{"found_roots", {"01_a"}},
                          {"valid_roots", {"02_b"}},
                          {"violations", {{{"path", "/repo/01_a/shards/17_x"}, {"issue", "out of range"}}}},
                          {"missing", {"./03_c/README.md", "03_c/README.md"}},
                          {"chart_file", "04_d/chart.yaml"},
                          {"count", 3}});
  EXPECT_EQ(report::offending_paths(v, "/repo"),
            (std::vector<std::string>{"01_a/shards/17_x", "03_c/README.md", "04_d/chart.yaml"}));
}

TEST(ReportFingerprint, IsStableAcrossOrderAndCheckoutButNotAcrossPathsOrRules) {
  const auto a = verdict("XA002", exec::Status::fail, catalog::Severity::high, "2 missing",
                         {{"missing", {"/one/03_c", "/one/05_e"}}, {"total", 24}});
  const auto b = verdict("XA002", exec::Status::fail, catalog::Severity::high, "2 missing (other words)",
                         {{"missing", {"/two/05_e", "/two/03_c"}}, {"total", 25}});
  EXPECT_EQ(report::fingerprint(a, "/one"), report::fingerprint(b, "/two"));
  EXPECT_EQ(report::fingerprint(a, "/one").size(), 16u);
  auto c = b;
  c.evidence["missing"].push_back("/two/06_f");
  EXPECT_NE(report::fingerprint(a, "/one"), report::fingerprint(c, "/two"));
  auto d = a;
  d.rule_id = "XA001";
  EXPECT_NE(report::fingerprint(a, "/one"), report::fingerprint(d, "/one"));
}

TEST(ReportLocation, PrefersAnExistingOffendingFileThenTheClosestReadmeThenTheRoot) {
  const auto v = verdict("XA001", exec::Status::fail, catalog::Severity::critical, "m",
                         {{"missing", {"01_a/shards/02_s/chart.yaml", "01_a/shards/03_s/values.yaml"}}});
  EXPECT_EQ(report::location_for(v, "/repo", fake_probe({"01_a/shards/03_s/values.yaml", "01_a/README.md"})),
            "01_a/shards/03_s/values.yaml");
  EXPECT_EQ(report::location_for(v, "/repo", fake_probe({"01_a/README.md", "README.md"})), "01_a/README.md");
  EXPECT_EQ(report::location_for(v, "/repo", fake_probe({"README.md", "LICENSE"})), "README.md");
  EXPECT_EQ(report::location_for(v, "/repo", fake_probe({"LICENSE", "Makefile"})), "LICENSE");
  EXPECT_EQ(report::location_for(v, "/repo", fake_probe({})), std::nullopt);
}

// ---- SARIF ---------------------------------------------------------------------

TEST(Sarif, DescribesEveryCatalogRuleWithLevelFromSeverityAndHelpUri) {
  const auto catalog = small_catalog();
  const json log = report::to_sarif(catalog, {}, run_info(), fake_probe({"README.md"}));
  EXPECT_EQ(log["version"], "2.1.0");
  ASSERT_EQ(log["runs"].size(), 1u);
  const json& driver = log["runs"][0]["tool"]["driver"];
  EXPECT_EQ(driver["name"], "sotcheck");
  EXPECT_EQ(driver["version"], SOTCHECK_VERSION);
  EXPECT_EQ(driver["informationUri"], std::string(report::k_information_uri));
  ASSERT_EQ(driver["rules"].size(), catalog.rules.size());
  const std::vector<std::string> levels = {"error", "error", "warning", "note", "note"};
  for (std::size_t i = 0; i < catalog.rules.size(); ++i) {
    const json& d = driver["rules"][i];
    EXPECT_EQ(d["id"], catalog.rules[i].id);
    EXPECT_EQ(d["defaultConfiguration"]["level"], levels[i]) << catalog.rules[i].id;
    EXPECT_FALSE(d["shortDescription"]["text"].get<std::string>().empty());
    EXPECT_FALSE(d["fullDescription"]["text"].get<std::string>().empty());
    EXPECT_EQ(d["helpUri"].get<std::string>().rfind("https://", 0), 0u);
    EXPECT_NE(d["helpUri"].get<std::string>().find("/rules/xx.yaml#L10"), std::string::npos);
  }
  EXPECT_EQ(driver["rules"][0]["name"], "Exactly24RootFolders");
  EXPECT_EQ(driver["rules"][4]["name"], "RuleXC005");  // no title: still an identifier
  EXPECT_EQ(log["runs"][0]["results"].size(), 0u);
}

TEST(Sarif, OneResultPerFailOrErrorWithIndexFingerprintAndAnExistingLocation) {
  const auto catalog = small_catalog();
  auto info = run_info();
  const auto verdicts = mixed_verdicts();
  const json log = report::to_sarif(catalog, verdicts, info, fake_probe({"README.md", "03_core/README.md"}));
  const json& results = log["runs"][0]["results"];
  ASSERT_EQ(results.size(), 3u);  // two FAIL + one ERROR; PASS and SKIPPED have none
  EXPECT_EQ(results[0]["ruleId"], "XA001");
  EXPECT_EQ(results[0]["ruleIndex"], 0);
  EXPECT_EQ(results[0]["level"], "error");
  EXPECT_EQ(results[0]["message"]["text"], "Root folder count: 23 (required: 24). Offending: 07.");
  const json& location = results[0]["locations"][0]["physicalLocation"];
  EXPECT_EQ(location["artifactLocation"]["uri"], "README.md");
  EXPECT_EQ(location["artifactLocation"]["uriBaseId"], "SRCROOT");
  EXPECT_EQ(location["region"]["startLine"], 1);
  EXPECT_EQ(results[0]["partialFingerprints"]["sotcheck/v1"], report::fingerprint(verdicts[0], "/repo"));
  EXPECT_EQ(results[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "03_core/README.md");
  EXPECT_EQ(results[2]["ruleId"], "XB003");
  EXPECT_EQ(results[2]["ruleIndex"], 2);
  EXPECT_EQ(results[2]["level"], "error");  // an unevaluated MEDIUM rule is still an error
  EXPECT_EQ(results[2]["properties"]["status"], "ERROR");
  EXPECT_FALSE(results[0].contains("baselineState"));
  EXPECT_EQ(log["runs"][0]["originalUriBaseIds"]["SRCROOT"]["uri"], "file:///repo/");
}

TEST(Sarif, SuppressionsAndBaselineStatesAreRecorded) {
  const auto catalog = small_catalog();
  auto info = run_info();
  info.dispositions.resize(5);
  info.dispositions[0].baselined = true;
  info.dispositions[1].suppressed_reason = "legacy";
  info.baseline_file = "base.json";
  const json results = report::to_sarif(catalog, mixed_verdicts(), info, fake_probe({"README.md"}))["runs"][0]["results"];
  EXPECT_EQ(results[0]["baselineState"], "unchanged");
  EXPECT_EQ(results[1]["baselineState"], "new");
  EXPECT_EQ(results[1]["suppressions"][0]["kind"], "external");
  EXPECT_EQ(results[1]["suppressions"][0]["justification"], "legacy");
}

TEST(Sarif, UrisArePercentEncoded) {
  const auto v = verdict("XA001", exec::Status::fail, catalog::Severity::critical, "m",
                         {{"files", {"01 a/#x%y.md"}}});
  const json results =
      report::to_sarif(small_catalog(), {v}, run_info(), fake_probe({"01 a/#x%y.md"}))["runs"][0]["results"];
  EXPECT_EQ(results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "01%20a/%23x%25y.md");
}

// ---- JUnit ---------------------------------------------------------------------

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

TEST(Junit, OneUniquelyNamedTestcasePerRuleInOneSuitePerBatch) {
  const std::string xml = report::to_junit(small_catalog(), mixed_verdicts(), run_info());
  EXPECT_EQ(count_of(xml, "<testsuite "), 3u);
  EXPECT_EQ(count_of(xml, "<testcase "), 5u);
  EXPECT_NE(xml.find("<testsuites name=\"sotcheck\" tests=\"5\" failures=\"2\" errors=\"1\" skipped=\"1\""),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<testcase classname=\"XA\" name=\"XA001: Exactly 24 root folders\">"), std::string::npos);
  EXPECT_NE(xml.find("<testcase classname=\"XC\" name=\"XC005\">"), std::string::npos);
  EXPECT_NE(xml.find("<failure message=\"Root folder count: 23 (required: 24)\" type=\"CRITICAL\">"),
            std::string::npos);
  EXPECT_NE(xml.find("<error message=\"Execution error: boom\" type=\"MEDIUM\">"), std::string::npos);
  EXPECT_NE(xml.find("<skipped message=\"Skipped: prerequisite XA001 did not pass\"/>"), std::string::npos);
  std::set<std::string> names;
  const std::regex name_re("<testcase classname=\"[^\"]*\" name=\"([^\"]*)\"");
  for (std::sregex_iterator it(xml.begin(), xml.end(), name_re), end; it != end; ++it) names.insert((*it)[1]);
  EXPECT_EQ(names.size(), 5u);
}

TEST(Junit, SuppressedAndBaselinedFailuresAreSkippedButErrorsStayErrors) {
  auto info = run_info();
  info.dispositions.resize(5);
  info.dispositions[0].suppressed_reason = "because";
  info.dispositions[1].baselined = true;
  info.dispositions[2].suppressed_reason = "errors are never forgiven";
  const std::string xml = report::to_junit(small_catalog(), mixed_verdicts(), info);
  EXPECT_NE(xml.find("<skipped message=\"suppressed: because\"/>"), std::string::npos);
  EXPECT_NE(xml.find("<skipped message=\"known failure (baseline): README.md validation: 1 missing\"/>"),
            std::string::npos);
  EXPECT_NE(xml.find("tests=\"5\" failures=\"0\" errors=\"1\" skipped=\"3\""), std::string::npos) << xml;
}

TEST(Junit, HostileStringsStayWellFormed) {
  const std::string hostile = std::string("a<b>&\"c'\x01\x1f\r\n\xff\xfe end \xe2\x82\xac ]]>");
  const auto v = verdict("XA001", exec::Status::fail, catalog::Severity::critical, hostile, {{"files", {hostile}}});
  const std::string xml = report::to_junit(small_catalog(), {v}, run_info());
  EXPECT_EQ(xml.find('\x01'), std::string::npos);
  EXPECT_EQ(xml.find('\xff'), std::string::npos);
  EXPECT_NE(xml.find("\xe2\x82\xac"), std::string::npos);  // valid UTF-8 is kept
  EXPECT_NE(xml.find("&lt;b&gt;&amp;&quot;c'"), std::string::npos);
  SOTCHECK_NEEDS_TOOL(on_path("xmllint"), "xmllint not installed (libxml2-utils); well-formedness not checked");
  TempDir dir;
  testing::write_file(dir.path() + "/j.xml", xml);
  const auto r = testing::run_process({"/bin/sh", "-c", "xmllint --noout " + dir.path() + "/j.xml"});
  EXPECT_EQ(r.exit_code, 0) << r.err << xml;
}

// ---- GitHub --------------------------------------------------------------------

TEST(Github, EscapesDataAndPropertiesPerTheWorkflowCommandRules) {
  EXPECT_EQ(report::github_escape_data("50% done\r\nnext: a,b"), "50%25 done%0D%0Anext: a,b");
  EXPECT_EQ(report::github_escape_property("50% a:b,c\nd"), "50%25 a%3Ab%2Cc%0Ad");
}

TEST(Github, AnnotatesFailuresByLevelInSeverityGroups) {
  auto info = run_info();
  const std::string out =
      report::to_github(small_catalog(), mixed_verdicts(), info, fake_probe({"README.md", "03_core/README.md"}), {});
  EXPECT_NE(out.find("::group::CRITICAL: 1 rule not passing\n"
                     "::error file=README.md,line=1,title=XA001%3A Exactly 24 root folders::"
                     "Root folder count: 23 (required: 24)%0A  07\n"
                     "::endgroup::\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("::error file=03_core/README.md,line=1,title=XA002%3A Every root has README.md::"),
            std::string::npos);
  EXPECT_NE(out.find("::error file=README.md,line=1,title=XB003%3A Charts name their maintainers%2C owners::"
                     "Rule could not be evaluated: Execution error: boom"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("SKIPPED XC005: Skipped: prerequisite XA001 did not pass\n"), std::string::npos);
  EXPECT_EQ(count_of(out, "::group::"), count_of(out, "::endgroup::"));
  // A failing MEDIUM rule is a warning, a baselined one a notice, a suppressed one no annotation.
  auto verdicts = mixed_verdicts();
  verdicts[2].status = exec::Status::fail;
  info.dispositions.resize(5);
  info.dispositions[1].baselined = true;
  info.dispositions[0].suppressed_reason = "legacy";
  const std::string more = report::to_github(small_catalog(), verdicts, info, fake_probe({"README.md"}), {"sub/"});
  EXPECT_NE(more.find("::warning file=sub/README.md,line=1,title=XB003"), std::string::npos) << more;
  EXPECT_NE(more.find("::notice file=sub/README.md,line=1,title=XA002%3A Every root has README.md (known failure"),
            std::string::npos)
      << more;
  EXPECT_NE(more.find("SUPPRESSED XA001: Root folder count: 23 (required: 24) (reason: legacy)"), std::string::npos);
  EXPECT_EQ(more.find("::error file=sub/README.md,line=1,title=XA001"), std::string::npos);
}

TEST(Github, StepSummaryIsAMarkdownTableWithEscapedCells) {
  auto verdicts = mixed_verdicts();
  verdicts[0].message = "a | b\nc";
  const std::string md = report::github_step_summary(small_catalog(), verdicts, run_info());
  EXPECT_NE(md.find("## sotcheck: 3 rules not passing"), std::string::npos) << md;
  EXPECT_NE(md.find("| CRITICAL | 1 | 0 | 1 |"), std::string::npos);
  EXPECT_NE(md.find("| `XA001` | Exactly 24 root folders | CRITICAL | FAIL | a \\| b c |"), std::string::npos) << md;
}

// ---- JSON ------------------------------------------------------------------------

TEST(JsonReport, KeepsSchemaVersionAndShowsSuppressionsAndTheBaselineOnlyWhenUsed) {
  auto info = run_info();
  const json plain = report::to_json(mixed_verdicts(), info);
  EXPECT_EQ(plain["schema_version"], report::k_json_schema_version);
  EXPECT_FALSE(plain.contains("baseline"));
  EXPECT_FALSE(plain["results"][0].contains("suppressed"));
  info.dispositions.resize(5);
  info.dispositions[0].suppressed_reason = "legacy";
  info.dispositions[1].baselined = true;
  info.baseline_file = "b.json";
  info.baseline_resolved.push_back({"XB004", "00000000000000ff", "FAIL", "was broken"});
  const json j = report::to_json(mixed_verdicts(), info);
  EXPECT_EQ(j["results"][0]["suppressed"]["reason"], "legacy");
  EXPECT_EQ(j["results"][0]["baseline"], "new");
  EXPECT_EQ(j["results"][1]["baseline"], "known");
  EXPECT_FALSE(j["results"][3].contains("baseline"));  // a PASS is neither
  EXPECT_EQ(j["summary"]["suppressed_count"], 1);
  EXPECT_EQ(j["baseline"]["known"], 1);
  EXPECT_EQ(j["baseline"]["new"], 2);
  EXPECT_EQ(j["baseline"]["no_longer_occurring"][0]["rule_id"], "XB004");
}

// ---- end to end: one run, every format ----------------------------------------------

/// A scaffold (seed 7) broken in known ways: a root deleted (AR001, AR003), a
/// README removed (AR006), a values.yaml removed (AR005), a 17th shard added
/// (AR002, AR007, AR008).
class KnownFailures : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    s_dir = new TempDir();
    const auto r = run_clean({"scaffold", tree(), "--seed", "7"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    fs::remove_all(tree() + "/07_governance_legal");
    fs::remove(tree() + "/03_core/README.md");
    fs::remove(tree() + "/01_ai_layer/shards/02_dokumente_nachweise/values.yaml");
    fs::create_directories(tree() + "/01_ai_layer/shards/17_extra/templates");
    testing::write_file(tree() + "/01_ai_layer/shards/17_extra/chart.yaml", "name: extra\n");
  }
  static void TearDownTestSuite() {
    delete s_dir;
    s_dir = nullptr;
  }
  static std::string tree() { return s_dir->path() + "/ssid"; }
  static TempDir* s_dir;
};
TempDir* KnownFailures::s_dir = nullptr;

json normalised_json(json report) {
  report.erase("run");
  report.erase("timestamp");
  report["repo_root"] = "<ROOT>";
  for (auto& r : report["results"]) r.erase("timestamp");
  for (auto& r : report["summary"]["critical_failures"]) r.erase("timestamp");
  return report;
}

/// The SARIF without what depends on the machine (the SRCROOT URI) or on rules
/// other helpers add to the catalog (descriptors outside the AR family).
json normalised_sarif(json log) {
  json& run = log["runs"][0];
  run["originalUriBaseIds"]["SRCROOT"]["uri"] = "file:///<ROOT>/";
  json kept = json::array();
  for (const auto& d : run["tool"]["driver"]["rules"])
    if (d["id"].get<std::string>().rfind("AR", 0) == 0) kept.push_back(d);
  run["tool"]["driver"]["rules"] = kept;
  run["tool"]["driver"]["version"] = "<VERSION>";
  run["tool"]["driver"]["semanticVersion"] = "<VERSION>";
  return log;
}

TEST_F(KnownFailures, OneRunWritesEveryFormatAndEachMatchesItsGolden) {
  TempDir out;
  const std::string o = out.path() + "/";
  const auto r = run_clean({"validate", tree(), "--select", "AR", "--format", "text=" + o + "r.txt", "--format",
                            "json=" + o + "r.json", "--format", "sarif=" + o + "r.sarif", "--format",
                            "junit=" + o + "r.xml", "--format", "github"},
                           {"GITHUB_STEP_SUMMARY=" + o + "summary.md"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const std::string root = fs::canonical(tree()).string();

  expect_golden("known_failures.txt", replace_all(testing::read_file(o + "r.txt"), root, "<ROOT>"));
  expect_golden("known_failures.json",
                normalised_json(json::parse(testing::read_file(o + "r.json"))).dump(2) + "\n");
  const json sarif = json::parse(testing::read_file(o + "r.sarif"));
  expect_golden("known_failures.sarif", normalised_sarif(sarif).dump(2) + "\n");
  const std::string junit = std::regex_replace(testing::read_file(o + "r.xml"), std::regex("time=\"[0-9.]+\""),
                                               "time=\"0.000\"");
  expect_golden("known_failures.junit.xml", junit);
  expect_golden("known_failures.github.txt", r.out);
  expect_golden("known_failures.summary.md", testing::read_file(o + "summary.md"));

  // SARIF describes every catalog rule, not just the selected ones.
  const auto list = run_clean({"rules", "list", "--format", "json"});
  ASSERT_EQ(list.exit_code, 0);
  EXPECT_EQ(sarif["runs"][0]["tool"]["driver"]["rules"].size(), json::parse(list.out).size());
  // Every location names a file that exists.
  for (const auto& result : sarif["runs"][0]["results"]) {
    const std::string uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    EXPECT_TRUE(fs::is_regular_file(tree() + "/" + uri)) << uri;
  }
}

TEST_F(KnownFailures, JunitOfAFullRunHasOneTestcasePerCatalogRuleAndIsWellFormed) {
  TempDir out;
  const auto r = run_clean({"validate", tree(), "--format", "junit=" + out.path() + "/j.xml"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const std::string xml = testing::read_file(out.path() + "/j.xml");
  const auto list = run_clean({"rules", "list", "--format", "json"});
  EXPECT_EQ(count_of(xml, "<testcase "), json::parse(list.out).size());
  SOTCHECK_NEEDS_TOOL(on_path("xmllint"), "xmllint not installed (libxml2-utils); well-formedness not checked");
  const auto lint = testing::run_process({"/bin/sh", "-c", "xmllint --noout " + out.path() + "/j.xml"});
  EXPECT_EQ(lint.exit_code, 0) << lint.err;
}

/// Microsoft's validator: `sarif-multitool` from npm (scripts/install-sarif-validator.sh),
/// or through npx. Skipped only when neither exists.
TEST_F(KnownFailures, SarifPassesMicrosoftsValidatorWithNoErrors) {
  std::string tool;
  if (on_path("sarif-multitool"))
    tool = "sarif-multitool";
  else if (on_path("npx"))
    tool = "npx --yes @microsoft/sarif-multitool";
  else
    GTEST_SKIP() << "neither sarif-multitool nor npx is installed; run scripts/install-sarif-validator.sh";
  TempDir out;
  const std::string sarif = out.path() + "/r.sarif";
  const auto r = run_clean({"validate", tree(), "--format", "sarif=" + sarif});
  ASSERT_EQ(r.exit_code, 1) << r.err;
  const std::string log = out.path() + "/validation.sarif";
  const auto v = testing::run_process(
      {"/bin/sh", "-c", tool + " validate " + sarif + " --output " + log + " 2>&1"});
  ASSERT_TRUE(fs::exists(log)) << v.out << v.err;
  // The validator's own output is SARIF: any result at level "error" is a failure.
  const json results = json::parse(testing::read_file(log))["runs"][0]["results"];
  std::string errors;
  for (const auto& result : results)
    if (result.value("level", "warning") == "error") errors += result.dump() + "\n";
  EXPECT_EQ(errors, "") << v.out;
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
}

}  // namespace
}  // namespace sotcheck
