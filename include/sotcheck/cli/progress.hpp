#pragma once
/// The progress bar: one line on stderr, redrawn in place, showing the batch
/// being evaluated and how many of its rules are done. It exists for people
/// watching a terminal, so by default (`auto`) it appears only when stderr is
/// a TTY, TERM is not "dumb", no CI variable is set, and the run has lasted
/// long enough to notice (300 ms); it erases itself before the report prints.

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace sotcheck::cli {

/// Whether a progress bar may be drawn on `fd`: "always" yes, "never" no;
/// "auto" when `fd` is a TTY, TERM is not "dumb" and the environment does not
/// say CI (CI, GITHUB_ACTIONS, GITLAB_CI, BUILDKITE, JENKINS_URL, TF_BUILD).
bool progress_wanted(std::string_view setting, int fd);

/// True if the environment names a CI system, whose logs must stay free of
/// carriage-return animation.
bool running_in_ci();

class ProgressBar {
 public:
  struct Batch {
    int id = 0;
    std::string name;
  };
  /// Draws on `fd` once `delay` has passed since construction. `batches` are
  /// the batches that have rules, in run order (for "batch 3/7").
  ProgressBar(int fd, std::vector<Batch> batches, std::chrono::milliseconds delay);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  /// Records progress of `batch`; thread-safe (executors call it from their
  /// workers) and cheap: it redraws at most every 50 ms, and always when a
  /// batch completes.
  void update(int batch, std::size_t done, std::size_t total);

  /// Erases the line if one was drawn; later updates are ignored.
  void finish();

  /// The line for a state, without control characters, at most `width` columns.
  static std::string render(std::string_view batch_label, std::string_view name, std::size_t done,
                            std::size_t total, std::size_t width);

 private:
  void draw_locked(int batch, std::size_t done, std::size_t total);

  int m_fd;
  std::vector<Batch> m_batches;
  std::chrono::milliseconds m_delay;
  std::chrono::steady_clock::time_point m_start;
  std::chrono::steady_clock::time_point m_last_draw;
  std::mutex m_mutex;
  bool m_drawn = false;
  bool m_finished = false;
};

/// The default delay, overridable by SOTCHECK_PROGRESS_DELAY_MS (for tests
/// that need the bar on a run shorter than 300 ms).
std::chrono::milliseconds progress_delay();

}  // namespace sotcheck::cli
