#include "sotcheck/exec/worker_launch.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "child_setup.hpp"

namespace sotcheck::exec {
namespace {

/// Between fork and exec only async-signal-safe calls: write(2) what failed, then leave.
[[noreturn]] void child_fail(const char* what, int exit_status) {
  const int error = errno;
  const char* reason = ::strerrordesc_np(error);
  static constexpr char k_prefix[] = "sotcheck worker: ";
  (void)!::write(STDERR_FILENO, k_prefix, sizeof k_prefix - 1);
  (void)!::write(STDERR_FILENO, what, std::strlen(what));
  (void)!::write(STDERR_FILENO, ": ", 2);
  if (reason != nullptr) (void)!::write(STDERR_FILENO, reason, std::strlen(reason));
  (void)!::write(STDERR_FILENO, "\n", 1);
  ::_exit(exit_status);
}

}  // namespace

util::Result<pid_t> launch_worker_process(const WorkerLaunch& launch) {
  // Checked here so a missing or unexecutable program is a clear, immediate
  // error rather than a worker that dies at once.
  if (::access(launch.executable.c_str(), X_OK) != 0)
    return util::make_error("cannot execute " + launch.executable + ": " + std::strerror(errno));
  // Everything the child needs is prepared before fork: it must not allocate.
  std::vector<std::string> args = launch.argv;
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  int highest_target = STDERR_FILENO;
  for (const auto& [from, to] : launch.descriptors) highest_target = std::max(highest_target, to);
  std::vector<int> moved(launch.descriptors.size(), -1);

  const pid_t pid = ::fork();
  if (pid < 0) return util::make_error(std::string("fork: ") + std::strerror(errno));
  if (pid > 0) {
    (void)::setpgid(pid, pid);  // also done by the child; whichever runs first wins the race
    return pid;
  }

  // The child. Own process group first (a Ctrl-C reaches only the parent),
  // then the death signal, then the check that the parent did not die before it.
  (void)::setpgid(0, 0);
  if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) child_fail("prctl(PR_SET_PDEATHSIG)", k_exit_worker_setup_failed);
  if (::getppid() != launch.parent_pid) ::_exit(k_exit_worker_setup_failed);
  if (launch.stop_before_exec) ::raise(SIGSTOP);
  // Move every descriptor above the targets first, so no dup2 below overwrites
  // a source that is still to be placed; these copies need only a few numbers
  // above the targets, not a high range (ulimit -n may be small).
  for (std::size_t i = 0; i < launch.descriptors.size(); ++i) {
    moved[i] = ::fcntl(launch.descriptors[i].first, F_DUPFD_CLOEXEC, highest_target + 1);
    if (moved[i] < 0) child_fail("moving a descriptor", k_exit_worker_setup_failed);
  }
  for (std::size_t i = 0; i < launch.descriptors.size(); ++i)
    if (::dup2(moved[i], launch.descriptors[i].second) < 0) child_fail("dup2", k_exit_worker_setup_failed);
  const int null_in = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  const int null_out = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (null_in < 0 || null_out < 0 || ::dup2(null_in, STDIN_FILENO) < 0 || ::dup2(null_out, STDOUT_FILENO) < 0)
    child_fail("redirecting stdin and stdout to /dev/null", k_exit_worker_setup_failed);
  close_descriptors_from(highest_target + 1);
  // The parent's interrupt handler and mask must not carry over (ignored signals would survive exec).
  reset_signal_state();
  ::execv(launch.executable.c_str(), argv.data());
  child_fail("exec", k_exit_exec_failed);
}

}  // namespace sotcheck::exec
