#include <cstdio>

#include "sotcheck/checks/template.hpp"
#include "sotcheck/report/report.hpp"

namespace sotcheck::report {
namespace {

using json = nlohmann::ordered_json;

const char* colour_of(exec::Status status, catalog::Severity severity) {
  if (status == exec::Status::pass) return "\033[32m";
  if (status == exec::Status::error) return "\033[35m";
  if (status == exec::Status::skipped) return "\033[90m";
  return severity <= catalog::Severity::high ? "\033[31m" : "\033[33m";
}

/// The first few offending items of a failure, taken from its evidence lists
/// (the paths or entries that break the rule), one short line each.
/// Lists whose key names a problem ("missing_roots", "violations", ...) come
/// before the others ("found_roots"), which only give context.
bool names_a_problem(const std::string& key) {
  static constexpr const char* k_words[] = {"missing", "violation", "invalid", "inconsisten", "offend", "fail",
                                            "error", "unknown", "without", "bad", "mismatch", "forbidden"};
  for (const char* word : k_words)
    if (key.find(word) != std::string::npos) return true;
  return false;
}

constexpr std::size_t k_max_line = 150;  // an evidence line longer than this is cut: the JSON has it whole

std::vector<std::string> offending_lines(const json& evidence, std::size_t limit) {
  std::vector<std::string> lines;
  for (const bool problems : {true, false}) {
    if (!lines.empty()) return lines;  // context only when no list names a problem
    for (const auto& [key, value] : evidence.items()) {
      if (!value.is_array() || value.empty() || names_a_problem(key) != problems) continue;
      for (const auto& item : value) {
        if (lines.size() >= limit) return lines;
        std::string line = key + ": " + checks::python_str(item);
        if (line.size() > k_max_line) line = line.substr(0, k_max_line - 3) + "...";
        lines.push_back(std::move(line));
      }
    }
  }
  if (lines.empty())
    for (const auto& [key, value] : evidence.items()) {
      if (lines.size() >= limit) break;
      if (value.is_object() || value.is_array()) continue;
      lines.push_back(key + ": " + checks::python_str(value));
    }
  return lines;
}

}  // namespace

std::string to_text(const std::vector<exec::Verdict>& verdicts, const RunInfo& info, const TextOptions& options) {
  const char* reset = options.colour ? "\033[0m" : "";
  const char* bold = options.colour ? "\033[1m" : "";
  auto paint = [&](exec::Status status, catalog::Severity severity) {
    return options.colour ? colour_of(status, severity) : "";
  };
  std::string out;
  out += std::string(bold) + "sotcheck" + reset + " " + info.repo_root + " (profile " +
         std::string(catalog::profile_name(info.profile)) + ", " + std::to_string(verdicts.size()) + (verdicts.size() == 1 ? " rule)\n" : " rules)\n");
  if (!info.config_file.empty()) out += "config " + info.config_file + " (deselected " + std::to_string(info.config_deselected) + " rules, suppressed " + std::to_string(info.config_suppressed) + " failures)\n";

  // Failures first, most severe first: that is what the reader came for.
  std::size_t shown = 0;
  for (catalog::Severity s : catalog::k_all_severities) {
    bool header = false;
    for (const auto& v : verdicts) {
      if (v.severity != s || v.status == exec::Status::pass) continue;
      if (!header) {
        out += std::string("\n") + bold + std::string(catalog::severity_name(s)) + reset + "\n";
        header = true;
      }
      out += std::string("  ") + paint(v.status, v.severity) + std::string(exec::status_name(v.status)) + reset +
             "  " + v.rule_id + "  " + v.message + "\n";
      for (const auto& line : offending_lines(v.evidence, 3)) out += "        " + line + "\n";
      ++shown;
    }
  }
  if (options.verbose) {
    out += std::string("\n") + bold + "PASSED" + reset + "\n";
    for (const auto& v : verdicts)
      if (v.passed())
        out += std::string("  ") + paint(v.status, v.severity) + "PASS" + reset + "  " + v.rule_id + "  " + v.message +
               "\n";
  }

  out += std::string("\n") + bold + "Summary" + reset + "\n";
  std::size_t counts[4] = {0, 0, 0, 0};
  for (const auto& v : verdicts) ++counts[static_cast<int>(v.status)];
  for (catalog::Severity s : catalog::k_all_severities) {
    std::size_t total = 0, ok = 0;
    for (const auto& v : verdicts)
      if (v.severity == s) {
        ++total;
        ok += v.passed() ? 1 : 0;
      }
    if (total == 0) continue;
    char line[128];
    std::snprintf(line, sizeof line, "  %-9s %4zu rules  %4zu passed  %4zu not passed\n",
                  std::string(catalog::severity_name(s)).c_str(), total, ok, total - ok);
    out += line;
  }
  char line[160];
  std::snprintf(line, sizeof line, "  totals: %zu pass, %zu fail, %zu error, %zu skipped\n", counts[0], counts[1],
                counts[2], counts[3]);
  out += line;
  (void)shown;
  return out;
}

std::string stats_text(const util::RunStats& stats) {
  std::string out = "sotcheck --stats\n";
  char line[160];
  for (const auto& [name, seconds] : stats.phases()) {
    std::snprintf(line, sizeof line, "  %-22s %10.3f ms\n", name.c_str(), seconds * 1000.0);
    out += line;
  }
  for (const auto& [name, value] : stats.counters()) {
    std::snprintf(line, sizeof line, "  %-22s %10llu\n", name.c_str(), static_cast<unsigned long long>(value));
    out += line;
  }
  return out;
}

}  // namespace sotcheck::report
