#include "sotcheck/util/stats.hpp"

namespace sotcheck::util {

void RunStats::add_phase(const std::string& name, double seconds) {
  for (auto& [n, s] : m_phases)
    if (n == name) {
      s += seconds;
      return;
    }
  m_phases.emplace_back(name, seconds);
}

void RunStats::add_counter(const std::string& name, std::uint64_t delta) {
  for (auto& [n, v] : m_counters)
    if (n == name) {
      v += delta;
      return;
    }
  m_counters.emplace_back(name, delta);
}

void RunStats::set_counter(const std::string& name, std::uint64_t value) {
  for (auto& [n, v] : m_counters)
    if (n == name) {
      v = value;
      return;
    }
  m_counters.emplace_back(name, value);
}

double RunStats::phase(const std::string& name) const {
  for (const auto& [n, s] : m_phases)
    if (n == name) return s;
  return 0.0;
}

std::uint64_t RunStats::counter(const std::string& name) const {
  for (const auto& [n, v] : m_counters)
    if (n == name) return v;
  return 0;
}

}  // namespace sotcheck::util
