#pragma once
/// Baselines: adopt sotcheck on a repository that already has failures
/// without turning every pipeline red. `--write-baseline FILE` records every
/// non-passing rule of a run as (rule id, fingerprint of its offending
/// paths); `--baseline FILE` then lets those exact failures through, fails on
/// anything new (a new rule failing, or a known rule failing on new paths),
/// and lists the entries that no longer occur so the file can be tidied.
///
/// File format (JSON, stable order so it diffs well in review):
///   {"sotcheck_baseline": 1, "profile": "strict",
///    "entries": [{"rule_id": "AR006", "fingerprint": "0123abcd...", "status": "FAIL",
///                 "severity": "HIGH", "message": "...", "paths": ["07_x/README.md"]}]}

#include <string>
#include <vector>

#include "sotcheck/exec/verdict.hpp"
#include "sotcheck/report/report.hpp"
#include "sotcheck/util/result.hpp"

namespace sotcheck::cli {

inline constexpr int k_baseline_version = 1;

struct Baseline {
  std::string profile;  ///< the profile it was written under ("" if unknown)
  std::vector<report::BaselineEntry> entries;
};

/// The baseline of a finished run: one entry per FAIL or ERROR verdict, in
/// verdict (catalog) order.
nlohmann::ordered_json baseline_json(const std::vector<exec::Verdict>& verdicts, const report::RunInfo& info);

util::Result<void> write_baseline(const std::string& path, const std::vector<exec::Verdict>& verdicts,
                                  const report::RunInfo& info);

util::Result<Baseline> parse_baseline(std::string_view text, const std::string& path);
util::Result<Baseline> load_baseline(const std::string& path);

/// Marks each FAIL or ERROR verdict found in `baseline` as baselined in
/// `info.dispositions` (resized to the verdicts), and lists in
/// `info.baseline_resolved` the entries of selected rules that no longer occur.
/// Entries of rules this run did not evaluate are neither matched nor resolved.
void apply_baseline(const Baseline& baseline, const std::vector<exec::Verdict>& verdicts, report::RunInfo& info);

/// The text report's baseline and suppression section ("" when neither is in use).
std::string dispositions_text(const std::vector<exec::Verdict>& verdicts, const report::RunInfo& info);

}  // namespace sotcheck::cli
