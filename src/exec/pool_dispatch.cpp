// The pool's one loop (docs/process-pool.md): idle workers get the batch's next
// rule, a single ppoll waits on every channel up to the nearest deadline, and
// frames turn into verdicts in their catalog slots.

#include "pool.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <deque>

#include "sotcheck/util/interrupt_guard.hpp"

namespace sotcheck::exec::pool {

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

}  // namespace sotcheck::exec::pool
