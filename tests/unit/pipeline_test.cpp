// The pipeline (exec/pipeline.hpp): its stages in order, the image holding
// what the selected rules read and nothing else, the failures that are the
// user's to fix apart from the run failing, the hooks validate relies on, and
// the executor choice with its fallback.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sotcheck/exec/pipeline.hpp"
#include "support/rule_harness.hpp"
#include "support/trees.hpp"

namespace sotcheck {
namespace {

using checks::Profile;

/// The ids of the catalog's rules whose strict check asks for `what` (yaml or content queries).
enum class Reads { yaml, content, neither };
std::vector<std::string> rules_that_read(Reads what) {
  std::vector<std::string> ids;
  for (const auto& rule : testing::builtin_catalog().rules) {
    const auto& check = rule.for_profile(Profile::strict).check;
    if (!check) continue;
    std::vector<std::shared_ptr<const checks::FileQuery>> yaml, content;
    check->yaml_queries(&yaml);
    check->content_queries(&content);
    const bool match = what == Reads::yaml      ? !yaml.empty()
                       : what == Reads::content ? !content.empty() && yaml.empty()
                                                : yaml.empty() && content.empty();
    if (match) ids.push_back(rule.id);
  }
  return ids;
}

exec::PreparedRun prepare(testing::MemoryTree& tree, const exec::PipelineOptions& options, util::RunStats& stats,
                          const exec::PipelineHooks& hooks = {}) {
  auto prepared = exec::prepare_run(testing::builtin_catalog(), tree, options, stats, hooks);
  if (const auto* failure = std::get_if<exec::PipelineFailure>(&prepared)) throw std::runtime_error(failure->message);
  return std::move(std::get<exec::PreparedRun>(prepared));
}

exec::PipelineFailure failure_of(testing::MemoryTree& tree, const exec::PipelineOptions& options,
                                 const exec::PipelineHooks& hooks = {}) {
  util::RunStats stats;
  auto outcome = exec::run_pipeline(testing::builtin_catalog(), tree, options, stats, hooks);
  EXPECT_TRUE(std::holds_alternative<exec::PipelineFailure>(outcome));
  if (const auto* failure = std::get_if<exec::PipelineFailure>(&outcome)) return *failure;
  return {};
}

std::string statuses(const std::vector<exec::Verdict>& verdicts) {
  std::string text;
  for (const auto& v : verdicts) text += v.rule_id + "=" + std::string(exec::status_name(v.status)) + "\n";
  return text;
}

TEST(Pipeline, ASelectionOfNothingIsTheUsersToFix) {
  testing::MemoryTree tree = testing::scaffold_tree();
  exec::PipelineOptions options;
  options.selection.select = {"NO_SUCH_RULE"};
  const exec::PipelineFailure failure = failure_of(tree, options);
  EXPECT_EQ(failure.stage, exec::PipelineStage::plan);
  EXPECT_TRUE(failure.usage);
  EXPECT_FALSE(failure.message.empty());
}

TEST(Pipeline, AnImageOverTheCapIsTheUsersToFix) {
  testing::MemoryTree tree = testing::scaffold_tree();
  exec::PipelineOptions options;
  options.image.max_image_size = 1024;
  const exec::PipelineFailure failure = failure_of(tree, options);
  EXPECT_EQ(failure.stage, exec::PipelineStage::image);
  EXPECT_TRUE(failure.usage);
  EXPECT_NE(failure.message.find("--max-image-size"), std::string::npos) << failure.message;
}

TEST(Pipeline, AWalkThatFailsIsTheRunFailing) {
  testing::MemoryTree tree = testing::scaffold_tree();
  exec::PipelineHooks hooks;
  hooks.walked = [] { return util::Result<snapshot::WalkTree>(util::make_error("the walk thread threw")); };
  const exec::PipelineFailure failure = failure_of(tree, {}, hooks);
  EXPECT_EQ(failure.stage, exec::PipelineStage::walk);
  EXPECT_FALSE(failure.usage);
  EXPECT_EQ(failure.message, "the walk thread threw");
}

// The wiring every caller once copied by hand, and one copy forgot the YAML:
// the image parses YAML exactly when a selected rule reads it, and reads
// bytes exactly when one reads text.
TEST(Pipeline, TheImageHoldsWhatTheSelectedRulesReadAndNothingElse) {
  testing::MemoryTree tree = testing::scaffold_tree();
  struct Case {
    Reads reads;
    bool yaml, content;
  };
  for (const Case& c :
       {Case{Reads::yaml, true, false}, Case{Reads::content, false, true}, Case{Reads::neither, false, false}}) {
    exec::PipelineOptions options;
    options.selection.select = rules_that_read(c.reads);
    ASSERT_FALSE(options.selection.select.empty());
    util::RunStats stats;
    const exec::PreparedRun prepared = prepare(tree, options, stats);
    const snapshot::BuildStats& built = prepared.image.stats();
    EXPECT_EQ(built.yaml_documents + built.yaml_errors > 0, c.yaml) << static_cast<int>(c.reads);
    if (c.reads != Reads::yaml) {  // YAML files are read for parsing whether or not a rule reads their text
      EXPECT_EQ(built.files_loaded > 0, c.content) << static_cast<int>(c.reads);
    }
    EXPECT_EQ(prepared.plan.selected.size(), options.selection.select.size());
  }
}

TEST(Pipeline, HooksRunOnceEachInStageOrder) {
  testing::MemoryTree tree = testing::scaffold_tree();
  std::vector<std::string> calls;
  std::size_t progress_reports = 0;
  exec::PipelineHooks hooks;
  hooks.planned = [&](const plan::Plan& plan) {
    calls.push_back("planned");
    EXPECT_FALSE(plan.selected.empty());
  };
  hooks.walked = [&] {
    calls.push_back("walked");
    return util::Result<snapshot::WalkTree>(snapshot::walk(tree, {}));
  };
  hooks.source_done = [&] { calls.push_back("source_done"); };
  hooks.progress = [&](const plan::Plan&) -> exec::ProgressCallback {
    calls.push_back("progress");
    return [&](int, std::size_t, std::size_t) { ++progress_reports; };
  };
  exec::PipelineOptions options;
  options.selection.select = {"AR"};
  util::RunStats stats;
  auto outcome = exec::run_pipeline(testing::builtin_catalog(), tree, options, stats, hooks);
  ASSERT_TRUE(std::holds_alternative<exec::PipelineRun>(outcome));
  EXPECT_EQ(calls, (std::vector<std::string>{"planned", "walked", "source_done", "progress"}));
  EXPECT_GT(progress_reports, std::get<exec::PipelineRun>(outcome).execution.verdicts.size());
}

TEST(Pipeline, StatsNameEveryStage) {
  testing::MemoryTree tree = testing::scaffold_tree();
  util::RunStats stats;
  const exec::PreparedRun prepared = prepare(tree, {}, stats);
  std::vector<std::string> phases;
  for (const auto& [name, seconds] : stats.phases()) phases.push_back(name);
  EXPECT_EQ(phases, (std::vector<std::string>{"walk", "image"}));  // no seal: a heap image
  std::vector<std::string> counters;
  for (const auto& [name, value] : stats.counters()) counters.push_back(name);
  EXPECT_EQ(counters,
            (std::vector<std::string>{"entries", "image_bytes", "files_loaded", "yaml_documents", "probe_values",
                                      "image_yaml_us", "image_fill_us", "image_checksum_us"}));
  EXPECT_EQ(stats.counter("image_bytes"), prepared.image.stats().image_bytes);
  EXPECT_EQ(stats.counter("entries"), prepared.image.view().entry_count());
}

TEST(Pipeline, ExclusionsKeepTheWalkOutOfThoseDirectories) {
  testing::MemoryTree tree = testing::scaffold_tree();
  tree.add_file("vendored/a.py", "x = 1\n").add_file("vendored/deep/b.py", "y = 2\n");
  exec::PipelineOptions options;
  options.selection.select = {"AR"};
  util::RunStats all, excluded;
  prepare(tree, options, all);
  options.exclusions = {"vendored"};
  prepare(tree, options, excluded);
  // The directory itself is recorded, never entered: a.py, deep and deep/b.py are not.
  EXPECT_EQ(all.counter("entries"), excluded.counter("entries") + 3);
}

TEST(Pipeline, ThreadsGiveTheSequentialVerdicts) {
  testing::MemoryTree tree = testing::scaffold_tree(5);
  tree.remove("03_core/README.md");
  exec::PipelineOptions options;
  const auto sequential = testing::pipeline_verdicts(testing::builtin_catalog(), tree, options);
  options.execute.mode = exec::Mode::thread;
  options.execute.workers = 3;
  EXPECT_EQ(statuses(testing::pipeline_verdicts(testing::builtin_catalog(), tree, options)), statuses(sequential));
  EXPECT_NE(statuses(sequential).find("=FAIL"), std::string::npos);
}

TEST(Pipeline, ProcessModeWithoutASharedImageRunsOnThreadsAndSaysWhy) {
  testing::MemoryTree tree = testing::scaffold_tree();
  exec::PipelineOptions options;
  options.selection.select = {"AR"};
  options.execute.mode = exec::Mode::process;
  options.execute.workers = 2;
  util::RunStats stats;
  auto outcome = exec::run_pipeline(testing::builtin_catalog(), tree, options, stats);
  ASSERT_TRUE(std::holds_alternative<exec::PipelineRun>(outcome));
  const exec::Execution& execution = std::get<exec::PipelineRun>(outcome).execution;
  EXPECT_EQ(execution.executor, "thread");
  EXPECT_EQ(execution.workers, 2u);
  EXPECT_FALSE(execution.pool_started);
  EXPECT_EQ(execution.fallback_reason.rfind("cannot share the snapshot image: ", 0), 0u) << execution.fallback_reason;
  EXPECT_EQ(stats.counter("fallbacks"), 1u);
  options.execute.mode = exec::Mode::sequential;
  EXPECT_EQ(statuses(execution.verdicts),
            statuses(testing::pipeline_verdicts(testing::builtin_catalog(), tree, options)));
}

TEST(Pipeline, ProcessModeOverASharedImageRunsOnWorkers) {
  testing::MemoryTree tree = testing::scaffold_tree();
  exec::PipelineOptions options;
  options.selection.select = {"AR"};
  options.image.shared = true;
  options.execute.mode = exec::Mode::automatic;
  options.execute.workers = 2;
  util::RunStats stats;
  auto outcome = exec::run_pipeline(testing::builtin_catalog(), tree, options, stats);
  ASSERT_TRUE(std::holds_alternative<exec::PipelineRun>(outcome));
  const exec::PipelineRun& run = std::get<exec::PipelineRun>(outcome);
  ASSERT_TRUE(run.prepared.image.shared()) << run.prepared.image.share_error();
  EXPECT_EQ(run.execution.executor, "process");
  EXPECT_TRUE(run.execution.pool_started);
  EXPECT_EQ(run.execution.fallback_reason, "");
  EXPECT_GE(stats.counter("workers_started"), 1u);
  options.execute.mode = exec::Mode::sequential;
  options.image.shared = false;
  EXPECT_EQ(statuses(run.execution.verdicts),
            statuses(testing::pipeline_verdicts(testing::builtin_catalog(), tree, options)));
}

}  // namespace
}  // namespace sotcheck
