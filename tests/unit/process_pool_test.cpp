// The process pool: the same verdicts as every other executor, every worker
// fault contained to the rule in flight, fallbacks recorded, and nothing left
// behind (no worker process, nothing in /dev/shm) however the run ends.
//
// In-process tests call run_process_pool directly (fast: the catalog is loaded
// once); end-to-end tests run the real binary with --debug-inject-fault.

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "sotcheck/exec/channel.hpp"
#include "sotcheck/exec/process_pool.hpp"
#include "sotcheck/exec/worker_launch.hpp"
#include "sotcheck/exec/pipeline.hpp"
#include "sotcheck/snapshot/tree_source.hpp"
#include "support/process.hpp"
#include "support/shared_trees.hpp"
#include "support/rule_harness.hpp"
#include "support/trees.hpp"

namespace sotcheck {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;
using testing::run_sotcheck;
using testing::TempDir;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// ---- Helpers: reports, /proc and /dev/shm -----------------------------------

/// Drops every key named "timestamp" at any depth.
void strip_timestamps(json& value) {
  if (value.is_object()) {
    value.erase("timestamp");
    for (auto& [key, child] : value.items()) strip_timestamps(child);
  } else if (value.is_array()) {
    for (auto& child : value) strip_timestamps(child);
  }
}

/// A report without what depends on how or when the run happened.
json normalised(json report) {
  report.erase("run");
  strip_timestamps(report);
  return report;
}

std::map<std::string, json> results_by_id(const json& report) {
  std::map<std::string, json> out;
  for (const auto& r : report["results"]) {
    json copy = r;
    copy.erase("timestamp");
    out[r["rule_id"].get<std::string>()] = copy;
  }
  return out;
}

struct ProcInfo {
  pid_t ppid = 0;
  pid_t pgrp = 0;
  char state = '?';
};

std::optional<ProcInfo> proc_info(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!std::getline(in, text)) return std::nullopt;
  const auto close = text.rfind(')');  // the command name may contain anything
  if (close == std::string::npos) return std::nullopt;
  ProcInfo info;
  std::istringstream rest(text.substr(close + 2));
  rest >> info.state >> info.ppid >> info.pgrp;
  return info;
}

bool alive(pid_t pid) {
  const auto info = proc_info(pid);
  return info && info->state != 'Z' && info->state != 'X';
}

std::vector<pid_t> all_pids() {
  std::vector<pid_t> pids;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (!name.empty() && std::all_of(name.begin(), name.end(), ::isdigit)) pids.push_back(std::stoi(name));
  }
  return pids;
}

std::vector<pid_t> live_children_of(pid_t parent) {
  std::vector<pid_t> out;
  for (pid_t pid : all_pids()) {
    const auto info = proc_info(pid);
    if (info && info->ppid == parent && info->state != 'Z') out.push_back(pid);
  }
  return out;
}

/// Live processes in any of these process groups (each worker leads its own).
std::vector<pid_t> live_members_of_groups(const std::vector<pid_t>& groups) {
  std::vector<pid_t> out;
  for (pid_t pid : all_pids()) {
    const auto info = proc_info(pid);
    if (info && info->state != 'Z' && info->state != 'X' &&
        std::find(groups.begin(), groups.end(), info->pgrp) != groups.end())
      out.push_back(pid);
  }
  return out;
}

std::set<std::string> dev_shm_entries() {
  std::set<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/dev/shm", ec)) names.insert(entry.path().string());
  return names;
}

/// Starts the sotcheck binary without waiting; stdout to `out_file`, stderr to /dev/null.
pid_t start_sotcheck(const std::vector<std::string>& args, const std::string& out_file) {
  const pid_t pid = ::fork();
  if (pid != 0) return pid;
  const int null_fd = ::open("/dev/null", O_RDWR);
  const int out = ::open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ::dup2(null_fd, 0);
  ::dup2(out, 1);
  ::dup2(null_fd, 2);
  std::vector<std::string> argv = {SOTCHECK_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> raw;
  for (auto& a : argv) raw.push_back(a.data());
  raw.push_back(nullptr);
  ::execv(raw[0], raw.data());
  ::_exit(127);
}

/// Waits until `predicate` holds or `limit` passes; true if it held.
template <typename Predicate>
bool wait_until(Predicate predicate, double limit_seconds) {
  const auto start = Clock::now();
  while (seconds_since(start) < limit_seconds) {
    if (predicate()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return predicate();
}

/// Reaps `pid`, waiting at most `limit_seconds`; the wait status, or nullopt.
std::optional<int> reap(pid_t pid, double limit_seconds) {
  int status = 0;
  if (!wait_until([&] { return ::waitpid(pid, &status, WNOHANG) == pid; }, limit_seconds)) return std::nullopt;
  return status;
}

// ---- In-process fixtures -------------------------------------------------------

/// Plan, walk and image of a tree for a selection of the built-in catalog, as
/// validate prepares them for the process pool (a sealed shared image).
exec::PreparedRun prepare_shared(snapshot::TreeSource& source, const std::string& root,
                                 const plan::Selection& selection) {
  exec::PipelineOptions options;
  options.selection = selection;
  options.image.root_path = root;
  options.image.shared = true;
  util::RunStats stats;
  auto prepared = exec::prepare_run(testing::builtin_catalog(), source, options, stats);
  if (const auto* failure = std::get_if<exec::PipelineFailure>(&prepared)) throw std::runtime_error(failure->message);
  auto& run = std::get<exec::PreparedRun>(prepared);
  if (!run.image.shared()) throw std::runtime_error("no shared image: " + run.image.share_error());
  return std::move(run);
}

/// A tree on disk, prepared for the pool; its context runs the strict profile.
struct Prepared {
  exec::PreparedRun run;

  exec::RunContext context() const { return run.context(testing::builtin_catalog(), checks::Profile::strict); }
};

std::unique_ptr<Prepared> prepare(const std::string& root, const plan::Selection& selection) {
  auto source = snapshot::make_filesystem_source(root);
  return std::unique_ptr<Prepared>(new Prepared{prepare_shared(*source, root, selection)});
}

exec::PoolOptions pool_options(const Prepared& prepared, exec::StartMethod method, unsigned workers = 2) {
  exec::PoolOptions options;
  options.workers = workers;
  options.start_method = method;
  options.worker_executable = SOTCHECK_BINARY;  // /proc/self/exe is the test binary here
  options.image_fd = prepared.run.image.shared_fd();
  return options;
}

json verdicts_json(const std::vector<exec::Verdict>& verdicts) {
  json out = json::array();
  for (const auto& v : verdicts) {
    json j = exec::to_json(v);
    j.erase("timestamp");
    out.push_back(std::move(j));
  }
  return out;
}

/// Copies `from` and applies a few seeded random mutations: files deleted,
/// truncated or replaced by broken YAML, directories removed, strays added.
void mutate_copy(const std::string& from, const std::string& to, unsigned seed) {
  fs::copy(from, to, fs::copy_options::recursive);
  std::mt19937 rng(seed);
  std::vector<fs::path> files, dirs;
  for (const auto& entry : fs::recursive_directory_iterator(to)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
    if (entry.is_directory()) dirs.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::sort(dirs.begin(), dirs.end());
  auto pick = [&](std::vector<fs::path>& list) { return list[std::uniform_int_distribution<std::size_t>(0, list.size() - 1)(rng)]; };
  for (int i = 0; i < 12; ++i) {
    const fs::path file = pick(files);
    std::error_code ec;
    switch (rng() % 4) {
      case 0: fs::remove(file, ec); break;
      case 1: testing::write_file(file.string(), ""); break;
      case 2: testing::write_file(file.string(), "key: [unclosed\n  - : :\n"); break;
      case 3: testing::write_file(file.string(), "TODO: password = hunter2\n"); break;
    }
  }
  for (int i = 0; i < 2; ++i) {
    std::error_code ec;
    fs::remove_all(pick(dirs), ec);
  }
  testing::write_file(to + "/stray_" + std::to_string(seed) + ".txt", "stray\n");
}

// ---- Suite with one scaffolded tree ---------------------------------------------

class ProcessPool : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const auto seq = run_sotcheck({"validate", tree(), "--select", "AR", "--mode", "sequential", "--format", "json"});
    ASSERT_EQ(seq.exit_code, 0) << seq.err;
    s_baseline = new json(json::parse(seq.out));
  }
  static void TearDownTestSuite() {
    delete s_baseline;
    s_baseline = nullptr;
  }
  /// The seed-7 scaffold, shared read-only across test processes (support/shared_trees.hpp).
  static std::string tree() { return testing::shared_tree(testing::seed7_scaffold()); }
  static const json& baseline() { return *s_baseline; }

  static json* s_baseline;
};
json* ProcessPool::s_baseline = nullptr;

TEST(FaultSpec, ParsesEveryKindAndRejectsTheRest) {
  for (const char* kind : {"crash", "abort", "hang", "exit", "garbage"}) {
    auto spec = exec::parse_fault_spec(std::string("AR003:") + kind);
    ASSERT_TRUE(spec.ok()) << kind;
    EXPECT_EQ(spec->rule_id, "AR003");
    EXPECT_EQ(exec::fault_spec_text(*spec), std::string("AR003:") + kind);
  }
  auto pool = exec::parse_fault_spec("pool:fork");
  ASSERT_TRUE(pool.ok());
  EXPECT_EQ(pool->kind, exec::FaultKind::pool_fork);
  EXPECT_FALSE(exec::parse_fault_spec("AR003:explode").ok());
  EXPECT_FALSE(exec::parse_fault_spec("AR003").ok());
  EXPECT_FALSE(exec::parse_fault_spec("pool:crash").ok());
  EXPECT_FALSE(exec::parse_fault_spec(":crash").ok());
}

TEST_F(ProcessPool, ForkedWorkersGiveTheSequentialVerdictsForTheWholeCatalog) {
  const auto prepared = prepare(tree(), {});
  util::RunStats stats;
  const json expected = verdicts_json(exec::run_sequential(prepared->context(), stats));
  util::RunStats pool_stats;
  const auto result =
      exec::run_process_pool(prepared->context(), pool_options(*prepared, exec::StartMethod::fork), pool_stats);
  EXPECT_TRUE(result.used_processes);
  EXPECT_EQ(result.fallback_reason, "");
  EXPECT_EQ(verdicts_json(result.verdicts), expected);
  EXPECT_EQ(pool_stats.counter("workers_started"), 2u);
  EXPECT_EQ(pool_stats.counter("crashes") + pool_stats.counter("timeouts") + pool_stats.counter("respawns"), 0u);
  EXPECT_TRUE(live_children_of(::getpid()).empty());
}

TEST_F(ProcessPool, HundredConsecutiveForkRunsAreIdentical) {
  const auto prepared = prepare(tree(), {{"AR"}, {}});
  util::RunStats stats;
  const json expected = verdicts_json(exec::run_sequential(prepared->context(), stats));
  const auto start = Clock::now();
  for (int run = 0; run < 100; ++run) {
    util::RunStats pool_stats;
    const auto result =
        exec::run_process_pool(prepared->context(), pool_options(*prepared, exec::StartMethod::fork), pool_stats);
    ASSERT_TRUE(result.used_processes) << "run " << run;
    ASSERT_EQ(verdicts_json(result.verdicts), expected) << "run " << run;
    ASSERT_TRUE(live_children_of(::getpid()).empty()) << "run " << run << " left a worker behind";
  }
  const double elapsed = seconds_since(start);
  RecordProperty("hundred_runs_seconds", std::to_string(elapsed));
  EXPECT_LT(elapsed, 30.0);
}

TEST_F(ProcessPool, RandomlyMutatedTreesGiveIdenticalVerdictsOnEveryExecutor) {
  for (unsigned seed : {11u, 23u, 37u}) {
    TempDir dir;
    mutate_copy(tree(), dir.path() + "/ssid", seed);
    const auto prepared = prepare(dir.path() + "/ssid", {});
    util::RunStats stats;
    const json sequential = verdicts_json(exec::run_sequential(prepared->context(), stats));
    EXPECT_EQ(verdicts_json(exec::run_threads(prepared->context(), 3, stats)), sequential) << "seed " << seed;
    // Spawned workers re-load the catalog, which costs more than the rest of
    // this test: one seed is enough to cover them (the e2e report test does too).
    std::vector<exec::StartMethod> methods = {exec::StartMethod::fork};
    if (seed == 11u) methods.push_back(exec::StartMethod::spawn);
    for (auto method : methods) {
      const auto result = exec::run_process_pool(prepared->context(), pool_options(*prepared, method), stats);
      EXPECT_TRUE(result.used_processes);
      EXPECT_EQ(verdicts_json(result.verdicts), sequential)
          << "seed " << seed << ", " << exec::start_method_name(method);
    }
  }
}

TEST_F(ProcessPool, RefusedPoolStartRunsEverythingOnThreads) {
  const auto prepared = prepare(tree(), {{"AR"}, {}});
  util::RunStats stats;
  const json expected = verdicts_json(exec::run_sequential(prepared->context(), stats));
  auto options = pool_options(*prepared, exec::StartMethod::fork);
  options.faults.push_back(*exec::parse_fault_spec("pool:fork"));
  util::RunStats pool_stats;
  const auto result = exec::run_process_pool(prepared->context(), options, pool_stats);
  EXPECT_FALSE(result.used_processes);
  EXPECT_NE(result.fallback_reason.find("pool:fork"), std::string::npos) << result.fallback_reason;
  EXPECT_EQ(verdicts_json(result.verdicts), expected);
  EXPECT_EQ(pool_stats.counter("fallbacks"), 1u);
  EXPECT_EQ(pool_stats.counter("workers_started"), 0u);
}

TEST_F(ProcessPool, SpawnOfAMissingExecutableFallsBackToThreads) {
  const auto prepared = prepare(tree(), {{"AR001"}, {}});
  auto options = pool_options(*prepared, exec::StartMethod::spawn);
  options.worker_executable = "/nonexistent/sotcheck";
  util::RunStats stats;
  const auto result = exec::run_process_pool(prepared->context(), options, stats);
  EXPECT_FALSE(result.used_processes);
  EXPECT_NE(result.fallback_reason.find("cannot execute /nonexistent/sotcheck"), std::string::npos)
      << result.fallback_reason;
  ASSERT_EQ(result.verdicts.size(), 1u);
  EXPECT_EQ(result.verdicts[0].status, exec::Status::pass);
}

TEST(ProcessPoolLargeVerdict, AVerdictOverOneFrameGivesTheSequentialResult) {
  // 60,000 badly named root folders: AR009's evidence lists every one, and its
  // CBOR is larger than a frame, so the worker sends it in several.
  testing::MemoryTree tree = testing::scaffold_tree(7);
  for (int i = 0; i < 60000; ++i) {
    char suffix[16];
    std::snprintf(suffix, sizeof suffix, "%06d", i);
    tree.add_dir(std::string(240, 'x') + suffix);
  }
  const exec::PreparedRun prepared = prepare_shared(tree, "/repo", {{"AR009"}, {}});
  const exec::RunContext context = prepared.context(testing::builtin_catalog(), checks::Profile::strict);

  util::RunStats stats;
  const auto sequential = exec::run_sequential(context, stats);
  ASSERT_EQ(sequential.size(), 1u);
  EXPECT_EQ(sequential[0].status, exec::Status::fail);
  EXPECT_GT(json::to_cbor(exec::to_json(sequential[0])).size(), exec::k_max_frame_payload);

  exec::PoolOptions options;
  options.workers = 1;
  options.image_fd = prepared.image.shared_fd();
  const auto pooled = exec::run_process_pool(context, options, stats);
  EXPECT_TRUE(pooled.used_processes);
  EXPECT_EQ(pooled.fallback_reason, "");
  EXPECT_EQ(verdicts_json(pooled.verdicts), verdicts_json(sequential));
}

TEST_F(ProcessPool, AWorkerThatCannotSetItselfUpIsNamedInTheFallbackReason) {
  const auto prepared = prepare(tree(), {{"AR001"}, {}});
  TempDir dir;
  const std::string failing = dir.path() + "/worker";
  testing::write_file(failing, "#!/bin/sh\necho 'sotcheck worker: cannot set up' >&2\nexit 120\n");
  ::chmod(failing.c_str(), 0755);
  auto options = pool_options(*prepared, exec::StartMethod::spawn, 1);
  options.worker_executable = failing;
  util::RunStats stats;
  const auto result = exec::run_process_pool(prepared->context(), options, stats);
  EXPECT_FALSE(result.used_processes);
  EXPECT_NE(result.fallback_reason.find("could not set up its process"), std::string::npos) << result.fallback_reason;
  ASSERT_EQ(result.verdicts.size(), 1u);
  EXPECT_EQ(result.verdicts[0].status, exec::Status::pass);
}

TEST_F(ProcessPool, ForkedWorkersStartUnderASmallDescriptorLimit) {
  // Workers used to need a spare descriptor numbered 10 or more and died silently under ulimit -n 11.
  const auto r = testing::run_process({"/bin/sh", "-c", "ulimit -n 9; exec \"$0\" \"$@\"", SOTCHECK_BINARY,
                                       "validate", tree(), "--select", "AR", "--mode", "process", "--workers", "2",
                                       "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json report = json::parse(r.out);
  EXPECT_EQ(report["run"]["mode"], "process") << r.err;
  EXPECT_TRUE(report["run"]["fallback"].is_null()) << report["run"].dump();
  EXPECT_EQ(normalised(report), normalised(baseline()));
}

TEST(WorkerLaunch, AChildStoppedBeforeExecNeitherBlocksTheParentNorOutlivesIt) {
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  const pid_t parent = ::fork();
  if (parent == 0) {
    ::close(pipe_fds[0]);
    exec::WorkerLaunch launch;
    launch.executable = "/bin/sleep";
    launch.argv = {"sleep", "30"};
    launch.parent_pid = ::getpid();
    launch.stop_before_exec = true;
    const auto start = Clock::now();
    auto pid = exec::launch_worker_process(launch);
    const pid_t child = pid ? *pid : -1;
    const double took = seconds_since(start);
    (void)!::write(pipe_fds[1], &child, sizeof child);
    (void)!::write(pipe_fds[1], &took, sizeof took);
    for (;;) ::pause();
  }
  ::close(pipe_fds[1]);
  pid_t child = -1;
  double took = -1;
  ASSERT_EQ(::read(pipe_fds[0], &child, sizeof child), static_cast<ssize_t>(sizeof child));
  ASSERT_EQ(::read(pipe_fds[0], &took, sizeof took), static_cast<ssize_t>(sizeof took));
  ::close(pipe_fds[0]);
  ASSERT_GT(child, 0);
  EXPECT_LT(took, 5.0);  // returned without waiting for the exec
  EXPECT_TRUE(wait_until([&] { const auto info = proc_info(child); return info && info->state == 'T'; }, 10.0))
      << "the child never stopped before its exec";
  ::kill(parent, SIGKILL);
  EXPECT_TRUE(reap(parent, 10.0).has_value());
  // The parent-death signal (SIGKILL) ends even a stopped child.
  EXPECT_TRUE(wait_until([&] { return !alive(child); }, 10.0)) << "the stopped child outlived its parent";
  if (alive(child)) ::kill(child, SIGKILL);
}

TEST(WorkerLaunch, AMissingProgramFailsAtOnceWithoutForking) {
  exec::WorkerLaunch launch;
  launch.executable = "/nonexistent/worker";
  launch.argv = {"worker"};
  launch.parent_pid = ::getpid();
  const auto pid = exec::launch_worker_process(launch);
  ASSERT_FALSE(pid.ok());
  EXPECT_NE(pid.error().find("No such file"), std::string::npos) << pid.error();
}

// ---- End to end: every fault kind x start method --------------------------------

struct FaultCase {
  const char* kind;
  const char* method;
  const char* reason;  ///< evidence.reason of the ERROR verdict
};

class ProcessPoolFault : public ProcessPool, public ::testing::WithParamInterface<FaultCase> {};

TEST_P(ProcessPoolFault, CostsOnlyTheRuleInFlight) {
  const FaultCase& c = GetParam();
  const auto start = Clock::now();
  // Two forked workers run side by side; one spawned worker keeps the catalog
  // re-loads (one per start) down while covering the same path.
  const std::string workers = std::string(c.method) == "fork" ? "2" : "1";
  const auto r = run_sotcheck({"validate", tree(), "--select", "AR", "--mode", "process", "--start-method", c.method,
                               "--workers", workers, "--rule-timeout", "1", "--debug-inject-fault",
                               std::string("AR003:") + c.kind, "--format", "json"});
  const double elapsed = seconds_since(start);
  ASSERT_EQ(r.exit_code, 3) << r.err;  // an ERROR verdict never lets a pipeline pass
  const json report = json::parse(r.out);
  EXPECT_EQ(report["run"]["mode"], "process");
  EXPECT_EQ(report["run"]["start_method"], c.method);
  EXPECT_TRUE(report["run"]["fallback"].is_null()) << report["run"].dump();
  EXPECT_GE(report["run"]["counters"]["respawns"].get<int>(), 1);

  auto got = results_by_id(report);
  const auto expected = results_by_id(baseline());
  ASSERT_EQ(got.size(), expected.size());
  const json error = got["AR003"];
  EXPECT_EQ(error["status"], "ERROR");
  EXPECT_EQ(error["evidence"]["reason"], c.reason) << error.dump();
  const std::map<std::string, std::pair<std::string, json>> detail = {
      {"crash", {"signal", "SIGSEGV"}}, {"abort", {"signal", "SIGABRT"}}, {"exit", {"status", 3}},
      {"hang", {"seconds", 1}},         {"garbage", {"detail", "bad frame magic"}}};
  const auto& [key, value] = detail.at(c.kind);
  EXPECT_EQ(error["evidence"][key], value) << error.dump();
  for (const auto& [id, verdict] : expected) {
    if (id != "AR003") {
      EXPECT_EQ(got[id], verdict) << id;
    }
  }
  // Bounded: a hang costs its deadline, everything else next to nothing, on top
  // of the fault-free run (catalog loads dominate on a busy machine).
  EXPECT_LT(elapsed, 60.0);
  RecordProperty("seconds", std::to_string(elapsed));
}

INSTANTIATE_TEST_SUITE_P(EveryKindAndStartMethod, ProcessPoolFault,
                         ::testing::Values(FaultCase{"crash", "fork", "crash"}, FaultCase{"abort", "fork", "crash"},
                                           FaultCase{"hang", "fork", "timeout"}, FaultCase{"exit", "fork", "exit"},
                                           FaultCase{"garbage", "fork", "protocol"},
                                           FaultCase{"crash", "spawn", "crash"}, FaultCase{"abort", "spawn", "crash"},
                                           FaultCase{"hang", "spawn", "timeout"}, FaultCase{"exit", "spawn", "exit"},
                                           FaultCase{"garbage", "spawn", "protocol"}),
                         [](const ::testing::TestParamInfo<FaultCase>& param_info) {
                           std::string name = std::string(param_info.param.kind) + "_" + param_info.param.method;
                           name[0] = static_cast<char>(std::toupper(name[0]));
                           return name;
                         });

// ---- End to end: fallbacks, crash loop, signals, determinism, stats ---------------

TEST_F(ProcessPool, CrashLoopMovesTheRestOfTheRunToTheThreadPool) {
  std::vector<std::string> args = {"validate", tree(), "--select", "AR", "--mode", "process", "--workers", "1",
                                   "--format", "json"};
  for (const char* id : {"AR001", "AR002", "AR003", "AR004", "AR005"}) {
    args.push_back("--debug-inject-fault");
    args.push_back(std::string(id) + ":crash");
  }
  const auto r = run_sotcheck(args);
  ASSERT_EQ(r.exit_code, 3) << r.err;
  const json report = json::parse(r.out);
  EXPECT_EQ(report["run"]["fallback"], "thread");
  EXPECT_NE(report["run"]["fallback_reason"].get<std::string>().find("crash loop"), std::string::npos);
  EXPECT_EQ(report["run"]["counters"]["crashes"], 4);
  EXPECT_EQ(report["run"]["counters"]["fallbacks"], 1);
  auto got = results_by_id(report);
  const auto expected = results_by_id(baseline());
  // One worker, rules in catalog order: the first four deaths are the loop; the
  // thread pool (where faults are not injected) evaluates the rest normally.
  for (const char* id : {"AR001", "AR002", "AR003", "AR004"}) EXPECT_EQ(got[id]["status"], "ERROR") << id;
  for (const auto& [id, verdict] : expected) {
    if (id > "AR004") {
      EXPECT_EQ(got[id], verdict) << id;
    }
  }
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;  // said once
}

TEST_F(ProcessPool, CrashLoopFallbackWithoutThreadsRunsTheRestOnTheCallingThread) {
  // No thread can start (as under a thread limit): the fallback must still finish the run, not abort.
  std::vector<std::string> args = {"validate", tree(), "--select", "AR", "--mode", "process", "--workers", "2",
                                   "--format", "json"};
  for (const char* id : {"AR001", "AR002", "AR003", "AR004", "AR005"}) {
    args.push_back("--debug-inject-fault");
    args.push_back(std::string(id) + ":exit");
  }
  const auto r = run_sotcheck(args, {"SOTCHECK_TEST_THREAD_LIMIT=0"});
  ASSERT_EQ(r.exit_code, 3) << r.err;
  const json report = json::parse(r.out);
  EXPECT_EQ(report["run"]["fallback"], "thread");
  auto got = results_by_id(report);
  const auto expected = results_by_id(baseline());
  ASSERT_EQ(got.size(), expected.size());
  for (const auto& [id, verdict] : expected) {
    if (got[id]["status"] != "ERROR") {
      EXPECT_EQ(got[id], verdict) << id;
    }
  }
}

TEST_F(ProcessPool, SequentialRunWithoutAnyThreadWalksOnTheCallingThread) {
  // The walk overlaps the catalog load on a thread of its own; when no thread
  // can start, the run must walk inline and give the same verdicts, not exit 3.
  const auto r = run_sotcheck({"validate", tree(), "--select", "AR", "--mode", "sequential", "--format", "json"},
                              {"SOTCHECK_TEST_THREAD_LIMIT=0"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto got = results_by_id(json::parse(r.out));
  const auto expected = results_by_id(baseline());
  ASSERT_EQ(got.size(), expected.size());
  for (const auto& [id, verdict] : expected) EXPECT_EQ(got[id], verdict) << id;
}

TEST_F(ProcessPool, ImageOverTheFileSizeLimitFallsBackToHeapAndThreadsAndSaysWhy) {
  // ulimit -f binds the memfd; SIGXFSZ ignored (inherited through exec) makes it EFBIG.
  const std::string script = "trap '' XFSZ; ulimit -f 16; exec \"$0\" \"$@\"";
  const auto r = testing::run_process({"/bin/sh", "-c", script, SOTCHECK_BINARY, "validate", tree(), "--select", "AR",
                                       "--mode", "process", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json report = json::parse(r.out);
  EXPECT_EQ(report["run"]["mode"], "thread");
  EXPECT_EQ(report["run"]["fallback"], "thread");
  const std::string reason = report["run"]["fallback_reason"].get<std::string>();
  EXPECT_NE(reason.find(std::strerror(EFBIG)), std::string::npos) << reason;
  EXPECT_EQ(normalised(report), normalised(baseline()));
}

TEST_F(ProcessPool, PoolForkFaultFallsBackToThreadsAndSaysSoOnce) {
  for (const char* mode : {"auto", "process"}) {
    const auto r = run_sotcheck({"validate", tree(), "--select", "AR", "--mode", mode, "--debug-inject-fault",
                                 "pool:fork", "--format", "json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const json report = json::parse(r.out);
    EXPECT_EQ(report["run"]["mode"], "thread");
    EXPECT_EQ(report["run"]["fallback"], "thread");
    EXPECT_NE(report["run"]["fallback_reason"].get<std::string>().find("pool:fork"), std::string::npos);
    EXPECT_EQ(normalised(report), normalised(baseline()));
    const std::string said = std::string(mode) == "process" ? "warning:" : "note:";
    EXPECT_NE(r.err.find(said), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("thread pool"), r.err.rfind("thread pool")) << "said more than once: " << r.err;
  }
}

TEST_F(ProcessPool, ParentSigkillLeavesNoWorkerAndNothingInDevShm) {
  for (const char* method : {"fork", "spawn"}) {
    const auto shm_before = dev_shm_entries();
    TempDir out;
    const pid_t parent =
        start_sotcheck({"validate", tree(), "--select", "AR", "--mode", "process", "--start-method", method,
                        "--workers", "2", "--rule-timeout", "60", "--debug-inject-fault", "AR001:hang",
                        "--debug-inject-fault", "AR002:hang", "--format", "json"},
                       out.path() + "/report.json");
    std::vector<pid_t> workers;
    ASSERT_TRUE(wait_until([&] { return (workers = live_children_of(parent)).size() == 2; }, 60.0)) << method;
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // let them take their (hanging) rules
    ASSERT_EQ(::kill(parent, SIGKILL), 0);
    const auto status = reap(parent, 10.0);
    ASSERT_TRUE(status.has_value());
    EXPECT_TRUE(WIFSIGNALED(*status));
    // PR_SET_PDEATHSIG: the kernel kills each worker (and so its group) with the parent.
    EXPECT_TRUE(wait_until([&] { return live_members_of_groups(workers).empty(); }, 10.0))
        << method << ": a worker outlived its parent";
    for (pid_t w : workers) EXPECT_FALSE(alive(w)) << method << " worker " << w;
    EXPECT_EQ(dev_shm_entries(), shm_before) << method;
  }
}

TEST_F(ProcessPool, SigintAndSigtermStopTheWorkersAndExit130) {
  for (int sig : {SIGINT, SIGTERM}) {
    TempDir out;
    const pid_t parent = start_sotcheck({"validate", tree(), "--select", "AR", "--mode", "process", "--workers", "2",
                                         "--rule-timeout", "60", "--debug-inject-fault", "AR001:hang", "--format",
                                         "json"},
                                        out.path() + "/report.json");
    std::vector<pid_t> workers;
    ASSERT_TRUE(wait_until([&] { return (workers = live_children_of(parent)).size() == 2; }, 60.0));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const auto start = Clock::now();
    ASSERT_EQ(::kill(parent, sig), 0);
    const auto status = reap(parent, 10.0);
    ASSERT_TRUE(status.has_value()) << "the parent did not stop on signal " << sig;
    EXPECT_LT(seconds_since(start), 5.0);
    ASSERT_TRUE(WIFEXITED(*status)) << "signal " << sig;
    EXPECT_EQ(WEXITSTATUS(*status), 130);
    // The parent reaped its workers itself: not even zombies remain.
    for (pid_t w : workers) EXPECT_FALSE(proc_info(w).has_value() && proc_info(w)->ppid == parent) << w;
    EXPECT_TRUE(live_members_of_groups(workers).empty());
    EXPECT_EQ(testing::read_file(out.path() + "/report.json"), "");  // partial results are discarded
  }
}

TEST_F(ProcessPool, ReportsOfSequentialThreadForkAndSpawnAreIdentical) {
  std::vector<json> reports;
  for (const std::vector<std::string>& mode :
       {std::vector<std::string>{"--mode", "sequential"}, {"--mode", "thread", "--workers", "3"},
        {"--mode", "process", "--start-method", "fork"}, {"--mode", "process", "--start-method", "spawn"}}) {
    std::vector<std::string> args = {"validate", tree(), "--format", "json"};
    args.insert(args.end(), mode.begin(), mode.end());
    const auto r = run_sotcheck(args);
    ASSERT_LE(r.exit_code, 1) << r.err;
    reports.push_back(json::parse(r.out));
  }
  EXPECT_EQ(reports[2]["run"]["mode"], "process");
  EXPECT_EQ(reports[3]["run"]["start_method"], "spawn");
  for (std::size_t i = 1; i < reports.size(); ++i)
    EXPECT_EQ(normalised(reports[i]).dump(), normalised(reports[0]).dump()) << "report " << i;
}

TEST_F(ProcessPool, StatsTimeSealWorkerStartAndBatchesAndCountTheWorkers) {
  const auto r = run_sotcheck(
      {"validate", tree(), "--select", "AR", "--mode", "process", "--workers", "2", "--stats", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* key : {"seal", "worker_start", "batch 0", "workers_started", "respawns", "timeouts", "crashes",
                          "fallbacks", "image_bytes"})
    EXPECT_NE(r.err.find(key), std::string::npos) << key << " missing from\n" << r.err;
  const json counters = json::parse(r.out)["run"]["counters"];
  EXPECT_EQ(counters["workers_started"], 2);
  EXPECT_EQ(counters["respawns"], 0);
  EXPECT_EQ(counters["fallbacks"], 0);
}

TEST(ProcessPoolCli, HiddenOptionsStayOutOfHelpAndBadFaultsAreUsageErrors) {
  const auto help = run_sotcheck({"validate", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--start-method"), std::string::npos);
  EXPECT_NE(help.out.find("--rule-timeout"), std::string::npos);
  EXPECT_EQ(help.out.find("inject"), std::string::npos) << help.out;
  const auto top = run_sotcheck({"--help"});
  EXPECT_EQ(top.out.find("__worker"), std::string::npos) << top.out;

  TempDir dir;
  const auto bad = run_sotcheck({"validate", dir.path(), "--debug-inject-fault", "AR001:explode"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("crash, abort, hang, exit, garbage"), std::string::npos) << bad.err;
  EXPECT_EQ(run_sotcheck({"validate", dir.path(), "--start-method", "vfork"}).exit_code, 2);
  EXPECT_EQ(run_sotcheck({"validate", dir.path(), "--rule-timeout", "0"}).exit_code, 2);
}

}  // namespace
}  // namespace sotcheck
