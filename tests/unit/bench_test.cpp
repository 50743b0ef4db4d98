// `sotcheck bench`: the real binary on a small scaffold, one run per
// configuration, in both modes. The JSON it writes must hold exactly the keys
// docs/bench.md documents (read from the doc itself, so the two cannot drift
// apart). No timing is asserted: only that the figures are there.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "sotcheck/cli/bench.hpp"
#include "sotcheck/exec/executor.hpp"
#include "support/process.hpp"
#include "support/shared_trees.hpp"

namespace sotcheck {
namespace {

using json = nlohmann::json;
using testing::run_sotcheck;
using testing::TempDir;

/// The key paths of docs/bench.md's JSON table: rows starting "| `key` |".
std::set<std::string> documented_keys() {
  const std::string doc = testing::read_file(std::string(SOTCHECK_SOURCE_DIR) + "/docs/bench.md");
  const std::regex row(R"(^\| `([a-z_\[\]\.]+)` \|)");
  std::set<std::string> keys;
  std::istringstream lines(doc);
  std::string line;
  bool in_json_table = false;
  while (std::getline(lines, line)) {
    if (line.rfind("## The JSON document", 0) == 0) in_json_table = true;
    std::smatch match;
    if (in_json_table && std::regex_search(line, match, row)) keys.insert(match[1]);
  }
  return keys;
}

/// Every path in `value` in the doc's notation ("results[].phases.walk"). An
/// object contributes its own path when it is null somewhere and an object
/// elsewhere (the doc lists both); arrays of objects are entered, other
/// arrays are leaves.
void collect_keys(const json& value, const std::string& path, std::set<std::string>& keys) {
  if (value.is_object()) {
    for (const auto& [name, child] : value.items()) collect_keys(child, path.empty() ? name : path + "." + name, keys);
    return;
  }
  if (value.is_array() && !value.empty() && value.front().is_object()) {
    for (const auto& element : value) collect_keys(element, path + "[]", keys);
    return;
  }
  keys.insert(path);
}

class Bench : public ::testing::Test {
 protected:
  /// The default small scaffold, shared read-only (support/shared_trees.hpp).
  static std::string tree() { return testing::shared_tree(testing::default_scaffold()); }

  /// Runs `sotcheck bench TREE ARGS... --runs 1 --output FILE`, returns the document.
  json bench(std::vector<std::string> args) const {
    const std::string output = m_out.path() + "/bench.json";
    std::vector<std::string> argv{"bench", tree()};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(), {"--runs", "1", "--output", output});
    const auto result = run_sotcheck(argv);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_NE(result.out.find("page cache warmed before timing"), std::string::npos) << result.out;
    return json::parse(testing::read_file(output));
  }

  TempDir m_out;  ///< the documents bench writes
};

TEST(BenchWorkerCounts, ParsesListsAndRejectsNonsense) {
  auto counts = cli::parse_worker_counts("1,2,16");
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(*counts, (std::vector<unsigned>{1, 2, 16}));
  for (const char* bad : {"", "0", "2,,4", "two", "4,-1", "8x"})
    EXPECT_FALSE(cli::parse_worker_counts(bad).ok()) << bad;
}

TEST_F(Bench, CompareWritesEveryDocumentedKey) {
  const std::set<std::string> documented = documented_keys();
  ASSERT_GT(documented.size(), 40u) << "could not read the key table of docs/bench.md";
  const json document = bench({"--mode", "compare", "--workers", "2"});
  std::set<std::string> written;
  collect_keys(document, "", written);
  for (const auto& key : documented) EXPECT_TRUE(written.count(key)) << "documented but not written: " << key;
  for (const auto& key : written) EXPECT_TRUE(documented.count(key)) << "written but not documented: " << key;

  ASSERT_EQ(document["results"].size(), 3u);
  EXPECT_EQ(document["results"][0]["configuration"], "sequential");
  EXPECT_EQ(document["results"][1]["configuration"], "thread@2");
  EXPECT_EQ(document["results"][2]["configuration"], "process@2");
  EXPECT_TRUE(document["consistent_tree"].get<bool>());
  EXPECT_TRUE(document["verdicts_identical"].get<bool>());
  EXPECT_EQ(document["results"][0]["batches"].size(), 9u);
  EXPECT_GT(document["results"][2]["peak_rss_bytes"]["workers"]["measured"].get<int>(), 0);
}

TEST_F(Bench, ScalingMeasuresThreadAndProcessAtEachCountAndFlagsOversubscription) {
  const std::string too_many = std::to_string(exec::usable_cpus() + 1);
  const json document = bench({"--mode", "scaling", "--workers", "1," + too_many});
  std::vector<std::string> configurations;
  for (const auto& result : document["results"]) configurations.push_back(result["configuration"]);
  EXPECT_EQ(configurations, (std::vector<std::string>{"sequential", "thread@1", "process@1", "thread@" + too_many,
                                                      "process@" + too_many}));
  EXPECT_FALSE(document["results"][1]["oversubscribed"].get<bool>());
  EXPECT_TRUE(document["results"][3]["oversubscribed"].get<bool>());
  bool noted = false;
  for (const auto& note : document["notes"]) noted = noted || note.get<std::string>().find(too_many + " workers") == 0;
  EXPECT_TRUE(noted) << document["notes"].dump();
  for (const auto& result : document["results"]) EXPECT_FALSE(result["speedup"].is_null());
}

// The text output speaks plainly: a legend pointing to the doc, the shares of
// the run, verdicts_identical, a recommendation, a warning for --runs 1; and
// no phase is ever negative, in the text or the document.
TEST_F(Bench, TextReportExplainsItselfAndNeverShowsNegativePhases) {
  const std::string output = m_out.path() + "/plain.json";
  const auto result = run_sotcheck({"bench", tree(), "--workers", "2", "--runs", "1", "--output", output});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  for (const char* expected : {"(every column and how it is measured: docs/bench.md)", "where the run goes",
                               "rule batches", "image build",
                               "verdicts identical across every run and executor: yes", "\nrecommendation: "})
    EXPECT_NE(result.out.find(expected), std::string::npos) << expected << "\n" << result.out;
  EXPECT_NE(result.err.find("warning: --runs 1"), std::string::npos) << result.err;
  const json document = json::parse(testing::read_file(output));
  bool few_runs_noted = false;
  for (const auto& note : document["notes"]) few_runs_noted = few_runs_noted || note.get<std::string>().find("only 1 run") == 0;
  EXPECT_TRUE(few_runs_noted) << document["notes"].dump();
  EXPECT_FALSE(document["recommendation"]["flags"].get<std::string>().empty());
  for (const auto& configuration : document["results"]) {
    for (const auto& [name, seconds] : configuration["phases"].items())
      if (seconds.is_number()) {
        EXPECT_GE(seconds.get<double>(), 0.0) << configuration["configuration"] << " " << name;
      }
    const json& shares = configuration["shares"];
    const double sum = shares["rule_batches"].get<double>() + shares["image_build"].get<double>() +
                       shares["rest"].get<double>();
    EXPECT_NEAR(sum, 1.0, 0.05) << shares.dump();
  }
  // The overhead table prints no minus sign in any millisecond figure.
  const std::size_t start = result.out.find("overhead breakdown");
  const std::size_t end = result.out.find("per-batch evaluation");
  ASSERT_NE(start, std::string::npos);
  const std::string overhead = result.out.substr(start, end - start);
  EXPECT_FALSE(std::regex_search(overhead, std::regex(" -[0-9]"))) << overhead;
}

TEST_F(Bench, CompareRefusesSeveralWorkerCounts) {
  const auto result = run_sotcheck({"bench", tree(), "--workers", "2,4", "--runs", "1"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("--mode scaling"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace sotcheck
