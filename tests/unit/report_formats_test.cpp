// Report formats: SARIF, JUnit, GitHub and JSON renderings of verdicts built by
// hand (every status and severity, hostile strings), then golden files of
// every format from one real run on a scaffold with known failures, and
// Microsoft's SARIF validator on a real report.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <set>

#include "sotcheck/report/report.hpp"
#include "support/process.hpp"
#include "support/shared_trees.hpp"
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

/// A tree of `entries`: a name ending in '/' is a folder, anything else a file;
/// the folders above every entry exist too.
report::FileProbe fake_probe(std::set<std::string> entries) {
  std::set<std::string> files, dirs;
  for (std::string e : entries) {
    if (e.back() == '/') e.pop_back();
    else files.insert(e);
    for (auto slash = e.rfind('/'); slash != std::string::npos; slash = e.rfind('/', slash - 1)) {
      dirs.insert(e.substr(0, slash));
      if (slash == 0) break;
    }
    if (files.count(e) == 0) dirs.insert(e);
  }
  report::FileProbe probe;
  probe.is_file = [files](const std::string& p) { return files.count(p) != 0; };
  probe.is_dir = [dirs](const std::string& p) {
    std::string d = p;
    if (!d.empty() && d.back() == '/') d.pop_back();
    return dirs.count(d) != 0;
  };
  return probe;
}

checks::Finding finding(std::string path, std::uint32_t line, std::uint32_t column, checks::FindingKind kind,
                        std::string message, std::string identity = "") {
  checks::Finding f;
  f.path = std::move(path);
  f.line = line;
  f.column = column;
  f.kind = kind;
  f.message = std::move(message);
  f.identity = std::move(identity);
  return f;
}

/// mixed_verdicts() with findings on the two failures, as checks will fill them.
std::vector<exec::Verdict> verdicts_with_findings() {
  auto verdicts = mixed_verdicts();
  verdicts[0].findings = {finding("07_governance_legal", 0, 0, checks::FindingKind::missing,
                                  "root folder 07_governance_legal is missing")};
  verdicts[1].findings = {finding("03_core/README.md", 0, 0, checks::FindingKind::missing, "README.md is missing"),
                          finding("01_a/chart.yaml", 4, 3, checks::FindingKind::invalid_value,
                                  "version is 'x', expected semver", "version")};
  return verdicts;
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

TEST(ReportLocation, AMissingFileIsShownAtItsFolderAnythingElseWhereTheFindingPoints) {
  using K = checks::FindingKind;
  const auto probe = fake_probe({"01_a/values.yaml", "01_a/shards/02_s/", "01_a/shards/17_x/"});
  auto at = report::location_of(finding("01_a/shards/02_s/chart.yaml", 0, 0, K::missing, "m"), probe);
  EXPECT_EQ(at.path, "01_a/shards/02_s/");
  EXPECT_TRUE(at.folder);
  // Inside a folder that is missing too: the closest folder that exists.
  at = report::location_of(finding("01_a/shards/03_s/templates/x.yaml", 0, 0, K::missing, "m"), probe);
  EXPECT_EQ(at.path, "01_a/shards/");
  // A folder that must not exist is shown as that folder.
  at = report::location_of(finding("01_a/shards/17_x", 0, 0, K::forbidden_entry, "m"), probe);
  EXPECT_EQ(at.path, "01_a/shards/17_x/");
  EXPECT_TRUE(at.folder);
  at = report::location_of(finding("07_governance_legal", 0, 0, K::missing, "m"), probe);
  EXPECT_EQ(at.path, "");  // a missing root: the repository root should contain it
  // A missing key is shown in the file that should hold it.
  at = report::location_of(finding("01_a/values.yaml", 0, 0, K::missing, "m", "image.tag"), probe);
  EXPECT_EQ(at.path, "01_a/values.yaml");
  EXPECT_FALSE(at.folder);
  at = report::location_of(finding("01_a/x.py", 12, 7, K::forbidden_content, "m"), probe);
  EXPECT_EQ(at.path, "01_a/x.py");
  EXPECT_EQ(at.line, 12u);
  EXPECT_EQ(at.column, 7u);
}

TEST(ReportLocation, CompilerStyleNamesOnlyWhatIsKnown) {
  using K = checks::FindingKind;
  EXPECT_EQ(report::compiler_location(finding("a/b.py", 12, 7, K::forbidden_content, "m")), "a/b.py:12:7");
  EXPECT_EQ(report::compiler_location(finding("a/b.py", 12, 0, K::forbidden_content, "m")), "a/b.py:12");
  EXPECT_EQ(report::compiler_location(finding("a/b.py", 0, 0, K::missing, "m")), "a/b.py");
}

TEST(ReportFingerprint, OfAFindingIgnoresLinesAndMessagesButNotRulePathKindOrIdentity) {
  using K = checks::FindingKind;
  const auto base = finding("a/b.yaml", 3, 1, K::invalid_value, "old words", "version");
  const std::string fp = report::finding_fingerprint("XA001", base);
  EXPECT_EQ(fp.size(), 16u);
  EXPECT_EQ(report::finding_fingerprint("XA001", finding("a/b.yaml", 40, 9, K::invalid_value, "new words", "version")),
            fp);
  EXPECT_NE(report::finding_fingerprint("XA002", base), fp);
  EXPECT_NE(report::finding_fingerprint("XA001", finding("a/c.yaml", 3, 1, K::invalid_value, "old words", "version")),
            fp);
  EXPECT_NE(report::finding_fingerprint("XA001", finding("a/b.yaml", 3, 1, K::missing, "old words", "version")), fp);
  EXPECT_NE(report::finding_fingerprint("XA001", finding("a/b.yaml", 3, 1, K::invalid_value, "old words", "name")),
            fp);
}

// ---- SARIF ---------------------------------------------------------------------

TEST(Sarif, DescribesEveryCatalogRuleWithLevelHelpAndNoLinkToANonexistentRepository) {
  auto catalog = small_catalog();
  catalog.rules.push_back(rule("XD006", "Never commit secrets", catalog::Severity::critical, 2));
  const json log = report::to_sarif(catalog, {}, run_info(), fake_probe({"README.md"}));
  EXPECT_EQ(log["version"], "2.1.0");
  ASSERT_EQ(log["runs"].size(), 1u);
  const json& driver = log["runs"][0]["tool"]["driver"];
  EXPECT_EQ(driver["name"], "sotcheck");
  EXPECT_EQ(driver["version"], SOTCHECK_VERSION);
  EXPECT_FALSE(driver.contains("informationUri"));
  ASSERT_EQ(driver["rules"].size(), catalog.rules.size());
  const std::vector<std::string> levels = {"error", "error", "warning", "note", "note", "error"};
  for (std::size_t i = 0; i < catalog.rules.size(); ++i) {
    const json& d = driver["rules"][i];
    EXPECT_EQ(d["id"], catalog.rules[i].id);
    EXPECT_EQ(d["defaultConfiguration"]["level"], levels[i]) << catalog.rules[i].id;
    EXPECT_FALSE(d["shortDescription"]["text"].get<std::string>().empty());
    EXPECT_FALSE(d["fullDescription"]["text"].get<std::string>().empty());
    EXPECT_FALSE(d.contains("helpUri"));
    EXPECT_NE(d["help"]["text"].get<std::string>().find("How to fix:"), std::string::npos);
    EXPECT_NE(d["help"]["markdown"].get<std::string>().find("**How to fix:**"), std::string::npos);
    EXPECT_NE(d["help"]["text"].get<std::string>().find("rules/xx.yaml"), std::string::npos);
  }
  EXPECT_EQ(driver["rules"][0]["name"], "Exactly24RootFolders");
  EXPECT_EQ(driver["rules"][4]["name"], "RuleXC005");  // no title: still an identifier
  // Only the secrets rule is a security rule, ranked on GitHub's scale.
  EXPECT_EQ(driver["rules"][5]["properties"]["tags"], json::array({"XD", "security"}));
  EXPECT_EQ(driver["rules"][5]["properties"]["security-severity"], "9.5");
  EXPECT_FALSE(driver["rules"][0]["properties"].contains("security-severity"));
  EXPECT_EQ(log["runs"][0]["results"].size(), 0u);
}

TEST(Sarif, OneResultPerFindingAtItsFileAndLineAndOneRunLevelResultPerVerdictWithout) {
  const auto catalog = small_catalog();
  const auto verdicts = verdicts_with_findings();
  const json log = report::to_sarif(catalog, verdicts, run_info(), fake_probe({"README.md", "01_a/chart.yaml", "03_core/"}));
  const json& results = log["runs"][0]["results"];
  ASSERT_EQ(results.size(), 4u);  // 1 + 2 findings, one ERROR without findings; PASS and SKIPPED have none
  EXPECT_EQ(results[0]["ruleId"], "XA001");
  EXPECT_EQ(results[0]["ruleIndex"], 0);
  EXPECT_EQ(results[0]["level"], "error");
  EXPECT_EQ(results[0]["message"]["text"], "root folder 07_governance_legal is missing.");
  // A missing root is located at the folder that should contain it: the root.
  const json& root = results[0]["locations"][0]["physicalLocation"];
  EXPECT_EQ(root["artifactLocation"]["uri"], "./");
  EXPECT_EQ(root["artifactLocation"]["uriBaseId"], "SRCROOT");
  EXPECT_FALSE(root.contains("region"));
  EXPECT_EQ(results[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "03_core/");
  const json& chart = results[2]["locations"][0]["physicalLocation"];
  EXPECT_EQ(chart["artifactLocation"]["uri"], "01_a/chart.yaml");
  EXPECT_EQ(chart["region"]["startLine"], 4);
  EXPECT_EQ(chart["region"]["startColumn"], 3);
  EXPECT_EQ(results[2]["partialFingerprints"]["sotcheck/finding/v1"],
            report::finding_fingerprint("XA002", verdicts[1].findings[1]));
  EXPECT_EQ(results[3]["ruleId"], "XB003");
  EXPECT_EQ(results[3]["level"], "error");  // an unevaluated MEDIUM rule is still an error
  EXPECT_EQ(results[3]["properties"]["status"], "ERROR");
  EXPECT_FALSE(results[3].contains("locations"));  // nothing to point at: never a guessed README
  EXPECT_EQ(results[3]["partialFingerprints"]["sotcheck/v1"], report::fingerprint(verdicts[2], "/repo"));
  EXPECT_FALSE(results[0].contains("baselineState"));
  EXPECT_EQ(log["runs"][0]["originalUriBaseIds"]["SRCROOT"]["uri"], "file:///repo/");
  for (const auto& r : results) {
    if (!r.contains("locations")) continue;
    EXPECT_EQ(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].get<std::string>().find("README"),
              std::string::npos)
        << r.dump();
  }
}

TEST(Sarif, AFindingsFingerprintDoesNotMoveWhenOtherFindingsComeAndGo) {
  auto verdicts = verdicts_with_findings();
  const auto fingerprint_of_chart = [&](const std::vector<exec::Verdict>& vs) {
    const json log = report::to_sarif(small_catalog(), vs, run_info(), fake_probe({}));
    for (const auto& r : log["runs"][0]["results"])
      if (r["message"]["text"] == "version is 'x', expected semver.") return r["partialFingerprints"].dump();
    return std::string("not found");
  };
  const std::string before = fingerprint_of_chart(verdicts);
  verdicts[1].findings.erase(verdicts[1].findings.begin());
  verdicts[1].findings.push_back(finding("09_x/README.md", 0, 0, checks::FindingKind::missing, "README.md is missing"));
  verdicts[1].findings[0].line = 40;  // and the line moved
  EXPECT_EQ(fingerprint_of_chart(verdicts), before);
  EXPECT_NE(before, "not found");
}

TEST(Sarif, KeepsTheMostSevereResultsWithinGithubsLimitAndSaysHowManyWereLeftOut) {
  auto verdicts = mixed_verdicts();
  verdicts[2].status = exec::Status::fail;  // MEDIUM, listed before nothing more severe
  for (std::size_t k = 0; k < report::k_sarif_max_results; ++k)
    verdicts[2].findings.push_back(
        finding("m/" + std::to_string(k) + ".yaml", 1, 0, checks::FindingKind::invalid_value, "medium"));
  verdicts[0].findings = {finding("c.yaml", 1, 0, checks::FindingKind::invalid_value, "critical")};
  const json run = report::to_sarif(small_catalog(), verdicts, run_info(), fake_probe({}))["runs"][0];
  ASSERT_EQ(run["results"].size(), report::k_sarif_max_results);
  EXPECT_EQ(run["results"][0]["ruleId"], "XA001");  // the critical finding is kept
  EXPECT_EQ(run["results"][1]["ruleId"], "XA002");  // so is the HIGH run-level result
  // 1 + 1 + 25,000 results: two MEDIUM findings are left out, and the run says so.
  const std::string note = run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"];
  EXPECT_EQ(note.rfind("2 less severe results were left out", 0), 0u) << note;
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
  auto v = verdict("XA001", exec::Status::fail, catalog::Severity::critical, "m");
  v.findings = {finding("01 a/#x%y.md", 2, 0, checks::FindingKind::forbidden_content, "m")};
  const json results = report::to_sarif(small_catalog(), {v}, run_info(), fake_probe({}))["runs"][0]["results"];
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
  EXPECT_NE(xml.find("<testsuites name=\"sotcheck\" tests=\"5\" failures=\"2\" errors=\"1\" time="),
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
  EXPECT_NE(xml.find("<testsuites name=\"sotcheck\" tests=\"5\" failures=\"0\" errors=\"1\" time="),
            std::string::npos)
      << xml;
  EXPECT_EQ(count_of(xml, "<skipped "), 3u);
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

/// xmllint --schema tests/schemas/junit-10.xsd: the Jenkins xUnit plugin's check.
void expect_valid_junit(const std::string& xml) {
  SOTCHECK_NEEDS_TOOL(on_path("xmllint"), "xmllint not installed (libxml2-utils); junit-10.xsd not checked");
  TempDir dir;
  testing::write_file(dir.path() + "/j.xml", xml);
  const std::string schema = std::string(SOTCHECK_SOURCE_DIR) + "/tests/schemas/junit-10.xsd";
  const auto r = testing::run_process(
      {"/bin/sh", "-c", "xmllint --noout --schema '" + schema + "' '" + dir.path() + "/j.xml' 2>&1"});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

TEST(Junit, AFailureListsItsFindingsAsPathLineMessage) {
  const std::string xml = report::to_junit(small_catalog(), verdicts_with_findings(), run_info());
  EXPECT_NE(xml.find("README.md validation: 1 missing\n03_core/README.md: README.md is missing\n"
                     "01_a/chart.yaml:4: version is 'x', expected semver\n</failure>"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("07_governance_legal: root folder 07_governance_legal is missing\n</failure>"),
            std::string::npos);
  EXPECT_EQ(xml.find("missing_readme"), std::string::npos);  // no evidence dump once findings say it
}

TEST(Junit, IsValidAgainstTheJenkinsXunitSchemaWhateverTheVerdicts) {
  auto info = run_info();
  info.dispositions.resize(5);
  info.dispositions[1].baselined = true;
  expect_valid_junit(report::to_junit(small_catalog(), verdicts_with_findings(), info));
  expect_valid_junit(report::to_junit(small_catalog(), {}, run_info()));
}

// ---- GitHub --------------------------------------------------------------------

TEST(Github, EscapesDataAndPropertiesPerTheWorkflowCommandRules) {
  EXPECT_EQ(report::github_escape_data("50% done\r\nnext: a,b"), "50%25 done%0D%0Anext: a,b");
  EXPECT_EQ(report::github_escape_property("50% a:b,c\nd"), "50%25 a%3Ab%2Cc%0Ad");
}

TEST(Github, AnnotatesEachFindingAtItsFileAndLineByLevelInSeverityGroups) {
  auto info = run_info();
  const std::string out = report::to_github(small_catalog(), verdicts_with_findings(), info,
                                            fake_probe({"01_a/chart.yaml", "03_core/"}), {});
  EXPECT_NE(out.find("::group::CRITICAL: 1 rule not passing\n"
                     "XA001: Root folder count: 23 (required: 24)\n"
                     "::error title=XA001%3A Exactly 24 root folders::root folder 07_governance_legal is missing\n"
                     "::endgroup::\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("::error file=03_core/,title=XA002%3A Every root has README.md::README.md is missing\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("::error file=01_a/chart.yaml,line=4,col=3,title=XA002%3A Every root has README.md::"
                     "version is 'x', expected semver\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("::error title=XB003%3A Charts name their maintainers%2C owners::"
                     "Rule could not be evaluated: Execution error: boom"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("SKIPPED XC005: Skipped: prerequisite XA001 did not pass\n"), std::string::npos);
  EXPECT_EQ(count_of(out, "::group::"), count_of(out, "::endgroup::"));
  EXPECT_EQ(out.find("README.md,"), std::string::npos);  // never a guessed README
  // A failing MEDIUM rule is a warning, a baselined one a notice, a suppressed one no annotation.
  auto verdicts = verdicts_with_findings();
  verdicts[2].status = exec::Status::fail;
  verdicts[2].findings = {finding("x/values.yaml", 2, 0, checks::FindingKind::invalid_value, "bad")};
  info.dispositions.resize(5);
  info.dispositions[1].baselined = true;
  info.dispositions[0].suppressed_reason = "legacy";
  const std::string more =
      report::to_github(small_catalog(), verdicts, info, fake_probe({"01_a/chart.yaml"}), {"sub/"});
  EXPECT_NE(more.find("::warning file=sub/x/values.yaml,line=2,title=XB003"), std::string::npos) << more;
  EXPECT_NE(more.find("::notice file=sub/01_a/chart.yaml,line=4,col=3,title=XA002%3A Every root has README.md "
                      "(known failure"),
            std::string::npos)
      << more;
  EXPECT_NE(more.find("SUPPRESSED XA001: Root folder count: 23 (required: 24) (reason: legacy)"), std::string::npos);
  EXPECT_EQ(more.find("title=XA001"), std::string::npos);
}

TEST(Github, AnnotatesTheTenMostSevereOfEachLevelAndSaysWhereTheRestAre) {
  auto verdicts = mixed_verdicts();
  verdicts[2].status = exec::Status::fail;  // MEDIUM: warnings
  for (int k = 0; k < 30; ++k) {
    const std::string n = std::to_string(k);
    verdicts[0].findings.push_back(finding("c/" + n, 1, 0, checks::FindingKind::invalid_value, "critical " + n));
    verdicts[1].findings.push_back(finding("h/" + n, 1, 0, checks::FindingKind::invalid_value, "high " + n));
    verdicts[2].findings.push_back(finding("m/" + n, 1, 0, checks::FindingKind::invalid_value, "medium " + n));
  }
  const std::string out = report::to_github(small_catalog(), verdicts, run_info(), fake_probe({}), {});
  EXPECT_EQ(count_of(out, "\n::error "), 10u) << out;
  EXPECT_EQ(count_of(out, "\n::warning "), 10u);
  EXPECT_EQ(count_of(out, "\n::notice "), 1u);
  // The most severe come first: every critical finding before any high one.
  EXPECT_NE(out.find("::error file=c/9,line=1,"), std::string::npos);
  EXPECT_EQ(out.find("::error file=h/0,"), std::string::npos);
  // The rest are log lines, and the notice counts them: 20 + 30 errors, 20 warnings.
  EXPECT_NE(out.find("  h/0:1: XA002: high 0\n"), std::string::npos);
  EXPECT_NE(out.find("::notice title=sotcheck%3A more findings::70 more findings are not annotated"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("job summary"), std::string::npos);
}

TEST(Github, StepSummaryIsAMarkdownTableWithEscapedCells) {
  auto verdicts = mixed_verdicts();
  verdicts[0].message = "a | b\nc";
  const std::string md = report::github_step_summary(small_catalog(), verdicts, run_info());
  EXPECT_NE(md.find("## sotcheck: 3 rules not passing"), std::string::npos) << md;
  EXPECT_NE(md.find("| CRITICAL | 1 | 0 | 1 |"), std::string::npos);
  EXPECT_NE(md.find("| `XA001` | Exactly 24 root folders | CRITICAL | FAIL | 0 | a \\| b c |"), std::string::npos)
      << md;
}

TEST(Github, StepSummaryListsEveryFinding) {
  auto verdicts = verdicts_with_findings();
  for (int k = 0; k < 300; ++k)
    verdicts[0].findings.push_back(finding("r/" + std::to_string(k), 0, 0, checks::FindingKind::missing, "gone"));
  const std::string md = report::github_step_summary(small_catalog(), verdicts, run_info());
  EXPECT_NE(md.find("| `XA002` | 01_a/chart.yaml:4:3 | version is 'x', expected semver |"), std::string::npos) << md;
  EXPECT_NE(md.find("| `XA001` | r/299 | gone |"), std::string::npos);
  EXPECT_NE(md.find("303 findings"), std::string::npos);
}

// ---- text ------------------------------------------------------------------------

TEST(Text, PrintsOneCompilerStyleLinePerFindingUnderItsRuleHeader) {
  auto info = run_info();
  info.exit_code = 3;
  const std::string text = report::to_text(verdicts_with_findings(), info, {});
  EXPECT_NE(text.find("  FAIL     XA002  README.md validation: 1 missing\n"
                      "    03_core/README.md: README.md is missing\n"
                      "    01_a/chart.yaml:4:3: version is 'x', expected semver\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("  ERROR    XB003  Execution error: boom\n"), std::string::npos) << text;
  // No raw evidence: keys, Python reprs and booleans stay in the JSON report.
  for (const char* raw : {"missing_readme", "found_roots", "expected_count", "{'", "True", "False"})
    EXPECT_EQ(text.find(raw), std::string::npos) << raw << "\n" << text;
  EXPECT_EQ(text.substr(text.rfind('\n', text.size() - 2) + 1),
            "2 rules failed (1 critical), 1 rule could not be evaluated: exit 3\n");
  EXPECT_NE(text.find("1 passed, 2 failed, 1 error, 1 skipped; 3 findings\n"), std::string::npos) << text;
}

TEST(Text, ShowsTenFindingsPerRuleThenAnExactCountUnlessShowAll) {
  auto verdicts = mixed_verdicts();
  for (int k = 0; k < 384; ++k)
    verdicts[0].findings.push_back(
        finding("r/" + std::to_string(k) + "/chart.yaml", 0, 0, checks::FindingKind::missing, "chart.yaml is missing"));
  const std::string cut = report::to_text(verdicts, run_info(), {});
  EXPECT_EQ(count_of(cut, "chart.yaml is missing"), 10u);
  EXPECT_NE(cut.find("    r/9/chart.yaml: chart.yaml is missing\n    ... and 374 more (--show-all)\n"),
            std::string::npos)
      << cut;
  report::TextOptions all;
  all.show_all = true;
  const std::string full = report::to_text(verdicts, run_info(), all);
  EXPECT_EQ(count_of(full, "chart.yaml is missing"), 384u);
  EXPECT_EQ(full.find("more (--show-all)"), std::string::npos);
}

TEST(Text, ExplainPrintsTheCallersLinesUnderEachFailingRuleOnly) {
  const auto verdicts = mixed_verdicts();
  report::TextOptions options;
  std::vector<std::string> asked;
  options.explain = [&asked](const std::string& id) {
    asked.push_back(id);
    return std::vector<std::string>{"why: because " + id, "fix: mend " + id};
  };
  const std::string text = report::to_text(verdicts, run_info(), options);
  for (const auto& v : verdicts) {
    const bool failing = !v.passed();
    EXPECT_EQ(text.find("    fix: mend " + v.rule_id + "\n") != std::string::npos, failing) << v.rule_id << "\n" << text;
    EXPECT_EQ(std::count(asked.begin(), asked.end(), v.rule_id), failing ? 1 : 0) << v.rule_id;
  }
  // Without --explain nothing is added.
  EXPECT_EQ(report::to_text(verdicts, run_info(), {}).find("fix: mend"), std::string::npos);
}

TEST(Text, EndsWithTheVerdictLineEvenWithMoreSections) {
  auto info = run_info();
  info.exit_code = 1;
  report::TextOptions options;
  options.appendix = "\nBaseline\n  1 known failure\n";
  const std::string text = report::to_text(verdicts_with_findings(), info, options);
  EXPECT_LT(text.find("\nBaseline\n"), text.find("\nSummary\n")) << text;
  const std::string line = report::verdict_line(verdicts_with_findings(), info);
  EXPECT_EQ(text.substr(text.size() - line.size()), line);
}

TEST(Text, SaysOneRuleAndAllPassedInTheVerdictLine) {
  auto info = run_info();
  info.exit_code = 0;
  const std::vector<exec::Verdict> one = {verdict("XB004", exec::Status::pass, catalog::Severity::low, "fine")};
  const std::string text = report::to_text(one, info, {});
  EXPECT_NE(text.find("(profile strict, 1 rule)"), std::string::npos) << text;
  EXPECT_EQ(report::verdict_line(one, info), "the rule passed: exit 0\n");
  const std::vector<exec::Verdict> two(2, one[0]);
  EXPECT_EQ(report::verdict_line(two, info), "all 2 rules passed: exit 0\n");
  auto failing = mixed_verdicts();
  failing.erase(failing.begin() + 1, failing.end());
  info.exit_code = 1;
  EXPECT_EQ(report::verdict_line(failing, info), "1 rule failed (1 critical): exit 1\n");
}

TEST(Text, SummaryAloneEndsWithTheVerdictLine) {
  auto info = run_info();
  info.exit_code = 1;
  const std::string summary = report::text_summary(verdicts_with_findings(), info);
  EXPECT_NE(summary.find("  Severity  Rules  Passed  Not passed\n  CRITICAL      1       0           1\n"),
            std::string::npos)
      << summary;
  EXPECT_EQ(summary.find("03_core/README.md"), std::string::npos);  // findings are the full report's
  const std::string line = report::verdict_line(verdicts_with_findings(), info);
  ASSERT_GT(summary.size(), line.size());
  EXPECT_EQ(summary.substr(summary.size() - line.size()), line);
}

TEST(Tally, CountsStatusesSeveritiesDispositionsAndFindingsOnce) {
  auto info = run_info();
  info.dispositions.resize(5);
  info.dispositions[1].baselined = true;
  const report::Tally t = report::tally(verdicts_with_findings(), info);
  EXPECT_EQ(t.rules, 5u);
  EXPECT_EQ(t.passed, 1u);
  EXPECT_EQ(t.failed, 2u);
  EXPECT_EQ(t.errors, 1u);
  EXPECT_EQ(t.skipped, 1u);
  EXPECT_EQ(t.baselined, 1u);
  EXPECT_EQ(t.suppressed, 0u);
  EXPECT_EQ(t.critical_failed, 1u);
  EXPECT_EQ(t.findings, 3u);
  EXPECT_EQ(t.not_passed(catalog::Severity::low), 0u);
  EXPECT_EQ(t.not_passed(catalog::Severity::medium), 1u);
  EXPECT_EQ(report::counted(1, "file", "files"), "1 file");
  EXPECT_EQ(report::counted(0, "file", "files"), "0 files");
}

// ---- GitLab ----------------------------------------------------------------------

/// The structure GitLab's Code Quality widget needs of every entry.
void expect_code_quality(const json& report) {
  ASSERT_TRUE(report.is_array());
  std::set<std::string> fingerprints;
  const std::set<std::string> severities = {"info", "minor", "major", "critical", "blocker"};
  for (const auto& e : report) {
    ASSERT_TRUE(e["description"].is_string()) << e;
    EXPECT_FALSE(e["description"].get<std::string>().empty());
    ASSERT_TRUE(e["check_name"].is_string()) << e;
    ASSERT_TRUE(e["fingerprint"].is_string()) << e;
    EXPECT_TRUE(fingerprints.insert(e["fingerprint"]).second) << "duplicate fingerprint " << e;
    ASSERT_TRUE(e["severity"].is_string()) << e;
    EXPECT_EQ(severities.count(e["severity"]), 1u) << e;
    ASSERT_TRUE(e["location"]["path"].is_string()) << e;
    EXPECT_FALSE(e["location"]["path"].get<std::string>().empty());
    ASSERT_TRUE(e["location"]["lines"]["begin"].is_number_integer()) << e;
    EXPECT_GE(e["location"]["lines"]["begin"].get<int>(), 1);
  }
}

TEST(Gitlab, OneCodeQualityIssuePerFindingWithUniqueFingerprints) {
  auto verdicts = verdicts_with_findings();
  // Two findings that share rule, path, kind and identity still get two fingerprints.
  verdicts[1].findings.push_back(verdicts[1].findings[1]);
  const json issues = report::to_gitlab(small_catalog(), verdicts, run_info(), fake_probe({"01_a/chart.yaml", "03_core/"}));
  expect_code_quality(issues);
  ASSERT_EQ(issues.size(), 5u);  // 1 + 3 findings, and the ERROR without findings
  EXPECT_EQ(issues[0]["check_name"], "XA001");
  EXPECT_EQ(issues[0]["severity"], "blocker");
  EXPECT_EQ(issues[0]["location"]["path"], ".");  // a missing root: the repository root
  EXPECT_EQ(issues[1]["location"]["path"], "03_core/");
  EXPECT_EQ(issues[2]["description"], "XA002 Every root has README.md: version is 'x', expected semver");
  EXPECT_EQ(issues[2]["severity"], "critical");
  EXPECT_EQ(issues[2]["location"]["path"], "01_a/chart.yaml");
  EXPECT_EQ(issues[2]["location"]["lines"]["begin"], 4);
  EXPECT_EQ(issues[4]["check_name"], "XB003");
  EXPECT_EQ(issues[4]["severity"], "major");
  // A suppressed failure is not an issue.
  auto info = run_info();
  info.dispositions.resize(5);
  info.dispositions[1].suppressed_reason = "legacy";
  EXPECT_EQ(report::to_gitlab(small_catalog(), verdicts, info, fake_probe({})).size(), 2u);
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
  info.dispositions[1].known_findings.assign(mixed_verdicts()[1].findings.size(), true);
  info.baseline_file = "b.json";
  info.baseline_resolved.push_back({"XB004", "00000000000000ff", "x/a.yaml", "missing", "was broken"});
  const json j = report::to_json(mixed_verdicts(), info);
  EXPECT_EQ(j["results"][0]["suppressed"]["reason"], "legacy");
  EXPECT_EQ(j["results"][0]["baseline"], "new");
  EXPECT_EQ(j["results"][1]["baseline"], "known");
  EXPECT_FALSE(j["results"][3].contains("baseline"));  // a PASS is neither
  EXPECT_EQ(j["summary"]["suppressed_count"], 1);
  EXPECT_EQ(j["baseline"]["known"], 1);
  EXPECT_EQ(j["baseline"]["new"], 2);
  EXPECT_EQ(j["baseline"]["fixed"][0]["rule_id"], "XB004");
  EXPECT_EQ(j["baseline"]["fixed"][0]["path"], "x/a.yaml");
  for (const auto& f : j["results"][1]["findings"]) EXPECT_EQ(f["baseline_state"], "unchanged");
}

// ---- end to end: one run, every format ----------------------------------------------

/// A scaffold (seed 7) broken in known ways: a root deleted (AR001, AR003), a
/// README removed (AR006), a values.yaml removed (AR005), a 17th shard added
/// (AR002, AR007, AR008). Shared read-only by every case (support/shared_trees.hpp).
const testing::TreeRecipe& known_failures_recipe() {
  static const testing::TreeRecipe recipe{
      .name = "small-seed7-known-failures", .seed = 7, .change = [](const std::string& tree) {
        testing::remove_existing(tree + "/07_governance_legal");
        testing::remove_existing(tree + "/03_core/README.md");
        testing::remove_existing(tree + "/01_ai_layer/shards/02_dokumente_nachweise/values.yaml");
        fs::create_directories(tree + "/01_ai_layer/shards/17_extra/templates");
        testing::write_file(tree + "/01_ai_layer/shards/17_extra/chart.yaml", "name: extra\n");
      }};
  return recipe;
}

class KnownFailures : public ::testing::Test {
 protected:
  static std::string tree() { return testing::shared_tree(known_failures_recipe()); }
};

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
                            "junit=" + o + "r.xml", "--format", "gitlab=" + o + "r.gitlab.json", "--format", "github"},
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
  expect_golden("known_failures.gitlab.json", json::parse(testing::read_file(o + "r.gitlab.json")).dump(2) + "\n");
  expect_code_quality(json::parse(testing::read_file(o + "r.gitlab.json")));

  // SARIF describes every catalog rule, not just the selected ones.
  const auto list = run_clean({"rules", "list", "--format", "json"});
  ASSERT_EQ(list.exit_code, 0);
  EXPECT_EQ(sarif["runs"][0]["tool"]["driver"]["rules"].size(), json::parse(list.out).size());
  // Every location names a file that exists, or the folder that should hold what is missing.
  for (const auto& result : sarif["runs"][0]["results"]) {
    if (!result.contains("locations")) continue;
    const std::string uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    if (uri.back() == '/') EXPECT_TRUE(fs::is_directory(tree() + "/" + uri)) << uri;
    else EXPECT_TRUE(fs::is_regular_file(tree() + "/" + uri)) << uri;
  }
}

/// XML text back to plain text, for the few references the JUnit report writes.
std::string xml_unescape(std::string text) {
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#13;", "\r"}, {"&amp;", "&"}})
    text = replace_all(text, from, to);
  return text;
}

/// Once checks fill findings, every report must show every one of them (the
/// text with --show-all, GitHub through annotations, log lines and the job
/// summary). Until then the run has none to compare and this checks the counts agree.
TEST_F(KnownFailures, EveryFindingOfTheJsonReportAppearsInEveryOtherFormat) {
  TempDir out;
  const std::string o = out.path() + "/";
  const auto r = run_clean({"validate", tree(), "--show-all", "--format", "text=" + o + "r.txt", "--format",
                            "json=" + o + "r.json", "--format", "sarif=" + o + "r.sarif", "--format",
                            "junit=" + o + "r.xml", "--format", "gitlab=" + o + "r.gitlab.json", "--format",
                            "github=" + o + "r.github"},
                           {"GITHUB_STEP_SUMMARY=" + o + "summary.md"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const json report = json::parse(testing::read_file(o + "r.json"));
  const std::string text = testing::read_file(o + "r.txt");
  const json sarif = json::parse(testing::read_file(o + "r.sarif"));
  const std::string junit = xml_unescape(testing::read_file(o + "r.xml"));
  const json gitlab = json::parse(testing::read_file(o + "r.gitlab.json"));
  const std::string github = testing::read_file(o + "r.github") + testing::read_file(o + "summary.md");
  std::multiset<std::string> sarif_results, gitlab_issues;
  std::size_t findings = 0, sarif_with_location = 0;
  for (const auto& result : sarif["runs"][0]["results"]) {
    if (!result.contains("locations")) continue;
    ++sarif_with_location;
    sarif_results.insert(result["ruleId"].get<std::string>() + " " + result["message"]["text"].get<std::string>());
  }
  for (const auto& issue : gitlab) gitlab_issues.insert(issue["description"].get<std::string>());
  for (const auto& result : report["results"]) {
    if (!result.contains("findings")) continue;
    const std::string rule = result["rule_id"];
    for (const auto& f : result["findings"]) {
      ++findings;
      const checks::Finding finding = checks::finding_from_json(f);
      const std::string line = report::compiler_location(finding) + ": " + finding.message;
      EXPECT_NE(text.find("    " + line + "\n"), std::string::npos) << rule << " " << line;
      EXPECT_NE(github.find(report::github_escape_data(finding.message)), std::string::npos) << rule << " " << line;
      std::string junit_line = finding.path;
      if (finding.line > 0) junit_line += ":" + std::to_string(finding.line);
      EXPECT_NE(junit.find(junit_line + ": " + finding.message + "\n"), std::string::npos) << rule << " " << line;
      bool in_sarif = false;
      for (const auto& candidate : sarif_results)
        in_sarif = in_sarif || candidate.rfind(rule + " " + finding.message, 0) == 0;
      EXPECT_TRUE(in_sarif) << rule << " " << line;
      bool in_gitlab = false;
      for (const auto& description : gitlab_issues)
        in_gitlab = in_gitlab || (description.rfind(rule, 0) == 0 &&
                                  description.size() >= finding.message.size() &&
                                  description.compare(description.size() - finding.message.size(),
                                                      std::string::npos, finding.message) == 0);
      EXPECT_TRUE(in_gitlab) << rule << " " << line;
    }
  }
  // One SARIF result per finding (the run has fewer than GitHub's 25,000).
  EXPECT_EQ(sarif_with_location, findings);
  expect_code_quality(gitlab);
  expect_valid_junit(testing::read_file(o + "r.xml"));
}

TEST_F(KnownFailures, WhenEveryReportGoesToAFileStdoutStillGetsTheSummaryAndVerdictLine) {
  TempDir out;
  const auto r = run_clean({"validate", tree(), "--select", "AR", "--format", "json=" + out.path() + "/r.json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.out.find("Summary\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  CRITICAL      6       1           5\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.substr(r.out.rfind('\n', r.out.size() - 2) + 1), "7 rules failed (5 critical): exit 1\n");
  // A report on stdout is not followed by a second summary.
  const auto text = run_clean({"validate", tree(), "--select", "AR"});
  EXPECT_EQ(count_of(text.out, "Summary\n"), 1u) << text.out;
  EXPECT_EQ(text.out.substr(text.out.rfind('\n', text.out.size() - 2) + 1), "7 rules failed (5 critical): exit 1\n");
}

TEST_F(KnownFailures, JunitOfAFullRunHasOneTestcasePerCatalogRuleAndIsWellFormed) {
  TempDir out;
  const auto r = run_clean({"validate", tree(), "--format", "junit=" + out.path() + "/j.xml"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const std::string xml = testing::read_file(out.path() + "/j.xml");
  const auto list = run_clean({"rules", "list", "--format", "json"});
  EXPECT_EQ(count_of(xml, "<testcase "), json::parse(list.out).size());
  expect_valid_junit(xml);
}

/// Microsoft's validator: `sarif-multitool` from npm (scripts/install-sarif-validator.sh),
/// or through npx. Returns "" when neither exists.
std::string sarif_validator() {
  if (on_path("sarif-multitool")) return "sarif-multitool";
  if (on_path("npx")) return "npx --yes @microsoft/sarif-multitool";
  return "";
}

/// Runs the validator on `sarif`; any result at level "error" is a failure.
void expect_no_validator_errors(const std::string& tool, const std::string& sarif) {
  TempDir out;
  const std::string log = out.path() + "/validation.sarif";
  const auto v = testing::run_process({"/bin/sh", "-c", tool + " validate " + sarif + " --output " + log + " 2>&1"});
  ASSERT_TRUE(fs::exists(log)) << v.out << v.err;
  const json results = json::parse(testing::read_file(log))["runs"][0]["results"];
  std::string errors;
  for (const auto& result : results)
    if (result.value("level", "warning") == "error") errors += result.dump() + "\n";
  EXPECT_EQ(errors, "") << v.out;
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
}

TEST_F(KnownFailures, SarifPassesMicrosoftsValidatorWithNoErrors) {
  const std::string tool = sarif_validator();
  if (tool.empty()) GTEST_SKIP() << "neither sarif-multitool nor npx is installed; run scripts/install-sarif-validator.sh";
  TempDir out;
  const std::string sarif = out.path() + "/r.sarif";
  const auto r = run_clean({"validate", tree(), "--format", "sarif=" + sarif});
  ASSERT_EQ(r.exit_code, 1) << r.err;
  expect_no_validator_errors(tool, sarif);
}

/// The same for results at files, lines and folders, which a run has only once checks fill findings.
TEST(Sarif, PerFindingResultsPassMicrosoftsValidator) {
  const std::string tool = sarif_validator();
  if (tool.empty()) GTEST_SKIP() << "neither sarif-multitool nor npx is installed; run scripts/install-sarif-validator.sh";
  TempDir out;
  const std::string sarif = out.path() + "/r.sarif";
  const json log = report::to_sarif(small_catalog(), verdicts_with_findings(), run_info(),
                                    fake_probe({"01_a/chart.yaml"}));
  testing::write_file(sarif, log.dump(2));
  expect_no_validator_errors(tool, sarif);
}

}  // namespace
}  // namespace sotcheck
