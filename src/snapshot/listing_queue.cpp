// Directories listed ahead of the walk (listing_queue.hpp).
#include "listing_queue.hpp"

#include <algorithm>
#include <mutex>
#include <new>
#include <optional>

namespace sotcheck::snapshot {

Listing list_directory(DirectoryLister& lister, std::string path) {
  Listing listing;
  listing.path = std::move(path);
  std::optional<std::pair<std::uint64_t, std::uint64_t>> identity;
  listing.listed = lister.list(listing.path, &listing.entries, &listing.error, &identity);
  if (listing.listed && identity) {
    listing.has_identity = true;
    listing.identity = *identity;
  }
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

void ListingQueue::take_and_run(std::unique_lock<AdaptiveMutex>& lock, DirectoryLister& lister) {
  // deque::push_back keeps references to elements valid, and the walk pops
  // a job only once it is done, so the reference outlives the unlock.
  Job& job = m_jobs[static_cast<std::size_t>(m_next_to_take - m_first)];
  ++m_next_to_take;
  job.state = State::taken;
  lock.unlock();
  run(job, lister);
  lock.lock();
  job.state = State::done;
}

void ListingQueue::run(Job& job, DirectoryLister& lister) {
  try {
    job.listing = list_directory(lister, std::move(job.path));
  } catch (...) {
    job.failure = std::current_exception();  // rethrown by next() on the walking thread
  }
}

Listing ListingQueue::next() {
  if (!m_walk_lister) m_walk_lister = m_source.lister();
  std::unique_lock lock(m_mutex);
  Job& head = m_jobs.front();
  while (head.state != State::done) {
    if (m_next_to_take < m_first + m_jobs.size()) {
      // Rather than wait, list the oldest queued directory: the head itself
      // when nobody took it, else the one a helper would have taken next.
      take_and_run(lock, *m_walk_lister);
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
  std::unique_ptr<DirectoryLister> lister;
  try {
    lister = m_source.lister();  // before the lock: it allocates
  } catch (const std::bad_alloc&) {
    return;  // a helper less: the walk lists what nobody took itself, so the tree is the same
  }
  std::unique_lock lock(m_mutex);
  for (;;) {
    m_work.wait(lock, [&] { return m_closed || m_next_to_take < m_first + m_jobs.size(); });
    if (m_closed) return;  // the walk ended (or failed): what is still queued is nobody's
    take_and_run(lock, *lister);
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
