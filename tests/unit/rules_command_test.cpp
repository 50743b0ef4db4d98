// `sotcheck rules list|show` as a new user meets them: text that says what a
// rule checks, why and how to fix it; JSON that keeps the machine form; clear
// errors (exit 2) for an unknown id, family, batch or severity.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "sotcheck/catalog/describe.hpp"
#include "support/process.hpp"
#include "support/trees.hpp"

namespace sotcheck {
namespace {

using json = nlohmann::ordered_json;
using testing::run_sotcheck;

TEST(RulesShow, TextSaysWhatWhyAndHowToFix) {
  const auto r = run_sotcheck({"rules", "show", "AR005"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("AR005: Every shard has values.yaml"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("severity CRITICAL, family AR, batch 3"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("every shard folder (NN_root/shards/NN_shard/) contains `values.yaml`"), std::string::npos)
      << r.out;
  // The reference profile's layout differs, and the text says so.
  EXPECT_NE(r.out.find("every shard folder (NN_root/NN_shard/) contains `values.yaml`"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Why it matters:"), std::string::npos);
  EXPECT_NE(r.out.find("How to fix:"), std::string::npos);
  EXPECT_EQ(r.out.find("ar.yaml:"), std::string::npos) << "no pointer into the catalog source in the text form";
}

TEST(RulesShow, TextOfAQueryRuleNamesItsPatternAndPredicate) {
  const auto r = run_sotcheck({"rules", "show", "VG001"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("`[0-9][0-9]_*/shards/[0-9][0-9]_*/chart.yaml`"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("^[0-9]+\\\\.[0-9]+\\\\.[0-9]+$"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("`**/Chart.yaml` (the first 50 in walk order)"), std::string::npos) << r.out;
}

TEST(RulesShow, JsonKeepsTheCheckBlockPerProfile) {
  const auto r = run_sotcheck({"rules", "show", "AR005", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rule = json::parse(r.out);
  EXPECT_EQ(rule["profiles"]["strict"]["check"]["container"], "shards");
  EXPECT_EQ(rule["profiles"]["reference"]["check"]["container"], "");
  EXPECT_EQ(rule["profiles"]["strict"]["check"]["relpath"], "values.yaml");
  EXPECT_FALSE(rule["rationale"].get<std::string>().empty());
  EXPECT_FALSE(rule["fix"].get<std::string>().empty());
}

TEST(RulesShow, UnknownIdExitsTwoWithDidYouMean) {
  const auto r = run_sotcheck({"rules", "show", "VG07"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("did you mean VG007"), std::string::npos) << r.err;
  EXPECT_EQ(run_sotcheck({"rules", "show", "ZZZZZZZZZZZZ"}).err.find("did you mean"), std::string::npos);
}

TEST(RulesList, TextHasAHeaderAndACountAndFiltersBySeverity) {
  const auto r = run_sotcheck({"rules", "list", "--family", "AR", "--severity", "high"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("ID ", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("AR006"), std::string::npos);
  EXPECT_EQ(r.out.find("AR001"), std::string::npos) << "AR001 is CRITICAL";
  EXPECT_NE(r.out.find(" of 384 rules\n"), std::string::npos) << r.out;
}

TEST(RulesList, UnknownFamilyBatchOrSeverityIsAnError) {
  EXPECT_EQ(run_sotcheck({"rules", "list", "--family", "XX"}).exit_code, 2);
  EXPECT_EQ(run_sotcheck({"rules", "list", "--batch", "42"}).exit_code, 2);
  EXPECT_EQ(run_sotcheck({"rules", "list", "--severity", "urgent"}).exit_code, 2);
}

TEST(RulesList, JsonCarriesTextAndCheckForEveryRule) {
  const auto r = run_sotcheck({"rules", "list", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto list = json::parse(r.out);
  ASSERT_EQ(list.size(), 384u);
  for (const auto& rule : list) {
    for (const char* key : {"title", "rationale", "fix"})
      EXPECT_FALSE(rule[key].get<std::string>().empty()) << rule["id"] << " " << key;
    EXPECT_TRUE(rule["check"].contains("kind")) << rule["id"];
  }
}

TEST(RuleText, TitlesAreSentencesNotBareKeys) {
  for (const auto& rule : testing::builtin_catalog().rules) {
    EXPECT_NE(rule.title.find(' '), std::string::npos) << rule.id << ": " << rule.title;
    EXPECT_EQ(rule.title.find("grundprinzipien.") == 0, false) << rule.id;
  }
  EXPECT_EQ(testing::builtin_catalog().find("SOT-V2-0002")->title,
            "Contract field business_model.data_custody is present in the SoT contract");
}

TEST(RuleText, ExplainHintPointsAtRulesShow) {
  EXPECT_EQ(catalog::explain_hint(*testing::builtin_catalog().find("CS005")),
            "run `sotcheck rules show CS005` for what, why and how to fix");
}

}  // namespace
}  // namespace sotcheck
