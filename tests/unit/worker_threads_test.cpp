// The thread helper both thread pools use: every item is done exactly once
// however many threads really start, and a refused thread start (simulated
// with SOTCHECK_TEST_THREAD_LIMIT, since RLIMIT_NPROC does not bind root)
// degrades to fewer threads or the calling thread alone instead of aborting.

#include "sotcheck/util/worker_threads.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "sotcheck/exec/verdict.hpp"
#include "support/rule_harness.hpp"

namespace sotcheck {
namespace {

/// Sets SOTCHECK_TEST_THREAD_LIMIT for the lifetime of the object.
class ThreadLimit {
 public:
  explicit ThreadLimit(unsigned limit) { ::setenv("SOTCHECK_TEST_THREAD_LIMIT", std::to_string(limit).c_str(), 1); }
  ~ThreadLimit() { ::unsetenv("SOTCHECK_TEST_THREAD_LIMIT"); }
  ThreadLimit(const ThreadLimit&) = delete;
  ThreadLimit& operator=(const ThreadLimit&) = delete;
};

/// Runs 10,000 items through run_on_threads; returns how often each was done.
std::vector<int> drain_items(unsigned extra_threads, unsigned* threads_used) {
  std::vector<std::atomic<int>> done(10000);
  std::atomic<std::size_t> next{0};
  // Started threads wait until the calling thread joins in (it does so only
  // after its last start attempt), so a fast thread cannot finish and free a
  // slot under the test limit before the starts are over.
  const std::thread::id caller = std::this_thread::get_id();
  std::atomic<bool> caller_working{false};
  *threads_used = util::run_on_threads(extra_threads, [&] {
    if (std::this_thread::get_id() == caller)
      caller_working.store(true);
    else
      while (!caller_working.load()) std::this_thread::yield();
    for (std::size_t i = next.fetch_add(1); i < done.size(); i = next.fetch_add(1)) done[i].fetch_add(1);
  });
  std::vector<int> counts;
  for (auto& d : done) counts.push_back(d.load());
  return counts;
}

TEST(WorkerThreads, StartsEveryThreadAskedForWhenThereIsNoLimit) {
  unsigned used = 0;
  const auto counts = drain_items(3, &used);
  EXPECT_EQ(used, 4u);
  EXPECT_EQ(counts, std::vector<int>(10000, 1));
}

TEST(WorkerThreads, RunsOnTheCallingThreadAloneWhenNoThreadCanStart) {
  ThreadLimit limit(0);
  unsigned used = 0;
  const auto counts = drain_items(7, &used);
  EXPECT_EQ(used, 1u);
  EXPECT_EQ(counts, std::vector<int>(10000, 1));
}

TEST(WorkerThreads, UsesTheThreadsThatStartAndDoesTheRestWithThem) {
  ThreadLimit limit(2);
  unsigned used = 0;
  const auto counts = drain_items(7, &used);
  EXPECT_EQ(used, 3u);
  EXPECT_EQ(counts, std::vector<int>(10000, 1));
}

TEST(WorkerThreads, AnExceptionOnTheCallingThreadJoinsTheOthersInsteadOfTerminating) {
  const std::thread::id caller = std::this_thread::get_id();
  std::atomic<int> calls{0};
  EXPECT_THROW(util::run_on_threads(2,
                                    [&] {
                                      calls.fetch_add(1);
                                      if (std::this_thread::get_id() == caller) throw std::runtime_error("boom");
                                    }),
               std::runtime_error);
  EXPECT_EQ(calls.load(), 3);
}

TEST(WorkerThreads, AnExceptionOnAStartedThreadComesBackToTheCaller) {
  const std::thread::id caller = std::this_thread::get_id();
  std::atomic<int> calls{0};
  EXPECT_THROW(util::run_on_threads(3,
                                    [&] {
                                      calls.fetch_add(1);
                                      if (std::this_thread::get_id() != caller) throw std::bad_alloc();
                                    }),
               std::bad_alloc);
  EXPECT_EQ(calls.load(), 4);
}

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

TEST(WorkerThreads, ImageBuildAndThreadExecutorGiveTheSameVerdictsWithoutThreads) {
  testing::MemoryTree tree = testing::scaffold_tree(3);
  tree.remove("03_core/README.md");
  const auto sequential = testing::run_catalog(tree, checks::Profile::strict);
  ASSERT_EQ(sequential.verdicts.size(), 384u);
  for (unsigned limit : {0u, 1u}) {
    SCOPED_TRACE("thread limit " + std::to_string(limit));
    ThreadLimit no_threads(limit);
    const auto threaded = testing::run_catalog(tree, checks::Profile::strict, {}, 4);
    EXPECT_EQ(verdict_text(threaded.verdicts), verdict_text(sequential.verdicts));
  }
}

}  // namespace
}  // namespace sotcheck
