// The parent side of the process pool: starting workers (fork or spawn), the
// one ppoll loop that dispatches rules and keeps every deadline, death
// classification and respawn, the crash-loop breaker, and the fallback to the
// thread pool. The worker side is process_pool_worker.cpp; the design is in
// docs/process-pool.md.

#include "sotcheck/exec/process_pool.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <deque>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "sotcheck/exec/channel.hpp"
#include "sotcheck/exec/worker_launch.hpp"
#include "sotcheck/util/errno_text.hpp"
#include "sotcheck/util/interrupt_guard.hpp"

namespace sotcheck::exec {
namespace {

using json = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;

/// Descriptors a spawned worker finds its image and channel on.
constexpr int k_spawn_image_fd = 3;
constexpr int k_spawn_channel_fd = 4;
/// A worker that has not said hello by then is counted as dead. Generous: a
/// spawned worker loads the catalog before its hello, on a machine that may be
/// busy (or under a sanitizer); a hang is what this catches, not slowness.
constexpr double k_min_start_timeout_seconds = 60.0;
/// How long a worker that closed its channel gets to finish exiting before it
/// is killed, so its exit status or signal can be classified.
constexpr auto k_exit_grace = std::chrono::seconds(2);

using util::errno_text;

std::string signal_name(int sig) {
  const char* abbrev = ::sigabbrev_np(sig);
  return abbrev != nullptr ? std::string("SIG") + abbrev : "signal " + std::to_string(sig);
}

/// Threads in this process, from /proc/self/status (0 if unknown).
unsigned thread_count() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("Threads:", 0) == 0) return static_cast<unsigned>(std::strtoul(line.c_str() + 8, nullptr, 10));
  return 0;
}

/// Closes every descriptor from `lowest` up.
void close_descriptors_from(int lowest) {
  if (::close_range(static_cast<unsigned>(lowest), ~0u, 0) == 0) return;
  const long max = std::min(::sysconf(_SC_OPEN_MAX), 65536L);
  for (long fd = lowest; fd < max; ++fd) ::close(static_cast<int>(fd));
}

/// A forked worker that cannot set itself up says why on stderr and exits
/// with a status the parent recognises (describe_startup_exit).
[[noreturn]] void worker_setup_failed(const char* what) {
  std::fprintf(stderr, "sotcheck worker %d: cannot set up the worker process: %s\n", static_cast<int>(::getpid()), what);
  std::fflush(stderr);
  ::_exit(k_exit_worker_setup_failed);
}

/// What a worker's exit status means when it died before its hello, for the
/// fallback reason ("" when the status says nothing particular).
std::string describe_startup_exit(int status) {
  switch (status) {
    case k_exit_worker_setup_failed:
      return "the worker could not set up its process (descriptors, signals; ulimit -n?), see its message on stderr";
    case k_exit_exec_failed:
      return "the worker program could not be executed, see its message on stderr";
    case 2:
      return "the spawned worker could not load the catalog or attach the image, see its message on stderr";
    default:
      return "";
  }
}

/// `--rule-timeout` as evidence: an integer when it is one (the usual case).
json seconds_json(double seconds) {
  if (seconds == std::floor(seconds) && seconds < 1e15) return static_cast<std::int64_t>(seconds);
  return seconds;
}

/// Why a worker went away, as the ERROR verdict of the rule it had in flight.
struct Death {
  std::string message;
  json evidence;  ///< empty: classify from the exit status
  bool timeout = false;
  /// For a worker that closed its channel: the protocol problem to report if
  /// it then exited with status 0 (e.g. it stopped in the middle of a frame).
  std::string clean_exit_detail;
};

Death protocol_death(const std::string& detail) {
  Death death;
  death.message = "Execution error: protocol error from the worker: " + detail;
  death.evidence = {{"reason", "protocol"}, {"detail", detail}};
  return death;
}

enum class WorkerState { starting, idle, busy, dead };

struct Worker {
  pid_t pid = -1;
  int fd = -1;  ///< parent end of the channel, non-blocking
  WorkerState state = WorkerState::dead;
  std::size_t rule = 0;  ///< catalog index in flight (busy)
  Clock::time_point deadline{};
  FrameDecoder decoder;
  VerdictAssembler verdict;  ///< the slices of a verdict sent over several frames
};

enum class BatchOutcome { done, degraded, interrupted };

class Pool {
 public:
  Pool(const RunContext& context, const PoolOptions& options, util::RunStats& stats, const sigset_t* poll_mask,
       std::vector<Verdict>& verdicts, std::vector<bool>& have, const std::vector<std::size_t>& slots)
      : m_context(context),
        m_options(options),
        m_stats(stats),
        m_poll_mask(poll_mask),
        m_verdicts(verdicts),
        m_have(have),
        m_slots(slots),
        m_fingerprint(catalog_fingerprint(context.catalog)) {}
  ~Pool() { kill_all(); }
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  util::Result<void> start();
  BatchOutcome run_batch(const plan::PlannedBatch& batch);
  /// Closes every channel (workers exit on EOF) and reaps them.
  void shutdown();
  const std::string& degrade_reason() const { return m_degrade_reason; }
  bool used() const { return m_used; }

 private:
  util::Result<void> launch(Worker& worker);
  util::Result<pid_t> launch_fork(int child_fd);
  util::Result<pid_t> launch_spawn(int child_fd);
  void start_or_degrade(Worker& worker, const std::string& why_needed);
  bool dispatch(Worker& worker, std::size_t rule);
  void service(Worker& worker);
  void handle_frame(Worker& worker, Frame frame);
  void worker_died(Worker& worker, Death death, bool kill_first);
  void record(std::size_t rule, Verdict verdict);
  void degrade(std::string reason);
  bool any_live() const;
  bool any_state(WorkerState state) const;
  /// One ppoll round over every live worker, bounded by the nearest deadline.
  void poll_once();
  void expire_deadlines();
  static void kill_and_reap(Worker& worker, int* status);
  void kill_all();
  double start_timeout() const {
    return std::max(k_min_start_timeout_seconds, m_options.rule_timeout_seconds);
  }

  const RunContext& m_context;
  const PoolOptions& m_options;
  util::RunStats& m_stats;
  const sigset_t* m_poll_mask;
  std::vector<Verdict>& m_verdicts;
  std::vector<bool>& m_have;
  const std::vector<std::size_t>& m_slots;
  const std::string m_fingerprint;
  std::vector<Worker> m_workers;
  unsigned m_deaths = 0;
  bool m_degraded = false;
  bool m_used = false;
  std::string m_degrade_reason;
  std::string m_last_death;
  std::size_t m_outstanding = 0;  ///< verdicts the current batch still waits for
};

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

bool Pool::any_live() const {
  return std::any_of(m_workers.begin(), m_workers.end(), [](const Worker& w) { return w.state != WorkerState::dead; });
}

bool Pool::any_state(WorkerState state) const {
  return std::any_of(m_workers.begin(), m_workers.end(), [&](const Worker& w) { return w.state == state; });
}

void Pool::record(std::size_t rule, Verdict verdict) {
  const std::size_t slot = m_slots[rule];
  m_verdicts[slot] = std::move(verdict);
  m_have[slot] = true;
  if (m_outstanding > 0) --m_outstanding;
}

void Pool::degrade(std::string reason) {
  if (m_degraded) return;
  m_degraded = true;
  m_degrade_reason = std::move(reason);
}

bool Pool::dispatch(Worker& worker, std::size_t rule) {
  const std::string frame = encode_frame(FrameType::request, encode_request(static_cast<std::uint32_t>(rule)));
  // The request is a few bytes into an empty socket buffer: a non-blocking
  // send either takes it whole or the worker is gone.
  const ssize_t sent = ::send(worker.fd, frame.data(), frame.size(), MSG_NOSIGNAL);
  if (sent != static_cast<ssize_t>(frame.size())) return false;
  worker.state = WorkerState::busy;
  worker.rule = rule;
  worker.deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                       std::chrono::duration<double>(m_options.rule_timeout_seconds));
  m_used = true;
  return true;
}

void Pool::kill_and_reap(Worker& worker, int* status) {
  // Each worker leads its own process group: kill the group, so nothing it
  // might have started survives it.
  if (::kill(-worker.pid, SIGKILL) != 0) ::kill(worker.pid, SIGKILL);
  int st = 0;
  while (::waitpid(worker.pid, &st, 0) < 0 && errno == EINTR) {
  }
  if (status) *status = st;
}

void Pool::worker_died(Worker& worker, Death death, bool kill_first) {
  int status = 0;
  if (kill_first) {
    kill_and_reap(worker, &status);
  } else {
    // The channel hit EOF: the worker is exiting. Give it a moment so its own
    // exit status or signal is what gets classified, then make sure.
    const auto until = Clock::now() + k_exit_grace;
    pid_t reaped = 0;
    while ((reaped = ::waitpid(worker.pid, &status, WNOHANG)) == 0 && Clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    if (reaped == 0) {
      kill_and_reap(worker, &status);
      death.message = "Execution error: the worker closed its channel without exiting";
      death.evidence = {{"reason", "protocol"}, {"detail", "channel closed by a live worker"}};
    } else if (death.evidence.empty()) {
      if (WIFSIGNALED(status)) {
        const std::string sig = signal_name(WTERMSIG(status));
        death.message = "Execution error: the worker evaluating this rule crashed (" + sig + ")";
        death.evidence = {{"reason", "crash"}, {"signal", sig}};
      } else if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && !death.clean_exit_detail.empty()) {
        death.message = "Execution error: protocol error from the worker: " + death.clean_exit_detail;
        death.evidence = {{"reason", "protocol"}, {"detail", death.clean_exit_detail}};
      } else {
        const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        death.message = "Execution error: the worker evaluating this rule exited with status " + std::to_string(code);
        death.evidence = {{"reason", "exit"}, {"status", code}};
        if (worker.state == WorkerState::starting) {
          if (const std::string why = describe_startup_exit(code); !why.empty()) death.evidence["detail"] = why;
        }
      }
    }
  }
  if (worker.fd >= 0) ::close(worker.fd);
  worker.fd = -1;
  const WorkerState was = worker.state;
  worker.state = WorkerState::dead;
  worker.pid = -1;

  ++m_deaths;
  m_stats.add_counter(death.timeout ? "timeouts" : "crashes", 1);
  m_last_death = death.evidence.dump();
  if (was == WorkerState::busy) {
    const catalog::Rule& rule = m_context.catalog.rules[worker.rule];
    Verdict verdict = error_verdict(rule, death.message, death.evidence);
    verdict.timestamp = utc_timestamp_now(m_context.profile == checks::Profile::strict);
    record(worker.rule, std::move(verdict));
  }

  if (m_deaths > m_options.max_worker_deaths) {
    degrade("crash loop: " + std::to_string(m_deaths) + " worker deaths in this run (last: " + m_last_death + ")");
    return;
  }
  if (m_degraded) return;
  start_or_degrade(worker, "replacing a dead worker");
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

void Pool::handle_frame(Worker& worker, Frame frame) {
  if (worker.state == WorkerState::starting && frame.type == FrameType::hello) {
    std::string fingerprint;
    try {
      fingerprint = json::parse(frame.payload).at("catalog").get<std::string>();
    } catch (const json::exception&) {
      fingerprint = "<unreadable hello>";
    }
    if (fingerprint != m_fingerprint) {
      worker_died(worker, protocol_death("the worker's catalog " + fingerprint + " differs from the parent's " +
                                         m_fingerprint),
                  true);
      return;
    }
    worker.state = WorkerState::idle;
    return;
  }
  if (worker.state == WorkerState::busy &&
      (frame.type == FrameType::verdict || frame.type == FrameType::verdict_part)) {
    auto whole = worker.verdict.add(std::move(frame));
    if (!whole) {
      worker_died(worker, protocol_death(whole.error()), true);
      return;
    }
    if (!whole->has_value()) return;  // more slices to come
    std::string detail;
    try {
      auto value = json::from_cbor(**whole);
      auto verdict = verdict_from_json(value);
      if (!verdict) {
        detail = verdict.error();
      } else if (verdict->rule_id != m_context.catalog.rules[worker.rule].id) {
        detail = "verdict for " + verdict->rule_id + " while " + m_context.catalog.rules[worker.rule].id +
                 " was in flight";
      } else {
        record(worker.rule, std::move(*verdict));
        worker.state = WorkerState::idle;
        return;
      }
    } catch (const json::exception& e) {
      detail = std::string("undecodable verdict: ") + e.what();
    }
    worker_died(worker, protocol_death(detail), true);
    return;
  }
  const std::string detail = "unexpected frame type " + std::to_string(static_cast<int>(frame.type));
  worker_died(worker, protocol_death(detail), true);
}

void Pool::service(Worker& worker) {
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::read(worker.fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (n <= 0) {
      // EOF (or a reset): the worker is gone or going. Frames before it have
      // been handled; a partial frame only matters if the worker then exited
      // cleanly, otherwise its signal or exit status is the better reason.
      auto finished = worker.decoder.finish();
      Death death;
      if (!finished) death.clean_exit_detail = finished.error();
      worker_died(worker, std::move(death), false);
      return;
    }
    (void)worker.decoder.feed(buffer, static_cast<std::size_t>(n));
    // Frames complete before any garbage still count; then a bad header (in
    // this chunk, or right behind a good frame) kills the worker.
    while (worker.state != WorkerState::dead) {
      auto frame = worker.decoder.next();
      if (!frame) break;
      handle_frame(worker, std::move(*frame));
    }
    if (worker.state == WorkerState::dead) return;
    if (auto state = worker.decoder.status(); !state) {
      worker_died(worker, protocol_death(state.error()), true);
      return;
    }
  }
}

void Pool::expire_deadlines() {
  const auto now = Clock::now();
  for (Worker& worker : m_workers) {
    if (worker.state == WorkerState::busy && now >= worker.deadline) {
      const json seconds = seconds_json(m_options.rule_timeout_seconds);
      Death death;
      death.message = "Execution error: the rule did not finish within " + seconds.dump() + " s; its worker was killed";
      death.evidence = {{"reason", "timeout"}, {"seconds", seconds}};
      death.timeout = true;
      worker_died(worker, std::move(death), true);
    } else if (worker.state == WorkerState::starting && now >= worker.deadline) {
      worker_died(worker, protocol_death("no hello within " + seconds_json(start_timeout()).dump() + " s"), true);
    }
  }
}

void Pool::poll_once() {
  std::vector<pollfd> fds;
  std::vector<Worker*> owners;
  auto nearest = Clock::time_point::max();
  for (Worker& worker : m_workers) {
    if (worker.state == WorkerState::dead) continue;
    fds.push_back({worker.fd, POLLIN, 0});
    owners.push_back(&worker);
    if (worker.state == WorkerState::busy || worker.state == WorkerState::starting)
      nearest = std::min(nearest, worker.deadline);
  }
  timespec timeout{};
  timespec* timeout_ptr = nullptr;
  if (nearest != Clock::time_point::max()) {
    const auto left = std::max(Clock::duration::zero(), nearest - Clock::now());
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(left).count() + 1000000;  // round up 1 ms
    timeout.tv_sec = static_cast<time_t>(ns / 1000000000);
    timeout.tv_nsec = static_cast<long>(ns % 1000000000);
    timeout_ptr = &timeout;
  }
  if (fds.empty()) return;
  const int ready = ::ppoll(fds.data(), fds.size(), timeout_ptr, m_poll_mask);
  if (ready < 0) return;  // EINTR: the caller looks at InterruptGuard::recorded()
  for (std::size_t i = 0; i < fds.size(); ++i)
    if (fds[i].revents != 0 && owners[i]->state != WorkerState::dead) service(*owners[i]);
  expire_deadlines();
}

BatchOutcome Pool::run_batch(const plan::PlannedBatch& batch) {
  std::deque<std::size_t> pending(batch.rules.begin(), batch.rules.end());
  m_outstanding = batch.rules.size();
  for (;;) {
    if (util::InterruptGuard::recorded() != 0) return BatchOutcome::interrupted;
    if (!m_degraded) {
      for (Worker& worker : m_workers) {
        if (pending.empty()) break;
        if (worker.state != WorkerState::idle) continue;
        if (dispatch(worker, pending.front())) {
          pending.pop_front();
        } else {
          // The worker was gone before it got the rule: it costs no verdict.
          worker_died(worker, protocol_death("the request could not be sent"), true);
          if (m_degraded) break;
        }
      }
    }
    if (!any_state(WorkerState::busy)) {
      if (m_degraded) return BatchOutcome::degraded;  // the rest goes to the thread pool
      if (m_outstanding == 0) return BatchOutcome::done;
      if (!any_live()) {
        degrade("no worker left" + (m_last_death.empty() ? "" : " (" + m_last_death + ")"));
        return BatchOutcome::degraded;
      }
    }
    poll_once();
  }
}

void Pool::shutdown() {
  for (Worker& worker : m_workers)
    if (worker.state != WorkerState::dead) {
      ::close(worker.fd);  // the worker reads EOF and exits 0
      worker.fd = -1;
    }
  const auto until = Clock::now() + k_exit_grace;
  for (Worker& worker : m_workers) {
    if (worker.state == WorkerState::dead) continue;
    int status = 0;
    pid_t reaped = 0;
    while ((reaped = ::waitpid(worker.pid, &status, WNOHANG)) == 0 && Clock::now() < until)
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    if (reaped == 0) kill_and_reap(worker, nullptr);
    worker.state = WorkerState::dead;
    worker.pid = -1;
  }
}

void Pool::kill_all() {
  for (Worker& worker : m_workers) {
    if (worker.state == WorkerState::dead) continue;
    kill_and_reap(worker, nullptr);
    if (worker.fd >= 0) ::close(worker.fd);
    worker.fd = -1;
    worker.state = WorkerState::dead;
  }
}

}  // namespace

std::string_view start_method_name(StartMethod method) { return method == StartMethod::spawn ? "spawn" : "fork"; }

util::Result<FaultSpec> parse_fault_spec(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0)
    return util::make_error("--debug-inject-fault " + std::string(text) +
                            ": expected RULE_ID:crash|abort|hang|exit|garbage or pool:fork");
  FaultSpec spec;
  spec.rule_id = std::string(text.substr(0, colon));
  const std::string_view kind = text.substr(colon + 1);
  if (spec.rule_id == "pool") {
    if (kind != "fork") return util::make_error("--debug-inject-fault pool:" + std::string(kind) + ": expected pool:fork");
    spec.kind = FaultKind::pool_fork;
    return spec;
  }
  if (kind == "crash") spec.kind = FaultKind::crash;
  else if (kind == "abort") spec.kind = FaultKind::abort;
  else if (kind == "hang") spec.kind = FaultKind::hang;
  else if (kind == "exit") spec.kind = FaultKind::exit;
  else if (kind == "garbage") spec.kind = FaultKind::garbage;
  else
    return util::make_error("--debug-inject-fault " + std::string(text) +
                            ": the fault is one of crash, abort, hang, exit, garbage");
  return spec;
}

std::string fault_spec_text(const FaultSpec& fault) {
  static constexpr const char* k_names[] = {"crash", "abort", "hang", "exit", "garbage", "fork"};
  return fault.rule_id + ":" + k_names[static_cast<int>(fault.kind)];
}

PoolResult run_process_pool(const RunContext& context, const PoolOptions& options, util::RunStats& stats) {
  PoolResult result;
  const std::size_t count = context.plan.selected.size();
  std::vector<Verdict> verdicts(count);
  std::vector<bool> have(count, false);
  std::vector<std::size_t> slots(context.catalog.rules.size(), 0);
  for (std::size_t pos = 0; pos < count; ++pos) slots[context.plan.selected[pos]] = pos;
  for (const char* counter : {"workers_started", "respawns", "timeouts", "crashes", "fallbacks"})
    stats.add_counter(counter, 0);

  {
    // Interrupts (ninja's subprocess-posix scheme): SIGINT/SIGTERM/SIGHUP stay
    // blocked while the pool runs and arrive only inside its ppoll, where they
    // are just recorded; the loop then kills the workers.
    const util::InterruptGuard guard(util::InterruptGuard::record, util::InterruptGuard::Delivery::blocked);
    Pool pool(context, options, stats, guard.poll_mask(), verdicts, have, slots);
    auto started = pool.start();
    if (!started) {
      result.fallback_reason = "cannot start worker processes: " + started.error();
    } else {
      for (const auto& batch : context.plan.batches) {
        if (util::InterruptGuard::recorded() != 0) break;
        util::Stopwatch watch;
        const BatchOutcome outcome = pool.run_batch(batch);
        stats.add_phase("batch " + std::to_string(batch.id), watch.seconds());
        if (outcome == BatchOutcome::interrupted) break;
        if (outcome == BatchOutcome::degraded) {
          result.fallback_reason = pool.degrade_reason();
          break;
        }
      }
      if (util::InterruptGuard::recorded() == 0) {
        util::Stopwatch watch;
        pool.shutdown();
        stats.add_phase("pool_shutdown", watch.seconds());
      }
    }
    result.used_processes = pool.used();
  }  // the pool's destructor kills what is left; the guard then restores the signal state
  if (const int signal_number = util::InterruptGuard::recorded(); signal_number != 0) {
    result.interrupted_by = signal_number;
    result.verdicts.clear();
    return result;
  }

  if (!result.fallback_reason.empty()) {
    // The rules without a verdict run on the thread pool, batch by batch, over
    // the same image.
    stats.add_counter("fallbacks", 1);
    plan::Plan rest;
    for (const auto& batch : context.plan.batches) {
      plan::PlannedBatch part{batch.id, batch.name, {}};
      for (std::size_t index : batch.rules)
        if (!have[slots[index]]) {
          part.rules.push_back(index);
          rest.selected.push_back(index);
        }
      rest.batches.push_back(std::move(part));
    }
    std::sort(rest.selected.begin(), rest.selected.end(),
              [&](std::size_t a, std::size_t b) { return slots[a] < slots[b]; });
    const RunContext rest_context{context.catalog, rest, context.profile, context.image};
    std::vector<Verdict> rest_verdicts = run_threads(rest_context, options.workers, stats);
    for (std::size_t i = 0; i < rest.selected.size(); ++i) {
      verdicts[slots[rest.selected[i]]] = std::move(rest_verdicts[i]);
      have[slots[rest.selected[i]]] = true;
    }
  }
  result.verdicts = std::move(verdicts);
  return result;
}

}  // namespace sotcheck::exec
