#include "sotcheck/cli/baseline.hpp"

#include <algorithm>
#include <map>
#include <tuple>
#include <utility>

#include "sotcheck/catalog/model.hpp"
#include "sotcheck/util/atomic_file.hpp"
#include "sotcheck/util/regular_file.hpp"

namespace sotcheck::cli {
namespace {

using json = nlohmann::ordered_json;

constexpr std::string_view k_verdict_kind = "verdict";

bool counts_for_baseline(const exec::Verdict& v) {
  return v.status == exec::Status::fail || v.status == exec::Status::error;
}

/// The entry of a verdict that has no findings to name (an ERROR, mostly).
report::BaselineEntry verdict_entry(const exec::Verdict& v, std::string_view repo_root) {
  return {v.rule_id, report::fingerprint(v, repo_root), "", std::string(k_verdict_kind), v.message};
}

report::BaselineEntry finding_entry(const exec::Verdict& v, const checks::Finding& f) {
  return {v.rule_id, report::finding_fingerprint(v.rule_id, f), f.path, std::string(checks::finding_kind_name(f.kind)),
          f.message};
}

json entry_json(const report::BaselineEntry& e) {
  json j;
  j["rule_id"] = e.rule_id;
  j["fingerprint"] = e.fingerprint;
  j["path"] = e.path;
  j["kind"] = e.kind;
  j["message"] = e.message;
  return j;
}

std::string regenerate_advice(const std::string& path) {
  return "regenerate it with `sotcheck validate REPO --write-baseline " + path +
         "` (every finding of that run becomes known; review the diff before committing it)";
}

}  // namespace

std::vector<report::BaselineEntry> baseline_entries(const std::vector<exec::Verdict>& verdicts,
                                                    const report::RunInfo& info) {
  std::vector<report::BaselineEntry> entries;
  for (const auto& v : verdicts) {
    if (!counts_for_baseline(v)) continue;
    if (v.findings.empty()) entries.push_back(verdict_entry(v, info.repo_root));
    for (const auto& f : v.findings) entries.push_back(finding_entry(v, f));
  }
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    return std::tie(a.rule_id, a.path, a.kind, a.fingerprint) < std::tie(b.rule_id, b.path, b.kind, b.fingerprint);
  });
  return entries;
}

std::string baseline_text(const std::vector<exec::Verdict>& verdicts, const report::RunInfo& info) {
  const auto dump = [](const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); };
  std::string out = "{\n  \"sotcheck_baseline\": " + std::to_string(k_baseline_version) + ",\n  \"profile\": " +
                    dump(json(catalog::profile_name(info.profile))) + ",\n  \"entries\": [";
  const auto entries = baseline_entries(verdicts, info);
  for (std::size_t i = 0; i < entries.size(); ++i)
    out += std::string(i == 0 ? "\n" : ",\n") + "    " + dump(entry_json(entries[i]));
  out += entries.empty() ? "]\n}\n" : "\n  ]\n}\n";
  return out;
}

util::Result<std::size_t> write_baseline(const std::string& path, const std::vector<exec::Verdict>& verdicts,
                                         const report::RunInfo& info) {
  const std::string text = baseline_text(verdicts, info);
  // Written beside and renamed: an interrupted or failed write leaves the old
  // baseline and no temporary.
  auto written = util::write_file_atomically(path, text);
  if (!written) return util::make_error("cannot write the baseline: " + written.error());
  return baseline_entries(verdicts, info).size();
}

util::Result<Baseline> parse_baseline(std::string_view text, const std::string& path) {
  Baseline baseline;
  try {
    const json doc = json::parse(text);
    if (!doc.is_object() || !doc.contains("sotcheck_baseline") || !doc.contains("entries") ||
        !doc["entries"].is_array())
      return util::make_error(path + ": not a sotcheck baseline (written by --write-baseline)");
    if (doc["sotcheck_baseline"] == 1)
      return util::make_error(path + ": a baseline of format 1 (one entry per rule) cannot say which findings are "
                                     "known; " + regenerate_advice(path));
    if (doc["sotcheck_baseline"] != k_baseline_version)
      return util::make_error(path + ": baseline format " + doc["sotcheck_baseline"].dump() +
                              " is not supported (this sotcheck reads format " + std::to_string(k_baseline_version) +
                              "); " + regenerate_advice(path));
    if (doc.contains("profile") && doc["profile"].is_string()) baseline.profile = doc["profile"].get<std::string>();
    std::size_t index = 0;
    for (const auto& e : doc["entries"]) {
      if (!e.is_object() || !e.contains("rule_id") || !e.contains("fingerprint") || !e["rule_id"].is_string() ||
          !e["fingerprint"].is_string())
        return util::make_error(path + ": entry " + std::to_string(index) + " needs rule_id and fingerprint strings");
      report::BaselineEntry entry;
      entry.rule_id = e["rule_id"].get<std::string>();
      entry.fingerprint = e["fingerprint"].get<std::string>();
      const auto text_of = [&](const char* key) {
        return e.contains(key) && e[key].is_string() ? e[key].get<std::string>() : std::string();
      };
      entry.path = text_of("path");
      entry.kind = text_of("kind");
      entry.message = text_of("message");
      baseline.entries.push_back(std::move(entry));
      ++index;
    }
  } catch (const json::exception& e) {
    return util::make_error(path + ": invalid baseline: " + e.what());
  }
  return baseline;
}

util::Result<Baseline> load_baseline(const std::string& path) {
  auto text = util::read_regular_file(path, util::k_baseline_size_cap);
  if (!text) return util::make_error("--baseline " + text.error());
  return parse_baseline(*text, path);
}

void apply_baseline(const Baseline& baseline, const std::vector<exec::Verdict>& verdicts, report::RunInfo& info) {
  info.dispositions.resize(verdicts.size());
  // How many of each (rule, fingerprint) the baseline holds: two identical
  // findings need two entries, so a second copy of a known secret is new.
  std::map<std::pair<std::string, std::string>, std::size_t> left;
  for (const auto& e : baseline.entries) ++left[{e.rule_id, e.fingerprint}];
  const auto take = [&](const std::string& rule_id, const std::string& fingerprint) {
    const auto it = left.find({rule_id, fingerprint});
    if (it == left.end() || it->second == 0) return false;
    --it->second;
    return true;
  };
  std::map<std::string, bool> evaluated;
  for (std::size_t i = 0; i < verdicts.size(); ++i) {
    const exec::Verdict& v = verdicts[i];
    evaluated[v.rule_id] = true;
    report::Disposition& d = info.dispositions[i];
    d.known_findings.assign(v.findings.size(), false);
    d.baselined = false;
    if (!counts_for_baseline(v)) continue;
    bool all_known = true;
    for (std::size_t k = 0; k < v.findings.size(); ++k) {
      d.known_findings[k] = take(v.rule_id, report::finding_fingerprint(v.rule_id, v.findings[k]));
      all_known = all_known && d.known_findings[k];
    }
    if (v.findings.empty()) all_known = take(v.rule_id, report::fingerprint(v, info.repo_root));
    d.baselined = all_known;
  }
  // Whatever was not taken no longer occurs: fixed (for rules this run evaluated).
  info.baseline_resolved.clear();
  for (const auto& e : baseline.entries) {
    if (evaluated.count(e.rule_id) == 0) continue;
    auto it = left.find({e.rule_id, e.fingerprint});
    if (it == left.end() || it->second == 0) continue;
    --it->second;
    info.baseline_resolved.push_back(e);
  }
}

std::string dispositions_text(const std::vector<exec::Verdict>& verdicts, const report::RunInfo& info) {
  std::string out;
  std::string suppressed;
  for (std::size_t i = 0; i < verdicts.size(); ++i) {
    const exec::Verdict& v = verdicts[i];
    const report::Disposition& d = info.disposition(i);
    if (!d.suppressed_reason.empty() && d.suppressed_findings.empty())
      suppressed += "  " + v.rule_id + "  " + v.message + "  (reason: " + d.suppressed_reason + ")\n";
    for (const auto& s : d.suppressed_findings)
      suppressed += "  " + v.rule_id + "  " + report::compiler_location(s.finding) + ": " + s.finding.message +
                    "  (reason: " + s.reason + ")\n";
  }
  if (!suppressed.empty()) out += "\nSuppressed (config)\n" + suppressed;
  for (const auto& stale : info.config_stale)
    out += "\nwarning: " + stale.origin + ": '" + stale.entry + "' " + stale.why + " (stale: remove it)\n";
  if (!info.baseline_resolved.empty()) {
    out += "\nFixed since the baseline " + info.baseline_file + " (" +
           report::counted(info.baseline_resolved.size(), "entry", "entries") +
           "; they never fail the run, --write-baseline drops them)\n";
    for (const auto& e : info.baseline_resolved)
      out += "  " + e.rule_id + "  " + (e.path.empty() ? std::string(".") : e.path) +
             (e.message.empty() ? "" : ": " + e.message) + "\n";
  }
  return out;
}

}  // namespace sotcheck::cli
