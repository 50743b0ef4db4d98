#pragma once
/// Starting a worker program (the spawn start method) with fork + exec rather
/// than posix_spawn. glibc's posix_spawn waits, inside the call, until the
/// child has exec'd (CLONE_VFORK): a child stopped before its exec froze the
/// parent there with its interrupts blocked. Here the parent returns as soon
/// as fork does, and the pool's hello deadline covers a child that never gets
/// going. The child asks for SIGKILL when its parent dies before it execs, so
/// even a child stopped at that point cannot outlive the run.

#include <sys/types.h>

#include <string>
#include <utility>
#include <vector>

#include "sotcheck/util/result.hpp"

namespace sotcheck::exec {

/// Exit status of a launched child whose exec failed (after it printed why).
inline constexpr int k_exit_exec_failed = 127;
/// Exit status of a worker that could not set up its process (descriptors,
/// death signal, signal state) before it could say hello; it prints why.
inline constexpr int k_exit_worker_setup_failed = 120;

struct WorkerLaunch {
  std::string executable;
  std::vector<std::string> argv;
  /// (descriptor here, number in the child): each is placed on its number,
  /// stdin and stdout become /dev/null, stderr is kept, everything else closed.
  std::vector<std::pair<int, int>> descriptors;
  pid_t parent_pid = 0;  ///< the child gives up if its parent is no longer this one
  /// Tests only: the child stops itself (SIGSTOP) right before its exec.
  bool stop_before_exec = false;
};

/// Forks and execs `launch.executable` in its own process group, with the
/// parent-death signal set, every signal at its default and none blocked.
/// Fails (without forking) when the executable cannot be run.
util::Result<pid_t> launch_worker_process(const WorkerLaunch& launch);

}  // namespace sotcheck::exec
