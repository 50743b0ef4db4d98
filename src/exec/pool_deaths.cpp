// How the pool's workers end (docs/process-pool.md): a missed deadline, a
// crash, a bad exit or a protocol error becomes the ERROR verdict of the rule in
// flight and a replacement worker, until too many deaths make a crash loop; and
// the orderly shutdown at the end of the run.

#include "pool.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <thread>

#include "sotcheck/exec/worker_launch.hpp"

namespace sotcheck::exec::pool {
namespace {

std::string signal_name(int sig) {
  const char* abbrev = ::sigabbrev_np(sig);
  return abbrev != nullptr ? std::string("SIG") + abbrev : "signal " + std::to_string(sig);
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

}  // namespace

/// `--rule-timeout` as evidence: an integer when it is one (the usual case).
json seconds_json(double seconds) {
  if (seconds == std::floor(seconds) && seconds < 1e15) return static_cast<std::int64_t>(seconds);
  return seconds;
}

Death protocol_death(const std::string& detail) {
  Death death;
  death.message = "Execution error: protocol error from the worker: " + detail;
  death.evidence = {{"reason", "protocol"}, {"detail", detail}};
  return death;
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

}  // namespace sotcheck::exec::pool
