#pragma once
// The walk's directories to list, listed ahead of it by helper threads.
//
// The walk (walker.cpp) decides everything in breadth-first order on one
// thread: loops, flags, the children's places. Only the listings (getdents,
// a stat per file, symlink resolution) run on helpers, which take queued
// directories oldest first while the walk consumes their listings in the
// same order. So the tree it records does not depend on how many helpers ran,
// or on which of them listed what; with no helper, the walking thread lists
// each directory itself when it reaches it, exactly the sequential walk.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "adaptive_mutex.hpp"
#include "sotcheck/snapshot/tree_source.hpp"

namespace sotcheck::snapshot {

/// One directory's listing, sorted byte-wise by name.
struct Listing {
  std::string path;  ///< relative to the root, as queued (the children's paths are built from it)
  std::vector<SourceEntry> entries;
  bool listed = false;  ///< false: the source could not list it (error says why; entries holds what came before)
  int error = 0;
  /// The identity of what was listed, when the source learns it only by listing (TreeSource::listed_identity).
  bool has_identity = false;
  std::pair<std::uint64_t, std::uint64_t> identity;
};

/// Lists `path` through `lister` into a Listing (what a helper or the walk itself runs).
Listing list_directory(DirectoryLister& lister, std::string path);

class ListingQueue {
 public:
  explicit ListingQueue(TreeSource& source) : m_source(source) {}
  ListingQueue(const ListingQueue&) = delete;
  ListingQueue& operator=(const ListingQueue&) = delete;

  /// The walk found directories to list (in the order it will consume them):
  /// one directory's subdirectories at once, so helpers are woken once per
  /// listing rather than once per directory.
  void push(std::vector<std::string>& paths);
  /// The listing of the oldest directory pushed and not yet consumed: lists
  /// it here when no helper took it; while a helper lists it, lists the next
  /// queued ones here, and waits only when none is left. An exception the
  /// listing threw is rethrown here.
  Listing next();
  /// A helper's loop: lists queued directories, oldest first, until close().
  void help();
  /// No more directories will come: helpers return once idle. Called by the
  /// walk when it ends, also by an exception.
  void close();

 private:
  enum class State { queued, taken, done };
  struct Job {
    std::string path;
    State state = State::queued;
    Listing listing;
    std::exception_ptr failure;
  };
  /// Takes the oldest queued job (`lock` held, at least one queued), lists it
  /// with the lock released and marks it done.
  void take_and_run(std::unique_lock<AdaptiveMutex>& lock, DirectoryLister& lister);
  /// Lists `job` outside the lock (its fields are the lister's alone until it is marked done).
  static void run(Job& job, DirectoryLister& lister);

  TreeSource& m_source;
  /// The walking thread's own lister (each helper makes its own in help()), made on first use.
  std::unique_ptr<DirectoryLister> m_walk_lister;
  AdaptiveMutex m_mutex;
  std::condition_variable_any m_work;  ///< a job was pushed, or the queue closed
  std::condition_variable_any m_done;  ///< a job was listed
  /// Jobs not yet consumed; m_jobs[k] is job number m_first + k. Jobs numbered
  /// below m_next_to_take are taken or done, the others queued: every thread,
  /// the walk's included, takes the oldest queued job, so the walk never
  /// waits behind a job nobody took.
  std::deque<Job> m_jobs;
  std::uint64_t m_first = 0;
  std::uint64_t m_next_to_take = 0;
  bool m_closed = false;
  bool m_walk_waiting = false;  ///< the walk waits for the oldest job: wake it when that is done
};

}  // namespace sotcheck::snapshot
