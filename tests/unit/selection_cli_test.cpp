// --select/--ignore as people type them: comma lists, any case, and a typo
// answered with a did-you-mean instead of a bare "matches nothing".

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>

#include "sotcheck/cli/config.hpp"
#include "sotcheck/cli/validate.hpp"
#include "support/process.hpp"

namespace sotcheck {
namespace {

using json = nlohmann::json;

TEST(NormalizeSelectors, SplitsCommaListsTrimsAndUpperCases) {
  EXPECT_EQ(cli::normalize_selectors({"ar001, md-chart", "sot-v2-00*", ",", " cp "}),
            (std::vector<std::string>{"AR001", "MD-CHART", "SOT-V2-00*", "CP"}));
}

TEST(CheckSelectors, UnknownIdsAndFamiliesSuggestTheNearestName) {
  auto catalog = cli::load_catalog_for("");
  ASSERT_TRUE(catalog);
  plan::Selection selection;
  selection.select = {"AR001", "AR0001", "MD-CHRT"};
  selection.ignore = {"QQQQQQQQQQ"};
  const auto r = cli::check_selectors(selection, *catalog);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("--select AR0001 matches no rule id or family in the catalog; did you mean AR001?"),
            std::string::npos)
      << r.error();
  EXPECT_NE(r.error().find("--select MD-CHRT matches no rule id or family in the catalog; did you mean MD-CHART?"),
            std::string::npos)
      << r.error();
  // Nothing near enough: no suggestion (the --ignore line comes last).
  EXPECT_TRUE(r.error().ends_with("--ignore QQQQQQQQQQ matches no rule id or family in the catalog")) << r.error();
  EXPECT_EQ(r.error().find("AR001 matches"), std::string::npos) << r.error();
  selection.select = {"AR", "SOT-V2-00*"};
  selection.ignore = {"AR009"};
  EXPECT_TRUE(cli::check_selectors(selection, *catalog));
}

class SelectionCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    s_repo = new testing::TempDir();  // one empty root folder: a repository, and the AR rules fail fast
    std::filesystem::create_directory(s_repo->path() + "/01_ai_layer");
  }
  static void TearDownTestSuite() {
    delete s_repo;
    s_repo = nullptr;
  }
  static testing::TempDir* s_repo;
};
testing::TempDir* SelectionCli::s_repo = nullptr;

TEST_F(SelectionCli, CommaListsAndLowerCaseIdsSelectTheSameRules) {
  const auto r = testing::run_sotcheck(
      {"validate", s_repo->path(), "--select", "ar001,ar002", "--ignore", "ar002", "--format", "json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const json report = json::parse(r.out);
  ASSERT_EQ(report["total_rules"], 1);
}

TEST_F(SelectionCli, ATypoExitsTwoWithASuggestion) {
  const auto r = testing::run_sotcheck({"validate", s_repo->path(), "--ignore", "AR00l"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("did you mean AR001?"), std::string::npos) << r.err;
}

TEST_F(SelectionCli, MissingReportDirectoriesAreCreatedBeforeTheRun) {
  const std::string file = s_repo->path() + "/out/nested/r.sarif";
  const auto r = testing::run_sotcheck({"validate", s_repo->path(), "--select", "AR001", "--format", "sarif=" + file});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(json::accept(testing::read_file(file)));
}

TEST_F(SelectionCli, AnImpossibleDestinationExitsTwoBeforeTheRunWithTheReason) {
  testing::write_file(s_repo->path() + "/plainfile", "x");
  const auto r = testing::run_sotcheck(
      {"validate", s_repo->path(), "--select", "AR001", "--format", "sarif=" + s_repo->path() + "/plainfile/r.sarif"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("Not a directory"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
}

}  // namespace
}  // namespace sotcheck
