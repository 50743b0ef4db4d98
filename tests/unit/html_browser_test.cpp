// The HTML report in a real browser: headless chromium loads the report of a
// scaffold with a few broken shards. The DOM it dumps (after the page's own
// script ran) must hold the 384 shard cells with the broken ones marked and
// the findings of the anchored cell; a screenshot is kept in the build
// directory as an artefact (html_report_artifacts/matrix.png).

#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <set>

#include "support/process.hpp"
#include "support/shared_trees.hpp"

namespace sotcheck {
namespace {

using testing::run_process;
using testing::run_sotcheck;
using testing::TempDir;
namespace fs = std::filesystem;

/// chromium as the tests run it: no sandbox (root in containers), a throwaway
/// profile, no GPU, and a hard time limit so a wedged browser cannot hang the suite.
std::vector<std::string> chromium(const std::string& profile_dir) {
  return {"/usr/bin/timeout", "60",        "chromium",   "--headless",         "--no-sandbox",
          "--disable-gpu",    "--no-first-run", "--hide-scrollbars", "--user-data-dir=" + profile_dir};
}

/// The seed-7 scaffold with a few broken shards: one missing, one misnamed, one
/// without its values.yaml (a shared tree: support/shared_trees.hpp).
const testing::TreeRecipe& broken_shards() {
  static const testing::TreeRecipe recipe{
      .name = "small-seed7-broken-shards", .seed = 7, .change = [](const std::string& tree) {
        testing::remove_existing(tree + "/03_core/shards/05_gesundheit_medizin");
        fs::rename(tree + "/10_interoperability/shards/02_dokumente_nachweise",
                   tree + "/10_interoperability/shards/2_dokumente");
        testing::remove_existing(tree + "/07_governance_legal/shards/01_identitaet_personen/values.yaml");
      }};
  return recipe;
}

class HtmlInBrowser : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!testing::on_path("chromium")) return;
    s_dir = new TempDir();
    const std::string tree = testing::shared_tree(broken_shards());
    const auto run = run_sotcheck({"validate", tree, "--select", "AR", "--format", "html=" + report_path()});
    ASSERT_EQ(run.exit_code, 1) << run.err << run.out;
  }
  static void TearDownTestSuite() {
    delete s_dir;
    s_dir = nullptr;
  }
  static std::string report_path() { return s_dir->path() + "/report.html"; }
  static TempDir* s_dir;
};
TempDir* HtmlInBrowser::s_dir = nullptr;

TEST_F(HtmlInBrowser, DomHoldsTheMatrixTheBrokenShardsAndTheAnchoredCellsFindingsAndAScreenshotIsKept) {
  SOTCHECK_NEEDS_TOOL(testing::on_path("chromium"),
                      "chromium is not installed (scripts/install-deps.sh installs it); the HTML report was not "
                      "checked in a browser");
  ASSERT_NE(s_dir, nullptr);
  auto argv = chromium(s_dir->path() + "/profile-dom");
  argv.push_back("--dump-dom");
  argv.push_back("file://" + report_path() + "#cell-07-01");
  const auto dom = run_process(argv);
  ASSERT_EQ(dom.exit_code, 0) << dom.err;
  const std::string& html = dom.out;

  // The page's script ran under its Content-Security-Policy (it marks the root
  // element) and, the URL naming a cell, focused that cell's findings.
  EXPECT_TRUE(std::regex_search(html, std::regex("<html[^>]*class=\"js focus\""))) << html.substr(0, 300);

  const std::regex cell_re("<td class=\"([^\"]*)\" data-shard=\"([^\"]+)\" data-findings=\"([0-9]+)\"");
  std::set<std::string> cells, missing, with_findings;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), cell_re); it != std::sregex_iterator(); ++it) {
    cells.insert((*it)[2]);
    if ((*it)[1].str().find("missing") != std::string::npos) missing.insert((*it)[2]);
    if ((*it)[3] != "0") with_findings.insert((*it)[2]);
  }
  EXPECT_EQ(cells.size(), 384u);
  EXPECT_EQ(missing, (std::set<std::string>{"03_core/05_gesundheit_medizin", "10_interoperability/02_dokumente_nachweise"}));
  EXPECT_TRUE(with_findings.count("07_governance_legal/01_identitaet_personen")) << "values.yaml missing";
  EXPECT_TRUE(std::regex_search(html, std::regex("<td class=\"[^\"]*misnamed[^\"]*\" data-root=\"10_interoperability\"")));

  // The anchored cell's findings: the rule that wants values.yaml, at its place.
  const auto section = html.find("id=\"cell-07-01\"");
  ASSERT_NE(section, std::string::npos);
  const std::string body = html.substr(section, html.find("</section>", section) - section);
  EXPECT_NE(body.find("AR005"), std::string::npos) << body;
  EXPECT_NE(body.find("07_governance_legal/shards/01_identitaet_personen/values.yaml"), std::string::npos) << body;

  // In the same test, so CTest (one process per test) scaffolds and validates once.
  const fs::path artefacts = fs::path(SOTCHECK_BINARY).parent_path() / "html_report_artifacts";
  fs::create_directories(artefacts);
  const fs::path png = artefacts / "matrix.png";
  fs::remove(png);
  argv = chromium(s_dir->path() + "/profile-shot");
  argv.push_back("--window-size=1280,1100");
  argv.push_back("--screenshot=" + png.string());
  argv.push_back("file://" + report_path());
  const auto shot = run_process(argv);
  ASSERT_EQ(shot.exit_code, 0) << shot.err;
  ASSERT_TRUE(fs::exists(png)) << shot.err;
  const std::string bytes = testing::read_file(png.string());
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_GT(bytes.size(), 10000u);  // a drawn page, not a blank one
}

}  // namespace
}  // namespace sotcheck
