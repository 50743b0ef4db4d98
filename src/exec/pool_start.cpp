// Starting the pool's workers (docs/process-pool.md): fork, where the child
// inherits the image mapping, the catalog and the plan, or spawn (fork + exec of
// `sotcheck __worker`), and the wait for every worker's hello.

#include "pool.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "child_setup.hpp"
#include "sotcheck/exec/worker_launch.hpp"
#include "sotcheck/util/errno_text.hpp"
#include "sotcheck/util/interrupt_guard.hpp"

namespace sotcheck::exec::pool {
namespace {

using util::errno_text;

/// Threads in this process, from /proc/self/status (0 if unknown).
unsigned thread_count() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("Threads:", 0) == 0) return static_cast<unsigned>(std::strtoul(line.c_str() + 8, nullptr, 10));
  return 0;
}

/// A forked worker that cannot set itself up says why on stderr and exits
/// with a status the parent recognises (describe_startup_exit).
[[noreturn]] void worker_setup_failed(const char* what) {
  std::fprintf(stderr, "sotcheck worker %d: cannot set up the worker process: %s\n", static_cast<int>(::getpid()), what);
  std::fflush(stderr);
  ::_exit(k_exit_worker_setup_failed);
}

}  // namespace

util::Result<pid_t> Pool::launch_fork(int child_fd) {
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) return util::make_error(errno_text("fork", errno));
  if (pid > 0) {
    (void)::setpgid(pid, pid);  // also done by the child; whichever runs first wins the race
    return pid;
  }
  // The child: it inherited the sealed read-only image mapping, the catalog and
  // the plan; it must never return into the parent's code. The channel goes
  // straight onto fd 3 (whatever was there is not needed: the image is
  // mapped), so this needs no spare descriptor even under a small ulimit -n.
  if (child_fd != 3 && ::dup2(child_fd, 3) < 0) worker_setup_failed("placing the channel on descriptor 3");
  close_descriptors_from(4);  // other workers' channels, the image fd, anything else
  if (auto prepared = prepare_worker_process(parent); !prepared) worker_setup_failed(prepared.error().c_str());
  const WorkerContext worker_context{m_context.catalog, m_context.profile, m_context.image, m_options.faults};
  ::_exit(serve_worker(3, worker_context));
}

util::Result<pid_t> Pool::launch_spawn(int child_fd) {
  if (m_options.image_fd < 0) return util::make_error("spawn needs the image descriptor, and there is none");
  WorkerLaunch launch;
  launch.executable = m_options.worker_executable;
  launch.argv = {"sotcheck",
                 "__worker",
                 "--image-fd",
                 std::to_string(k_spawn_image_fd),
                 "--channel-fd",
                 std::to_string(k_spawn_channel_fd),
                 "--parent-pid",
                 std::to_string(::getpid()),
                 "--profile",
                 std::string(catalog::profile_name(m_context.profile))};
  if (!m_options.catalog_dir.empty()) {
    launch.argv.push_back("--catalog");
    launch.argv.push_back(m_options.catalog_dir);
  }
  for (const FaultSpec& fault : m_options.faults) {
    launch.argv.push_back("--debug-inject-fault");
    launch.argv.push_back(fault_spec_text(fault));
  }
  launch.descriptors = {{m_options.image_fd, k_spawn_image_fd}, {child_fd, k_spawn_channel_fd}};
  launch.parent_pid = ::getpid();
  launch.stop_before_exec = m_options.stop_spawned_worker_before_exec;
  // fork + exec, not posix_spawn: the parent never waits for the child's exec
  // (a child stopped before it would hang the parent), and the child carries
  // the parent-death signal from before its exec.
  return launch_worker_process(launch);
}

util::Result<void> Pool::launch(Worker& worker) {
  int pair[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
    return util::make_error(errno_text("socketpair", errno));
  auto pid = m_options.start_method == StartMethod::spawn ? launch_spawn(pair[1]) : launch_fork(pair[1]);
  ::close(pair[1]);
  if (!pid) {
    ::close(pair[0]);
    return util::make_error(pid.error());
  }
  ::fcntl(pair[0], F_SETFL, ::fcntl(pair[0], F_GETFL) | O_NONBLOCK);
  worker.pid = *pid;
  worker.fd = pair[0];
  worker.state = WorkerState::starting;
  worker.decoder = FrameDecoder();
  worker.verdict.reset();
  worker.deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                       std::chrono::duration<double>(start_timeout()));
  m_stats.add_counter("workers_started", 1);
  return {};
}

util::Result<void> Pool::start() {
  for (const FaultSpec& fault : m_options.faults)
    if (fault.kind == FaultKind::pool_fork)
      return util::make_error(std::string(start_method_name(m_options.start_method)) +
                              ": Resource temporarily unavailable (injected by --debug-inject-fault pool:fork)");
  // fork() copies only the calling thread: a lock held by any other thread
  // (malloc, a logger) would stay locked forever in the child.
  if (m_options.start_method == StartMethod::fork) {
    const unsigned threads = thread_count();
    if (threads > 1)
      return util::make_error("refusing to fork with " + std::to_string(threads) + " threads alive in the parent");
  }
  // More workers than the largest batch has rules would only sit idle.
  std::size_t largest = 1;
  for (const auto& batch : m_context.plan.batches) largest = std::max(largest, batch.rules.size());
  const std::size_t count = std::max<std::size_t>(1, std::min<std::size_t>(m_options.workers, largest));

  util::Stopwatch watch;
  m_workers.resize(count);
  std::string first_error;
  for (Worker& worker : m_workers) {
    auto launched = launch(worker);
    if (!launched && first_error.empty()) first_error = launched.error();
  }
  if (!any_live()) return util::make_error(first_error);
  // Wait for every hello, so batch 0 starts with a full pool and worker_start
  // measures the real start-up cost. Deaths here count towards the crash loop.
  while (any_state(WorkerState::starting) && !m_degraded && util::InterruptGuard::recorded() == 0) poll_once();
  m_stats.add_phase("worker_start", watch.seconds());
  if (util::InterruptGuard::recorded() != 0) return {};
  if (!any_state(WorkerState::idle))
    return util::make_error("no worker came up" + (m_last_death.empty() ? "" : " (" + m_last_death + ")"));
  return {};
}

void Pool::start_or_degrade(Worker& worker, const std::string& why_needed) {
  util::Stopwatch watch;
  auto launched = launch(worker);
  m_stats.add_phase("worker_start", watch.seconds());
  if (launched) {
    m_stats.add_counter("respawns", 1);
    return;
  }
  m_last_death = launched.error();
  if (!any_live()) degrade("cannot start a worker (" + why_needed + "): " + launched.error());
}

}  // namespace sotcheck::exec::pool
