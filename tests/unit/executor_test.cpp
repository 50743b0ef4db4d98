// The in-process executors: the thread pool gives the sequential verdicts,
// in catalog order, whatever the number of workers. This is also the test the
// ThreadSanitizer build runs (ctest --preset tsan): every rule of the catalog
// evaluated concurrently over one image, shared caches included.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sotcheck/exec/verdict.hpp"
#include "support/rule_harness.hpp"

namespace sotcheck {
namespace {

using checks::Profile;

/// The verdicts as one JSON text, without the per-verdict timestamps.
std::string verdict_text(const std::vector<exec::Verdict>& verdicts) {
  nlohmann::ordered_json all = nlohmann::ordered_json::array();
  for (const auto& v : verdicts) {
    auto j = exec::to_json(v);
    j.erase("timestamp");
    all.push_back(std::move(j));
  }
  return all.dump();
}

/// The small scaffold with a few rules broken, so failures (and their
/// evidence) are compared too, not just passes.
testing::MemoryTree broken_scaffold() {
  testing::MemoryTree tree = testing::scaffold_tree(3);
  tree.remove("03_core/README.md");
  tree.remove("16_codex/contracts/sot/sot_contract_data.yaml");
  return tree;
}

TEST(ThreadExecutor, GivesTheSequentialVerdictsForEveryWorkerCount) {
  for (Profile profile : {Profile::strict, Profile::reference}) {
    testing::MemoryTree tree = broken_scaffold();
    const auto sequential = testing::run_catalog(tree, profile);
    ASSERT_EQ(sequential.verdicts.size(), 384u);
    EXPECT_FALSE(sequential.not_passing().empty());
    for (unsigned workers : {1u, 2u, 4u, 8u}) {
      SCOPED_TRACE("workers " + std::to_string(workers));
      const auto threaded = testing::run_catalog(tree, profile, {}, workers);
      EXPECT_EQ(verdict_text(threaded.verdicts), verdict_text(sequential.verdicts));
    }
  }
}

}  // namespace
}  // namespace sotcheck
