// The terminal matrix (--format matrix): the 24 x 16 shards at a glance, one
// glyph per shard. In colour the glyph is a block painted by the worst
// severity; without colour (NO_COLOR, a file, a pipe) each severity has its
// own letter, so the picture never depends on hue alone.

#include "sotcheck/report/shard_matrix.hpp"
#include "sotcheck/util/strings.hpp"
#include "sotcheck/util/terminal_escape.hpp"

namespace sotcheck::report {
namespace {

const char* ansi_of(catalog::Severity s) {
  switch (s) {
    case catalog::Severity::critical: return "\033[1;31m";
    case catalog::Severity::high: return "\033[31m";
    case catalog::Severity::medium: return "\033[33m";
    case catalog::Severity::low: return "\033[36m";
    case catalog::Severity::info: return "\033[34m";
  }
  return "";
}

std::string lower_name(catalog::Severity s) {
  std::string name(catalog::severity_name(s));
  for (char& c : name) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return name;
}

/// The glyph of one cell, padded to the column width of 3.
std::string glyph(const MatrixCell& c, bool misnamed, bool colour) {
  std::string mark;
  if (colour) {
    if (c.missing) mark = "\xC3\x97";  // ×
    else if (misnamed) mark = "?";
    else if (c.worst) mark = "\xE2\x96\xA0";  // ■
    else mark = "\xC2\xB7";  // ·
    const char* paint = c.worst ? ansi_of(*c.worst) : (c.missing || misnamed ? "\033[1m" : "\033[2;32m");
    return std::string("  ") + paint + mark + "\033[0m";
  }
  if (c.missing) mark = "x";
  else if (misnamed) mark = "?";
  else if (c.worst) mark = std::string(1, catalog::severity_name(*c.worst)[0]);
  else mark = ".";
  return "  " + mark;
}

}  // namespace

std::string to_matrix_text(const std::vector<exec::Verdict>& verdicts, const RunInfo& info, const ShardMatrix& matrix,
                           bool colour) {
  const MatrixLayout& layout = matrix.layout;
  const char* bold = colour ? "\033[1m" : "";
  const char* reset = colour ? "\033[0m" : "";
  std::string out = std::string(bold) + "sotcheck" + reset + " " + util::escape_for_terminal(info.repo_root) +
                    " (profile " + std::string(catalog::profile_name(info.profile)) + ", " +
                    counted(verdicts.size(), "rule", "rules") + ")\n\n";
  out += "root\\shard";
  for (std::size_t s = 0; s < layout.shards.size(); ++s) out += " " + util::two_digits(static_cast<int>(s + 1));
  out += "  root\n";
  for (std::size_t r = 0; r < layout.roots.size(); ++r) {
    out += "        " + util::two_digits(static_cast<int>(r + 1));
    for (std::size_t s = 0; s < layout.shards.size(); ++s) out += glyph(matrix.at(r, s), false, colour);
    out += "   " + glyph(matrix.root_level[r], !matrix.misnamed[r].empty(), colour) + "  " + layout.roots[r] + "\n";
  }
  out += "\nrepository-wide:" + glyph(matrix.repository, false, colour) + " " +
         counted(matrix.repository.findings.size(), "finding", "findings") + "\n";
  for (std::size_t r = 0; r < layout.roots.size(); ++r)
    for (const auto& name : matrix.misnamed[r])
      out += "misnamed shard: " + layout.roots[r] + "/" + util::escape_for_terminal(name) + "\n";

  out += "\nlegend:";
  for (catalog::Severity s : catalog::k_all_severities) {
    MatrixCell sample;
    sample.worst = s;
    out += glyph(sample, false, colour) + " " + lower_name(s);
  }
  out += std::string("  ") + (colour ? "\033[2;32m\xC2\xB7\033[0m" : ".") + " clean  " +
         (colour ? "\033[1m\xC3\x97\033[0m" : "x") + " missing  ? misnamed shard\n";
  out += "shards:";
  for (std::size_t s = 0; s < layout.shards.size(); ++s) out += " " + util::two_digits(static_cast<int>(s + 1)) + "=" + layout.shards[s];
  out += "\n\n";

  const Tally t = tally(verdicts, info);
  std::size_t missing = 0;
  for (const auto& c : matrix.shards) missing += c.missing ? 1 : 0;
  out += counted(matrix.cells_with_findings(), "shard", "shards") + " of " + std::to_string(matrix.shards.size()) +
         " with findings, " + std::to_string(missing) + " missing; " + counted(t.findings, "finding", "findings") +
         "; " + std::to_string(t.passed) + " passed, " + std::to_string(t.failed) + " failed, " +
         counted(t.errors, "error", "errors") + ", " + std::to_string(t.skipped) + " skipped\n";
  out += verdict_line(verdicts, info);
  return out;
}

}  // namespace sotcheck::report
