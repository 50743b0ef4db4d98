// A CLI that helps: CLI11's errors in sotcheck's words with a did-you-mean, `help COMMAND`, -V, and a usage
// line that names sotcheck rather than the binary's path; plus the shared edit-distance helper.

#include <gtest/gtest.h>

#include <string>

#include "sotcheck/util/edit_distance.hpp"
#include "support/process.hpp"

namespace sotcheck {
namespace {

using testing::run_sotcheck;

TEST(EditDistance, CountsInsertionsDeletionsAndSubstitutions) {
  EXPECT_EQ(util::edit_distance("", ""), 0u);
  EXPECT_EQ(util::edit_distance("valdate", "validate"), 1u);
  EXPECT_EQ(util::edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(util::edit_distance("ar005", "AR005"), 2u);
  EXPECT_EQ(util::edit_distance("ar005", "AR005", util::Case::insensitive), 0u);
}

TEST(EditDistance, ClosestMatchesAreNearestFirstWithinATypo) {
  const std::vector<std::string> names = {"validate", "scaffold", "rules", "bench", "completion"};
  EXPECT_EQ(util::closest_match("valdate", names), "validate");
  EXPECT_EQ(util::closest_match("rule", names), "rules");
  EXPECT_EQ(util::closest_match("zzzzzzzz", names), std::nullopt);
  EXPECT_EQ(util::closest_matches("AR05", {"AR005", "AR006", "XX999", "AR05"}, 2),
            (std::vector<std::string>{"AR05", "AR005"}));
  EXPECT_EQ(util::typo_limit("ab"), 2u);
  EXPECT_EQ(util::typo_limit("abcdefghijkl"), 4u);
}

TEST(CliUsageErrors, AMistypedCommandSuggestsTheRealOne) {
  const auto r = run_sotcheck({"valdate", "."});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.rfind("sotcheck: error: unknown command 'valdate'; did you mean validate?", 0), 0u) << r.err;
  EXPECT_EQ(r.err.find("A subcommand is required"), std::string::npos) << r.err;
}

TEST(CliUsageErrors, AMistypedFlagSuggestsTheRealOne) {
  const auto r = run_sotcheck({"validate", ".", "--porfile", "strict"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown option '--porfile' for 'validate'; did you mean --profile?"), std::string::npos)
      << r.err;
  const auto nested = run_sotcheck({"rules", "shwo", "AR001"});
  EXPECT_EQ(nested.exit_code, 2);
  EXPECT_NE(nested.err.find("did you mean show?"), std::string::npos) << nested.err;
}

TEST(CliUsageErrors, CliElevensOtherErrorsAreRewordedToo) {
  const auto r = run_sotcheck({"validate", ".", "--profile", "strct"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.rfind("sotcheck: error: ", 0), 0u) << r.err;
  const auto none = run_sotcheck({});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("sotcheck: error: a command is required: validate, scaffold, rules, bench"),
            std::string::npos)
      << none.err;
}

TEST(CliUsageErrors, HelpCommandAndVersionFlagWork) {
  const auto help = run_sotcheck({"help", "validate"});
  EXPECT_EQ(help.exit_code, 0) << help.err;
  EXPECT_NE(help.out.find("Usage: sotcheck validate"), std::string::npos) << help.out;
  EXPECT_NE(help.out.find("--follow-outside-links"), std::string::npos);
  EXPECT_EQ(help.out.find(SOTCHECK_BINARY), std::string::npos) << "the usage line names the binary's path";
  const auto top = run_sotcheck({"help"});
  EXPECT_EQ(top.exit_code, 0);
  EXPECT_NE(top.out.find("Usage: sotcheck"), std::string::npos) << top.out;
  const auto version = run_sotcheck({"-V"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out, run_sotcheck({"--version"}).out);
  EXPECT_FALSE(version.out.empty());
  const auto typo = run_sotcheck({"help", "valdate"});
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_NE(typo.err.find("did you mean validate?"), std::string::npos) << typo.err;
}

}  // namespace
}  // namespace sotcheck
