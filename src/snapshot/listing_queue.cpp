// Directories listed ahead of the walk (listing_queue.hpp).
#include "listing_queue.hpp"

#include <algorithm>
#include <mutex>

namespace sotcheck::snapshot {

Listing list_directory(TreeSource& source, std::string path) {
  Listing listing;
  listing.path = std::move(path);
  listing.listed = source.list(listing.path, &listing.entries, &listing.error);
  if (listing.listed)
    listing.has_identity = source.listed_identity(&listing.identity.first, &listing.identity.second);
  std::sort(listing.entries.begin(), listing.entries.end(),
            [](const SourceEntry& a, const SourceEntry& b) { return a.name < b.name; });
  return listing;
}

void ListingQueue::push(std::vector<std::string>& paths) {
  if (paths.empty()) return;
  {
    const std::lock_guard lock(m_mutex);
    for (std::string& path : paths) m_jobs.push_back(Job{std::move(path), State::queued, {}, nullptr});
  }
  paths.clear();
  m_work.notify_all();
}

void ListingQueue::take_and_run(std::unique_lock<AdaptiveMutex>& lock) {
  // deque::push_back keeps references to elements valid, and the walk pops
  // a job only once it is done, so the reference outlives the unlock.
  Job& job = m_jobs[static_cast<std::size_t>(m_next_to_take - m_first)];
  ++m_next_to_take;
  job.state = State::taken;
  lock.unlock();
  run(job);
  lock.lock();
  job.state = State::done;
}

void ListingQueue::run(Job& job) {
  try {
    job.listing = list_directory(m_source, std::move(job.path));
  } catch (...) {
    job.failure = std::current_exception();  // rethrown by next() on the walking thread
  }
}

Listing ListingQueue::next() {
  std::unique_lock lock(m_mutex);
  Job& head = m_jobs.front();
  while (head.state != State::done) {
    if (m_next_to_take < m_first + m_jobs.size()) {
      // Rather than wait, list the oldest queued directory: the head itself
      // when nobody took it, else the one a helper would have taken next.
      take_and_run(lock);
      continue;
    }
    m_walk_waiting = true;
    m_done.wait(lock, [&] { return head.state == State::done; });
    m_walk_waiting = false;
  }
  Job job = std::move(head);
  m_jobs.pop_front();
  ++m_first;
  lock.unlock();
  if (job.failure) std::rethrow_exception(job.failure);
  return std::move(job.listing);
}

void ListingQueue::help() {
  std::unique_lock lock(m_mutex);
  for (;;) {
    m_work.wait(lock, [&] { return m_closed || m_next_to_take < m_first + m_jobs.size(); });
    if (m_closed) return;  // the walk ended (or failed): what is still queued is nobody's
    take_and_run(lock);
    if (m_walk_waiting) m_done.notify_one();
  }
}

void ListingQueue::close() {
  {
    const std::lock_guard lock(m_mutex);
    m_closed = true;
  }
  m_work.notify_all();
}

}  // namespace sotcheck::snapshot
