#pragma once
/// Phase timers and counters for --stats and `sotcheck bench` (mold's --perf
/// habit: every pass is timed).

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace sotcheck::util {

class RunStats {
 public:
  /// Records `seconds` for a phase; phases keep the order they were first recorded in.
  void add_phase(const std::string& name, double seconds);
  void add_counter(const std::string& name, std::uint64_t delta);
  void set_counter(const std::string& name, std::uint64_t value);
  double phase(const std::string& name) const;
  std::uint64_t counter(const std::string& name) const;
  const std::vector<std::pair<std::string, double>>& phases() const { return m_phases; }
  const std::vector<std::pair<std::string, std::uint64_t>>& counters() const { return m_counters; }

 private:
  std::vector<std::pair<std::string, double>> m_phases;
  std::vector<std::pair<std::string, std::uint64_t>> m_counters;
};

/// Measures wall time from construction.
class Stopwatch {
 public:
  Stopwatch() : m_start(std::chrono::steady_clock::now()) {}
  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
  }

 private:
  std::chrono::steady_clock::time_point m_start;
};

}  // namespace sotcheck::util
