#include "sotcheck/cli/baseline.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>

#include "sotcheck/catalog/model.hpp"
#include "sotcheck/util/atomic_file.hpp"
#include "sotcheck/util/regular_file.hpp"
#include "sotcheck/util/strings.hpp"

namespace sotcheck::cli {
namespace {

using json = nlohmann::ordered_json;

bool counts_for_baseline(const exec::Verdict& v) {
  return v.status == exec::Status::fail || v.status == exec::Status::error;
}

}  // namespace

json baseline_json(const std::vector<exec::Verdict>& verdicts, const report::RunInfo& info) {
  json entries = json::array();
  for (const auto& v : verdicts) {
    if (!counts_for_baseline(v)) continue;
    json e;
    e["rule_id"] = v.rule_id;
    e["fingerprint"] = report::fingerprint(v, info.repo_root);
    e["status"] = exec::status_name(v.status);
    e["severity"] = catalog::severity_name(v.severity);
    e["message"] = v.message;
    // The paths are for the reviewer of the baseline file; matching uses the fingerprint only.
    json paths = json::array();
    for (const auto& p : report::offending_paths(v, info.repo_root)) {
      if (paths.size() >= 50) break;
      paths.push_back(p);
    }
    e["paths"] = std::move(paths);
    entries.push_back(std::move(e));
  }
  json out;
  out["sotcheck_baseline"] = k_baseline_version;
  out["profile"] = catalog::profile_name(info.profile);
  out["entries"] = std::move(entries);
  return out;
}

util::Result<void> write_baseline(const std::string& path, const std::vector<exec::Verdict>& verdicts,
                                  const report::RunInfo& info) {
  const std::string text = baseline_json(verdicts, info).dump(2, ' ', false, json::error_handler_t::replace) + "\n";
  // Written beside and renamed: an interrupted or failed write leaves the old
  // baseline and no temporary.
  auto written = util::write_file_atomically(path, text);
  if (!written) return util::make_error("cannot write the baseline: " + written.error());
  return {};
}

util::Result<Baseline> parse_baseline(std::string_view text, const std::string& path) {
  Baseline baseline;
  try {
    const json doc = json::parse(text);
    if (!doc.is_object() || !doc.contains("sotcheck_baseline") || !doc.contains("entries"))
      return util::make_error(path + ": not a sotcheck baseline (written by --write-baseline)");
    if (doc["sotcheck_baseline"] != k_baseline_version)
      return util::make_error(path + ": baseline version " + doc["sotcheck_baseline"].dump() + " is not supported");
    if (doc.contains("profile") && doc["profile"].is_string()) baseline.profile = doc["profile"].get<std::string>();
    std::size_t index = 0;
    for (const auto& e : doc.at("entries")) {
      if (!e.is_object() || !e.contains("rule_id") || !e.contains("fingerprint") || !e["rule_id"].is_string() ||
          !e["fingerprint"].is_string())
        return util::make_error(path + ": entry " + std::to_string(index) + " needs rule_id and fingerprint strings");
      report::BaselineEntry entry;
      entry.rule_id = e["rule_id"].get<std::string>();
      entry.fingerprint = e["fingerprint"].get<std::string>();
      if (e.contains("status") && e["status"].is_string()) entry.status = e["status"].get<std::string>();
      if (e.contains("message") && e["message"].is_string()) entry.message = e["message"].get<std::string>();
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
  std::set<std::pair<std::string, std::string>> known;
  for (const auto& e : baseline.entries) known.emplace(e.rule_id, e.fingerprint);
  std::set<std::pair<std::string, std::string>> occurring;
  std::set<std::string> evaluated;
  for (std::size_t i = 0; i < verdicts.size(); ++i) {
    const exec::Verdict& v = verdicts[i];
    evaluated.insert(v.rule_id);
    if (!counts_for_baseline(v)) continue;
    auto key = std::make_pair(v.rule_id, report::fingerprint(v, info.repo_root));
    if (known.count(key) != 0) info.dispositions[i].baselined = true;
    occurring.insert(std::move(key));
  }
  info.baseline_resolved.clear();
  for (const auto& e : baseline.entries)
    if (evaluated.count(e.rule_id) != 0 && occurring.count({e.rule_id, e.fingerprint}) == 0)
      info.baseline_resolved.push_back(e);
}

std::string dispositions_text(const std::vector<exec::Verdict>& verdicts, const report::RunInfo& info) {
  std::string out;
  std::string suppressed;
  std::size_t known = 0, fresh = 0;
  std::vector<std::string> fresh_ids;
  for (std::size_t i = 0; i < verdicts.size(); ++i) {
    const exec::Verdict& v = verdicts[i];
    const report::Disposition& d = info.disposition(i);
    if (v.status == exec::Status::fail && !d.suppressed_reason.empty())
      suppressed += "  " + v.rule_id + "  " + d.suppressed_reason + "\n";
    if (!counts_for_baseline(v)) continue;
    if (d.baselined) {
      ++known;
    } else {
      ++fresh;
      fresh_ids.push_back(v.rule_id);
    }
  }
  if (!suppressed.empty()) out += "\nSuppressed (config)\n" + suppressed;
  if (!info.baseline_file.empty()) {
    out += "\nBaseline " + info.baseline_file + "\n";
    out += "  " + std::to_string(known) + " known, " + std::to_string(fresh) + " new";
    if (!fresh_ids.empty()) {
      std::vector<std::string> shown(fresh_ids.begin(),
                                     fresh_ids.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(
                                                             fresh_ids.size(), 20)));
      out += ": " + util::join(shown, ", ");
      if (fresh_ids.size() > shown.size()) out += ", ...";
    }
    out += "\n";
    if (!info.baseline_resolved.empty()) {
      out += "  no longer occurring (remove from the baseline):\n";
      for (const auto& e : info.baseline_resolved)
        out += "    " + e.rule_id + "  " + e.fingerprint + (e.message.empty() ? "" : "  " + e.message) + "\n";
    }
  }
  return out;
}

}  // namespace sotcheck::cli
