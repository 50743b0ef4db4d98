#include "sotcheck/cli/progress.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <string>

namespace sotcheck::cli {
namespace {

constexpr std::chrono::milliseconds k_default_delay{300};
constexpr std::chrono::milliseconds k_redraw_interval{50};
constexpr std::size_t k_default_width = 80;

bool env_set(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return false;
  const std::string v(value);
  return v != "0" && v != "false" && v != "FALSE" && v != "False";
}

std::size_t terminal_width(int fd) {
  winsize size{};
  if (::ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return k_default_width;
}

void write_all(int fd, const std::string& text) {
  std::size_t offset = 0;
  while (offset < text.size()) {
    const ssize_t n = ::write(fd, text.data() + offset, text.size() - offset);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // progress is best effort: a closed stderr must not fail the run
    offset += static_cast<std::size_t>(n);
  }
}

}  // namespace

bool running_in_ci() {
  for (const char* name : {"CI", "GITHUB_ACTIONS", "GITLAB_CI", "BUILDKITE", "JENKINS_URL", "TF_BUILD"})
    if (env_set(name)) return true;
  return false;
}

bool progress_wanted(std::string_view setting, int fd) {
  if (setting == "always") return true;
  if (setting == "never") return false;
  if (::isatty(fd) != 1) return false;
  const char* term = std::getenv("TERM");
  if (term != nullptr && std::string_view(term) == "dumb") return false;
  return !running_in_ci();
}

std::chrono::milliseconds progress_delay() {
  const char* text = std::getenv("SOTCHECK_PROGRESS_DELAY_MS");
  if (text == nullptr || *text == '\0') return k_default_delay;
  char* end = nullptr;
  const long value = std::strtol(text, &end, 10);
  if (end == text || *end != '\0' || value < 0) return k_default_delay;
  return std::chrono::milliseconds(value);
}

ProgressBar::ProgressBar(int fd, std::vector<Batch> batches, std::chrono::milliseconds delay)
    : m_fd(fd),
      m_batches(std::move(batches)),
      m_delay(delay),
      m_start(std::chrono::steady_clock::now()),
      m_last_draw(m_start - k_redraw_interval) {}

ProgressBar::~ProgressBar() { finish(); }

std::string ProgressBar::render(std::string_view batch_label, std::string_view name, std::size_t done,
                                std::size_t total, std::size_t width) {
  const std::string count = " " + std::to_string(done) + "/" + std::to_string(total) + " rules";
  std::string head = "sotcheck " + std::string(batch_label);
  if (!name.empty()) head += " " + std::string(name);
  // The bar is 20 columns; the head gets what the bar and the count leave.
  const std::size_t bar_width = 20;
  const std::size_t head_room = width > bar_width + 3 + count.size() ? width - bar_width - 3 - count.size() : 0;
  if (head.size() > head_room) head = head_room > 3 ? head.substr(0, head_room - 3) + "..." : "";
  const std::size_t filled = total == 0 ? bar_width : std::min(bar_width, done * bar_width / total);
  std::string line = head + " [" + std::string(filled, '#') + std::string(bar_width - filled, '-') + "]" + count;
  if (line.size() > width) line.resize(width);
  return line;
}

void ProgressBar::update(int batch, std::size_t done, std::size_t total) {
  std::lock_guard<std::mutex> lock(m_mutex);
  if (m_finished) return;
  const auto now = std::chrono::steady_clock::now();
  const bool last = done == total && !m_batches.empty() && batch == m_batches.back().id;
  if (now - m_start >= m_delay && (done == total || now - m_last_draw >= k_redraw_interval)) {
    m_last_draw = now;
    draw_locked(batch, done, total);
  }
  if (last) {
    // The run is over: erase the line now, before anyone else writes to stderr.
    m_finished = true;
    if (m_drawn) write_all(m_fd, "\r\033[2K");
  }
}

void ProgressBar::draw_locked(int batch, std::size_t done, std::size_t total) {
  std::size_t position = 0;
  std::string name;
  for (std::size_t i = 0; i < m_batches.size(); ++i)
    if (m_batches[i].id == batch) {
      position = i + 1;
      name = m_batches[i].name;
    }
  const std::string label = "batch " + std::to_string(position) + "/" + std::to_string(m_batches.size());
  // Leave the last column free: writing into it makes some terminals wrap.
  const std::size_t width = std::max<std::size_t>(terminal_width(m_fd), 2) - 1;
  write_all(m_fd, "\r\033[2K" + render(label, name, done, total, width));
  m_drawn = true;
}

void ProgressBar::finish() {
  std::lock_guard<std::mutex> lock(m_mutex);
  if (m_finished) return;
  m_finished = true;
  if (m_drawn) write_all(m_fd, "\r\033[2K");
}

}  // namespace sotcheck::cli
