// The progress bar and colour on a terminal. Unit tests drive ProgressBar on a
// pipe; the end-to-end tests run the binary inside tmux, whose pane is a real
// TTY, and record every byte the pane receives (pipe-pane), so a bar that is
// drawn and then erased is still seen.

#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "sotcheck/cli/progress.hpp"
#include "support/process.hpp"

namespace sotcheck {
namespace {

using testing::on_path;
using testing::TempDir;
namespace fs = std::filesystem;

std::string drain(int fd) {
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) out.append(buf, static_cast<std::size_t>(n));
  return out;
}

struct Pipe {
  Pipe() {
    EXPECT_EQ(::pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
  }
  ~Pipe() {
    ::close(fds[0]);
    ::close(fds[1]);
  }
  int fds[2] = {-1, -1};
};

TEST(ProgressWanted, NeverAlwaysAndAutoOnAPipe) {
  Pipe pipe;
  EXPECT_TRUE(cli::progress_wanted("always", pipe.fds[1]));
  EXPECT_FALSE(cli::progress_wanted("never", pipe.fds[1]));
  EXPECT_FALSE(cli::progress_wanted("auto", pipe.fds[1]));  // not a TTY
}

TEST(ProgressBar, RendersWithinTheWidth) {
  EXPECT_EQ(cli::ProgressBar::render("batch 2/4", "Roots", 5, 10, 80),
            "sotcheck batch 2/4 Roots [##########----------] 5/10 rules");
  const std::string narrow = cli::ProgressBar::render("batch 2/4", "A very long batch name indeed", 10, 10, 40);
  EXPECT_LE(narrow.size(), 40u);
  EXPECT_NE(narrow.find("[####################] 10/10 rules"), std::string::npos) << narrow;
  EXPECT_EQ(cli::ProgressBar::render("batch 1/1", "", 0, 0, 60),
            "sotcheck batch 1/1 [####################] 0/0 rules");
}

TEST(ProgressBar, DrawsAfterTheDelayAndErasesItselfAtTheEnd) {
  Pipe pipe;
  {
    cli::ProgressBar bar(pipe.fds[1], {{0, "Foundation"}, {3, "Matrix"}}, std::chrono::milliseconds(0));
    bar.update(0, 0, 1);
    const std::string first = drain(pipe.fds[0]);
    EXPECT_EQ(first, "\r\033[2Ksotcheck batch 1/2 Foundation [--------------------] 0/1 rules");
    bar.update(3, 2, 2);  // the last batch completes: drawn, then erased
    const std::string last = drain(pipe.fds[0]);
    EXPECT_NE(last.find("batch 2/2 Matrix [####################] 2/2 rules"), std::string::npos);
    EXPECT_EQ(last.substr(last.size() - 5), "\r\033[2K");
    bar.update(3, 2, 2);
    EXPECT_EQ(drain(pipe.fds[0]), "");  // finished: quiet
  }
  EXPECT_EQ(drain(pipe.fds[0]), "");
}

TEST(ProgressBar, AFastRunDrawsNothing) {
  Pipe pipe;
  {
    cli::ProgressBar bar(pipe.fds[1], {{0, "Foundation"}}, std::chrono::hours(1));
    bar.update(0, 0, 3);
    bar.update(0, 3, 3);
  }
  EXPECT_EQ(drain(pipe.fds[0]), "");
}

// ---- on a real terminal (tmux) -------------------------------------------------------


/// Runs `command` (sh syntax) in a fresh tmux server's 120x30 pane and
/// returns every byte the pane received. The command starts only once the
/// recording is on (a file handshake), and the pane stays until it is read.
std::string pane_bytes(const std::string& command, int* exit_code) {
  TempDir dir;
  const std::string go = dir.path() + "/go", done = dir.path() + "/done", log = dir.path() + "/pane.log";
  const std::string socket = "sotcheck-test-" + std::to_string(::getpid()) + "-" + fs::path(dir.path()).filename().string();
  const std::string tmux = "tmux -L " + socket + " -f /dev/null";
  const std::string script = "while [ ! -e " + go + " ]; do sleep 0.02; done; " + command + "; echo $? > " + done +
                             "; sleep 60";
  testing::write_file(dir.path() + "/script.sh", script + "\n");
  const auto start = testing::run_process(
      {"/bin/sh", "-c", tmux + " new-session -d -s t -x 120 -y 30 'sh " + dir.path() + "/script.sh' && " + tmux +
                            " pipe-pane -t t -o 'cat >> " + log + "' && touch " + go});
  EXPECT_EQ(start.exit_code, 0) << start.out << start.err;
  for (int i = 0; i < 600 && !fs::exists(done); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // let pipe-pane flush
  (void)testing::run_process({"/bin/sh", "-c", tmux + " kill-server"});
  *exit_code = fs::exists(done) ? std::atoi(testing::read_file(done).c_str()) : -1;
  return testing::read_file(log);
}

class OnATerminal : public ::testing::Test {
 protected:
  void SetUp() override {
    SOTCHECK_NEEDS_TOOL(on_path("tmux"), "tmux is not installed (scripts/install-deps.sh installs it)");
  }
  /// The binary with a clean environment (no CI, no colour overrides) plus `env`. Thread mode:
  /// the process pool does not report progress yet.
  std::string sotcheck(const std::string& env, const std::string& args) const {
    return "env -u CI -u GITHUB_ACTIONS -u GITLAB_CI -u BUILDKITE -u JENKINS_URL -u TF_BUILD -u NO_COLOR "
           "-u FORCE_COLOR -u CLICOLOR_FORCE TERM=xterm SOTCHECK_PROGRESS_DELAY_MS=0 " +
           env + " " + SOTCHECK_BINARY + " validate " + m_repo.path() + " --force --select AR --mode thread " + args;
  }
  TempDir m_repo;  // an empty repository: every AR rule runs (and fails), which is all a bar needs
};

TEST_F(OnATerminal, TheProgressBarDrawsOnATtyAndErasesItself) {
  int code = 0;
  const std::string bytes = pane_bytes(sotcheck("", "--format json=/dev/null"), &code);
  EXPECT_EQ(code, 1);
  EXPECT_NE(bytes.find("sotcheck batch 1/"), std::string::npos) << bytes;
  EXPECT_NE(bytes.find(" rules\r\033[2K"), std::string::npos) << bytes;  // erased after the last batch
}

TEST_F(OnATerminal, NoProgressBarInAPipeInCiOrWhenNever) {
  TempDir out;
  int code = 0;
  const std::string piped = pane_bytes(sotcheck("", "--format json=/dev/null 2>" + out.path() + "/err"), &code);
  EXPECT_EQ(code, 1);
  EXPECT_EQ(piped.find("sotcheck batch"), std::string::npos) << piped;
  EXPECT_EQ(testing::read_file(out.path() + "/err").find("batch"), std::string::npos);
  const std::string ci = pane_bytes(sotcheck("CI=true", "--format json=/dev/null"), &code);
  EXPECT_EQ(ci.find("sotcheck batch"), std::string::npos) << ci;
  const std::string never = pane_bytes(sotcheck("", "--progress never --format json=/dev/null"), &code);
  EXPECT_EQ(never.find("sotcheck batch"), std::string::npos) << never;
  // --progress always draws even into a pipe.
  (void)pane_bytes(sotcheck("", "--progress always --format json=/dev/null 2>" + out.path() + "/always"), &code);
  EXPECT_NE(testing::read_file(out.path() + "/always").find("sotcheck batch 1/"), std::string::npos);
}

TEST_F(OnATerminal, TextIsColouredOnATtyUnlessNoColorOrADumbTerminal) {
  int code = 0;
  const std::string coloured = pane_bytes(sotcheck("", "--progress never"), &code);
  EXPECT_NE(coloured.find("\033[31m"), std::string::npos) << coloured;  // CRITICAL failures in red
  const std::string no_color = pane_bytes(sotcheck("NO_COLOR=1", "--progress never"), &code);
  EXPECT_NE(no_color.find("AR001"), std::string::npos) << no_color;
  EXPECT_EQ(no_color.find("\033[31m"), std::string::npos) << no_color;
  const std::string dumb = pane_bytes(sotcheck("TERM=dumb", "--progress never"), &code);
  EXPECT_NE(dumb.find("AR001"), std::string::npos);
  EXPECT_EQ(dumb.find("\033[31m"), std::string::npos) << dumb;
}

TEST(Colour, ForceColorAndCliColorForceColourAPipeAndNoColorWinsOtherwise) {
  TempDir repo;
  const auto run = [&](const std::vector<std::string>& env) {
    std::vector<std::string> argv = {"/usr/bin/env", "-u", "NO_COLOR", "-u", "FORCE_COLOR", "-u", "CLICOLOR_FORCE",
                                     "-u", "CI"};
    argv.insert(argv.end(), env.begin(), env.end());
    argv.insert(argv.end(), {SOTCHECK_BINARY, "validate", repo.path(), "--force", "--select", "AR001"});
    return testing::run_process(argv).out;
  };
  EXPECT_EQ(run({}).find("\033["), std::string::npos);  // a pipe: plain
  EXPECT_NE(run({"FORCE_COLOR=1"}).find("\033[31m"), std::string::npos);
  EXPECT_NE(run({"CLICOLOR_FORCE=1"}).find("\033[31m"), std::string::npos);
  EXPECT_EQ(run({"FORCE_COLOR=0"}).find("\033["), std::string::npos);
  EXPECT_EQ(run({"NO_COLOR=1"}).find("\033["), std::string::npos);
}

}  // namespace
}  // namespace sotcheck
