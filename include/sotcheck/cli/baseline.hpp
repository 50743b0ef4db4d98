#pragma once
/// Baselines: adopt sotcheck on a repository that already has failures
/// without turning every pipeline red. `--write-baseline FILE` records every
/// finding of every FAIL or ERROR verdict as (rule id, finding fingerprint);
/// `--baseline FILE` then lets those exact findings through, fails on any
/// finding that is not in it (new), and lists the entries that no longer
/// occur (fixed) without failing on them, so gradual clean-up stays green.
///
/// The fingerprint is report::finding_fingerprint: rule, path, kind and the
/// finding's stable identity, never its line, so an edit above a finding does
/// not make it new. A FAIL or ERROR verdict without findings is one entry of
/// kind "verdict" fingerprinted from its evidence.
///
/// File format 2 (JSON; entries sorted, one per line, so it diffs well):
///   {
///     "sotcheck_baseline": 2,
///     "profile": "strict",
///     "entries": [
///       {"rule_id": "AR005", "fingerprint": "0123abcd...", "path": "01_x/shards/02_y/values.yaml", "kind": "missing", "message": "..."},
///       ...
///     ]
///   }
/// Format 1 (one entry per rule) is refused with how to regenerate.

#include <string>
#include <vector>

#include "sotcheck/exec/verdict.hpp"
#include "sotcheck/report/report.hpp"
#include "sotcheck/util/result.hpp"

namespace sotcheck::cli {

inline constexpr int k_baseline_version = 2;

struct Baseline {
  std::string profile;  ///< the profile it was written under ("" if unknown)
  std::vector<report::BaselineEntry> entries;
};

/// The entries of a finished run, sorted by rule, path, kind and fingerprint.
std::vector<report::BaselineEntry> baseline_entries(const std::vector<exec::Verdict>& verdicts,
                                                    const report::RunInfo& info);

/// The baseline file's text: the header, then one entry per line.
std::string baseline_text(const std::vector<exec::Verdict>& verdicts, const report::RunInfo& info);

/// Writes the baseline atomically; returns how many entries it holds.
util::Result<std::size_t> write_baseline(const std::string& path, const std::vector<exec::Verdict>& verdicts,
                                         const report::RunInfo& info);

util::Result<Baseline> parse_baseline(std::string_view text, const std::string& path);
util::Result<Baseline> load_baseline(const std::string& path);

/// Marks each finding of every FAIL or ERROR verdict known or new in
/// `info.dispositions` (resized to the verdicts): known when an entry with
/// the same rule id and fingerprint is left (each entry covers one finding).
/// A verdict with no new finding is `baselined`. The entries of evaluated
/// rules that matched nothing are listed in `info.baseline_resolved` (fixed);
/// entries of rules this run did not evaluate are neither matched nor fixed.
void apply_baseline(const Baseline& baseline, const std::vector<exec::Verdict>& verdicts, report::RunInfo& info);

/// The text report's appendix for a baseline and suppressions: the
/// suppressed findings and the fixed baseline entries ("" when neither applies).
std::string dispositions_text(const std::vector<exec::Verdict>& verdicts, const report::RunInfo& info);

}  // namespace sotcheck::cli
