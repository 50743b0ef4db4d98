// Exit codes (docs/ci-integration.md): the decision table of exit_code_for, then the
// same matrix through the real binary: clean, failures, --fail-on, usage and
// config errors, selections of nothing, ERROR verdicts, interruption, and the
// Python CLI's 4/3/2/1/0 ladder under --exit-code-style reference.

#include <gtest/gtest.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "sotcheck/cli/cli.hpp"
#include "sotcheck/cli/validate.hpp"
#include "support/process.hpp"
#include "support/shared_trees.hpp"

namespace sotcheck {
namespace {

using catalog::Severity;
using cli::ExitCodeStyle;
using exec::Status;
using testing::ProcessResult;
using testing::TempDir;
namespace fs = std::filesystem;

exec::Verdict v(Status status, Severity severity) {
  exec::Verdict verdict;
  verdict.rule_id = "R";
  verdict.status = status;
  verdict.severity = severity;
  return verdict;
}

struct Case {
  const char* name;
  std::vector<exec::Verdict> verdicts;
  Severity fail_on;
  std::vector<report::Disposition> dispositions;
  int standard;
  int reference;
};

TEST(ExitCodeFor, DecisionTable) {
  const report::Disposition suppressed{"accepted", false, {}, {}};
  const report::Disposition baselined{"", true, {}, {}};
  const std::vector<Case> cases = {
      {"nothing", {}, Severity::info, {}, 0, 0},
      {"all pass", {v(Status::pass, Severity::critical)}, Severity::info, {}, 0, 0},
      {"skipped is not a failure", {v(Status::skipped, Severity::critical)}, Severity::info, {}, 0, 0},
      {"critical fails", {v(Status::fail, Severity::critical)}, Severity::info, {}, 1, 4},
      {"high fails", {v(Status::fail, Severity::high)}, Severity::info, {}, 1, 3},
      {"medium fails", {v(Status::fail, Severity::medium)}, Severity::info, {}, 1, 2},
      {"low fails", {v(Status::fail, Severity::low)}, Severity::info, {}, 1, 1},
      {"info fails", {v(Status::fail, Severity::info)}, Severity::info, {}, 1, 1},
      {"worst decides the ladder", {v(Status::fail, Severity::low), v(Status::fail, Severity::high)}, Severity::info,
       {}, 1, 3},
      {"below --fail-on", {v(Status::fail, Severity::medium)}, Severity::high, {}, 0, 0},
      {"at --fail-on", {v(Status::fail, Severity::high)}, Severity::high, {}, 1, 3},
      {"error verdict", {v(Status::error, Severity::low)}, Severity::info, {}, 3, 1},
      {"error ignores --fail-on", {v(Status::error, Severity::info)}, Severity::critical, {}, 3, 1},
      {"error beats failures", {v(Status::fail, Severity::critical), v(Status::error, Severity::info)},
       Severity::info, {}, 3, 4},
      {"suppressed failure", {v(Status::fail, Severity::critical)}, Severity::info, {suppressed}, 0, 0},
      {"baselined failure", {v(Status::fail, Severity::critical)}, Severity::info, {baselined}, 0, 0},
      {"suppressed error still fails", {v(Status::error, Severity::high)}, Severity::info, {suppressed}, 3, 3},
      {"new failure next to a baselined one",
       {v(Status::fail, Severity::critical), v(Status::fail, Severity::medium)}, Severity::info,
       {baselined, {}}, 1, 2},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(cli::exit_code_for(c.verdicts, c.fail_on, ExitCodeStyle::standard, c.dispositions), c.standard)
        << c.name;
    EXPECT_EQ(cli::exit_code_for(c.verdicts, c.fail_on, ExitCodeStyle::reference, c.dispositions), c.reference)
        << c.name;
  }
  EXPECT_EQ(cli::exit_code_in_style(cli::k_exit_internal, ExitCodeStyle::reference), 4);
  EXPECT_EQ(cli::exit_code_in_style(cli::k_exit_usage, ExitCodeStyle::reference), 2);
  EXPECT_EQ(cli::exit_code_in_style(cli::k_exit_interrupted, ExitCodeStyle::reference), 130);
  EXPECT_EQ(cli::exit_code_in_style(cli::k_exit_internal, ExitCodeStyle::standard), 3);
}

// ---- the binary ------------------------------------------------------------------

ProcessResult run_clean(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"/usr/bin/env", "-u", "CI", "-u", "SOTCHECK_CATALOG", SOTCHECK_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return testing::run_process(argv);
}

/// Three shared trees (support/shared_trees.hpp) from one scaffold: compliant,
/// missing a root README (AR006, HIGH), missing a whole root (AR001, CRITICAL).
class ExitCodes : public ::testing::Test {
 protected:
  static std::string clean() { return testing::shared_tree(testing::seed7_scaffold()); }
  static std::string no_readme() { return testing::shared_tree(testing::seed7_without_a_root_readme()); }
  static std::string no_root() { return testing::shared_tree(testing::seed7_without_a_root()); }
};

struct BinaryCase {
  const char* name;
  std::string tree;  ///< "clean", "no_readme", "no_root" or a path
  std::vector<std::string> args;
  int standard;
  int reference;
};

TEST_F(ExitCodes, Matrix) {
  TempDir scratch;
  testing::write_file(scratch.path() + "/bad.yaml", "select: [AR]\nfail_onn: HIGH\n");
  testing::write_file(scratch.path() + "/bad-baseline.json", "{\"not\": \"a baseline\"}\n");
  const std::vector<BinaryCase> cases = {
      {"clean tree", "clean", {"--select", "AR"}, 0, 0},
      {"HIGH failure", "no_readme", {"--select", "AR"}, 1, 3},
      {"HIGH failure below --fail-on CRITICAL", "no_readme", {"--select", "AR", "--fail-on", "CRITICAL"}, 0, 0},
      {"HIGH failure at --fail-on HIGH", "no_readme", {"--select", "AR", "--fail-on", "high"}, 1, 3},
      {"CRITICAL failure", "no_root", {"--select", "AR"}, 1, 4},
      {"min-severity leaves only passing rules", "no_readme", {"--select", "AR", "--min-severity", "CRITICAL"}, 0, 0},
      {"selection of nothing", "clean", {"--select", "ZZ999"}, 2, 2},
      {"min-severity selects nothing", "clean", {"--select", "AR006", "--min-severity", "CRITICAL"}, 2, 2},
      {"bad --fail-on", "clean", {"--fail-on", "URGENT"}, 2, 2},
      {"bad --min-severity", "clean", {"--min-severity", "URGENT"}, 2, 2},
      {"unknown format", "clean", {"--format", "xml"}, 2, 2},
      {"two formats on stdout", "clean", {"--format", "json", "--format", "sarif"}, 2, 2},
      {"unknown option", "clean", {"--no-such-option"}, 2, 2},
      {"missing repository", "/nonexistent/sotcheck", {}, 2, 2},
      {"config with an unknown key", "clean", {"--config", scratch.path() + "/bad.yaml"}, 2, 2},
      {"missing config", "clean", {"--config", scratch.path() + "/none.yaml"}, 2, 2},
      {"unreadable baseline", "clean", {"--baseline", scratch.path() + "/bad-baseline.json"}, 2, 2},
      {"report destination cannot exist", "clean",
       {"--select", "AR001", "--format", "json=" + scratch.path() + "/bad.yaml/r.json"}, 2, 2},
      {"report cannot be written", "clean", {"--select", "AR001", "--format", "json=/dev/full"}, 3, 4},
  };
  for (const auto& c : cases) {
    const std::string tree = c.tree == "clean"       ? clean()
                             : c.tree == "no_readme" ? no_readme()
                             : c.tree == "no_root"   ? no_root()
                                                     : c.tree;
    std::vector<std::string> args = {"validate", tree};
    args.insert(args.end(), c.args.begin(), c.args.end());
    const auto standard = run_clean(args);
    EXPECT_EQ(standard.exit_code, c.standard) << c.name << "\n" << standard.err;
    args.push_back("--exit-code-style");
    args.push_back("reference");
    const auto reference = run_clean(args);
    EXPECT_EQ(reference.exit_code, c.reference) << c.name << " (reference)\n" << reference.err;
  }
}

TEST_F(ExitCodes, AnErrorVerdictExitsThreeEvenWhenEverythingElsePasses) {
  // A crashing worker costs only its rule, recorded as ERROR (docs/process-pool.md).
  const auto r = run_clean({"validate", clean(), "--select", "AR", "--mode", "process", "--format", "json",
                            "--debug-inject-fault", "AR006:crash"});
  if (r.err.find("unavailable") != std::string::npos) GTEST_SKIP() << "no process pool here: " << r.err;
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.out.find("\"ERROR\""), std::string::npos);
  const auto reference = run_clean({"validate", clean(), "--select", "AR", "--mode", "process",
                                    "--debug-inject-fault", "AR006:crash", "--exit-code-style", "reference"});
  EXPECT_EQ(reference.exit_code, 3) << reference.err;  // AR006 is HIGH: step 3 of the ladder
}

TEST_F(ExitCodes, SigintSigtermAndSighupOutsideThePoolExit130WithOneLine) {
  // Stdout is a one-page pipe nobody reads: the run blocks writing its
  // (larger) JSON report, a deterministic place outside the process pool to
  // interrupt it. Every signal ends it the same way (docs/ci-integration.md).
  for (const int sig : {SIGINT, SIGTERM, SIGHUP}) {
    SCOPED_TRACE(::sigabbrev_np(sig));
    TempDir scratch;
    const std::string err_path = scratch.path() + "/err";
    int out[2];
    ASSERT_EQ(::pipe(out), 0);
    ::fcntl(out[0], F_SETPIPE_SZ, 4096);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      const int err_fd = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      ::dup2(out[1], 1);
      ::dup2(err_fd, 2);
      ::close(out[0]);
      ::execl(SOTCHECK_BINARY, SOTCHECK_BINARY, "validate", clean().c_str(), "--mode", "thread", "--format", "json",
              static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(out[1]);
    pollfd readable{out[0], POLLIN, 0};
    ASSERT_EQ(::poll(&readable, 1, 120000), 1) << "the run never started its report";
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // now blocked in write()
    ::kill(pid, sig);
    int status = 0;
    bool reaped = false;
    for (int i = 0; i < 200 && !reaped; ++i) {
      reaped = ::waitpid(pid, &status, WNOHANG) == pid;
      if (!reaped) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (!reaped) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      ADD_FAILURE() << "still running 10 s after the signal";
    }
    ::close(out[0]);
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    EXPECT_EQ(code, 130);
    EXPECT_EQ(testing::read_file(err_path), "sotcheck: interrupted\n");
  }
}

}  // namespace
}  // namespace sotcheck
