// SARIF 2.1.0 for code scanning, plus what every machine format shares: the
// offending paths of a verdict, their fingerprint, and the existing file a
// failure is shown at.
//
// GitHub code scanning and Microsoft's validator both insist that a result's
// location names a file of the repository, relative to its root. sotcheck's
// rules are often about files that are *missing*, so a location is the first
// offending path that exists, else the closest README.md above it, else a file
// at the root, always with region startLine 1.

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <set>

#include "sotcheck/report/report.hpp"
#include "sotcheck/util/strings.hpp"

namespace sotcheck::report {
namespace {

using json = nlohmann::ordered_json;

/// Evidence lists that describe what is fine (the inventory a rule looked at),
/// not what breaks it; they neither locate nor fingerprint a failure.
constexpr std::array<std::string_view, 9> k_inventory_prefixes = {
    "found_", "valid_", "reference_", "expected_", "required_", "total_", "all_", "existing_", "checked_"};

/// Fields of an evidence object that name the offending path, most specific first.
constexpr std::array<std::string_view, 6> k_path_fields = {"path", "file", "dir", "shard", "root", "name"};

/// A single failure's list may be huge (every file of a tree); locations and
/// fingerprints need only enough items to identify it.
constexpr std::size_t k_max_items = 1000;
constexpr std::size_t k_max_location_probes = 200;
constexpr std::size_t k_items_in_message = 5;

bool is_inventory_key(std::string_view key) {
  if (key == "matrix") return true;  // AR003: every root's shard count, the state rather than the culprits
  return std::any_of(k_inventory_prefixes.begin(), k_inventory_prefixes.end(),
                     [&](std::string_view prefix) { return util::starts_with(key, prefix); });
}

bool is_path_key(std::string_view key) {
  return key == "path" || key == "file" || util::ends_with(key, "_path") || util::ends_with(key, "_file");
}

/// Makes `item` relative to the repository root and strips "./" and trailing '/'.
std::string relative_item(std::string item, std::string_view repo_root) {
  if (!repo_root.empty()) {
    if (item == repo_root) return "";
    const std::string prefix = std::string(repo_root) + "/";
    if (util::starts_with(item, prefix)) item.erase(0, prefix.size());
  }
  while (util::starts_with(item, "./")) item.erase(0, 2);
  while (item.size() > 1 && item.back() == '/') item.pop_back();
  return item;
}

std::optional<std::string> item_text(const json& item) {
  if (item.is_string()) return item.get<std::string>();
  if (item.is_object()) {
    for (std::string_view field : k_path_fields) {
      const auto it = item.find(std::string(field));
      if (it != item.end() && it->is_string()) return it->get<std::string>();
    }
    return item.dump(-1, ' ', false, json::error_handler_t::replace);
  }
  return std::nullopt;  // numbers and booleans are counts and flags, not offending items
}

std::uint64_t fnv1a(std::uint64_t hash, std::string_view bytes) {
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

/// Percent-encodes a relative path for a URI: everything but RFC 3986's
/// unreserved characters and '/' (so spaces, '%', '#' and non-UTF-8 bytes are safe).
std::string uri_encode_path(std::string_view path) {
  static constexpr char k_hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : path) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                       c == '.' || c == '_' || c == '~' || c == '/';
    if (plain) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += k_hex[c >> 4];
      out += k_hex[c & 15];
    }
  }
  return out;
}

const char* level_for(catalog::Severity severity) {
  switch (severity) {
    case catalog::Severity::critical:
    case catalog::Severity::high: return "error";
    case catalog::Severity::medium: return "warning";
    case catalog::Severity::low:
    case catalog::Severity::info: return "note";
  }
  return "note";
}

/// "Exactly 24 root folders" -> "Exactly24RootFolders": SARIF wants a Pascal-case
/// identifier as the rule's friendly name.
std::string pascal_name(const catalog::Rule& rule) {
  std::string out;
  bool start = true;
  for (char c : rule.title) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum) {
      start = true;
      continue;
    }
    out += start && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    start = false;
  }
  // An untitled rule is named after its id, prefixed so the name differs from the id.
  if (rule.title.empty()) {
    for (char c : rule.id)
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) out += c;
    out = "Rule" + out;
  } else if (out.empty() || (out[0] >= '0' && out[0] <= '9')) {
    out = "Rule" + out;
  }
  return out;
}

std::string sentence(std::string text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n')) text.pop_back();
  if (text.empty()) return text;
  const char last = text.back();
  if (last != '.' && last != '!' && last != '?') text += '.';
  return text;
}

json rule_descriptor(const catalog::Rule& rule) {
  std::string full = sentence(rule.title.empty() ? rule.id : rule.title) + " Severity " +
                     std::string(catalog::severity_name(rule.severity)) + ", family " + rule.family + ", batch " +
                     std::to_string(rule.batch) + ".";
  if (!rule.depends_on.empty()) full += " Depends on " + util::join(rule.depends_on, ", ") + ".";
  json d;
  d["id"] = rule.id;
  d["name"] = pascal_name(rule);
  d["shortDescription"] = {{"text", sentence(rule.title.empty() ? rule.id : rule.title)}};
  d["fullDescription"] = {{"text", full}};
  d["defaultConfiguration"] = {{"level", level_for(rule.severity)}};
  // The rule's definition (title, check, message, evidence) is its documentation.
  std::string help_uri = std::string(k_information_uri) + "/blob/main/rules/";
  help_uri += rule.source_file.empty() ? std::string("catalog.yaml") : uri_encode_path(rule.source_file);
  if (rule.source_line > 0) help_uri += "#L" + std::to_string(rule.source_line);
  d["helpUri"] = help_uri;
  d["help"] = {{"text", full + " Defined in rules/" + (rule.source_file.empty() ? "catalog.yaml" : rule.source_file) +
                            "; `sotcheck rules show " + rule.id + "` prints it."}};
  json tags = json::array({rule.family});
  d["properties"] = {{"tags", tags},
                     {"severity", catalog::severity_name(rule.severity)},
                     {"batch", rule.batch},
                     {"depends_on", rule.depends_on}};
  return d;
}

std::string result_message(const exec::Verdict& v, const std::vector<std::string>& items) {
  std::string text = v.status == exec::Status::error ? "Rule could not be evaluated: " + v.message : v.message;
  text = sentence(text.empty() ? v.rule_id + " failed" : text);
  if (!items.empty()) {
    std::vector<std::string> shown(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(
                                                                      std::min(items.size(), k_items_in_message)));
    text += " Offending: " + util::join(shown, ", ");
    if (items.size() > shown.size()) text += " (and " + std::to_string(items.size() - shown.size()) + " more)";
    text += ".";
  }
  return text;
}

}  // namespace

std::vector<std::string> offending_paths(const exec::Verdict& verdict, std::string_view repo_root) {
  std::vector<std::string> items;
  std::set<std::string> seen;
  auto add = [&](std::string item) {
    item = relative_item(std::move(item), repo_root);
    if (item.empty() || items.size() >= k_max_items || !seen.insert(item).second) return;
    items.push_back(std::move(item));
  };
  if (!verdict.evidence.is_object()) return items;
  for (const auto& [key, value] : verdict.evidence.items()) {
    if (is_inventory_key(key)) continue;
    if (value.is_array()) {
      for (const auto& element : value)
        if (auto text = item_text(element)) add(std::move(*text));
    } else if (value.is_string() && is_path_key(key)) {
      add(value.get<std::string>());
    }
  }
  return items;
}

std::string fingerprint(const exec::Verdict& verdict, std::string_view repo_root) {
  std::vector<std::string> items = offending_paths(verdict, repo_root);
  std::sort(items.begin(), items.end());
  std::uint64_t hash = fnv1a(14695981039346656037ull, verdict.rule_id);
  for (const auto& item : items) {
    hash = fnv1a(hash, std::string_view("\0", 1));  // a separator no path contains
    hash = fnv1a(hash, item);
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(hash));
  return buf;
}

FileProbe disk_probe(std::string repo_root) {
  namespace fs = std::filesystem;
  FileProbe probe;
  probe.is_file = [repo_root](const std::string& relpath) {
    if (relpath.empty() || relpath[0] == '/' || relpath.find("..") != std::string::npos) return false;
    std::error_code ec;
    return fs::is_regular_file(fs::path(repo_root) / relpath, ec);
  };
  probe.first_root_file = [repo_root]() -> std::optional<std::string> {
    std::error_code ec;
    std::optional<std::string> best;
    for (fs::directory_iterator it(repo_root, ec), end; !ec && it != end; it.increment(ec)) {
      std::error_code kind_ec;
      if (!it->is_regular_file(kind_ec)) continue;
      std::string name = it->path().filename().string();
      if (!best || name < *best) best = std::move(name);
    }
    return best;
  };
  return probe;
}

std::optional<std::string> location_for(const exec::Verdict& verdict, std::string_view repo_root,
                                        const FileProbe& probe) {
  const std::vector<std::string> items = offending_paths(verdict, repo_root);
  std::size_t probes = 0;
  for (const auto& item : items) {
    if (++probes > k_max_location_probes) break;
    if (probe.is_file && probe.is_file(item)) return item;
  }
  if (!items.empty() && probe.is_file) {
    // The closest README.md at or above the first offending path: the shard's,
    // then the root's (NN_root/README.md, which every root has in SSID).
    std::string dir = items.front();
    while (!dir.empty()) {
      const std::string candidate = dir + "/README.md";
      if (probe.is_file(candidate)) return candidate;
      const auto slash = dir.rfind('/');
      dir = slash == std::string::npos ? "" : dir.substr(0, slash);
    }
  }
  if (probe.is_file && probe.is_file("README.md")) return std::string("README.md");
  if (probe.first_root_file) return probe.first_root_file();
  return std::nullopt;
}

json to_sarif(const catalog::Catalog& catalog, const std::vector<exec::Verdict>& verdicts, const RunInfo& info,
              const FileProbe& probe) {
  json driver;
  driver["name"] = "sotcheck";
  driver["version"] = SOTCHECK_VERSION;
  driver["semanticVersion"] = SOTCHECK_VERSION;
  driver["informationUri"] = k_information_uri;
  json rules = json::array();
  for (const auto& rule : catalog.rules) rules.push_back(rule_descriptor(rule));
  driver["rules"] = std::move(rules);

  const bool with_baseline = !info.baseline_file.empty();
  json results = json::array();
  for (std::size_t i = 0; i < verdicts.size(); ++i) {
    const exec::Verdict& v = verdicts[i];
    if (v.status != exec::Status::fail && v.status != exec::Status::error) continue;
    const std::vector<std::string> items = offending_paths(v, info.repo_root);
    const auto index = catalog.index_of(v.rule_id);
    json r;
    r["ruleId"] = v.rule_id;
    if (index) r["ruleIndex"] = *index;
    r["level"] = v.status == exec::Status::error ? "error" : level_for(v.severity);
    r["message"] = {{"text", result_message(v, items)}};
    if (const auto file = location_for(v, info.repo_root, probe)) {
      json artifact = {{"uri", uri_encode_path(*file)}, {"uriBaseId", "SRCROOT"}};
      r["locations"] = json::array(
          {{{"physicalLocation", {{"artifactLocation", std::move(artifact)}, {"region", {{"startLine", 1}}}}}}});
    }
    r["partialFingerprints"] = {{"sotcheck/v1", fingerprint(v, info.repo_root)}};
    const Disposition& disposition = info.disposition(i);
    if (!disposition.suppressed_reason.empty())
      r["suppressions"] = json::array(
          {{{"kind", "external"}, {"status", "accepted"}, {"justification", disposition.suppressed_reason}}});
    if (with_baseline) r["baselineState"] = disposition.baselined ? "unchanged" : "new";
    json offending = json::array();
    for (std::size_t k = 0; k < items.size() && k < 20; ++k) offending.push_back(items[k]);
    r["properties"] = {{"status", exec::status_name(v.status)},
                       {"severity", catalog::severity_name(v.severity)},
                       {"offending", std::move(offending)},
                       {"evidence", v.evidence}};
    results.push_back(std::move(r));
  }

  json run;
  run["tool"] = {{"driver", std::move(driver)}};
  std::string root_uri = "file://" + uri_encode_path(info.repo_root);
  if (root_uri.empty() || root_uri.back() != '/') root_uri += '/';
  run["originalUriBaseIds"] = {
      {"SRCROOT", {{"uri", root_uri}, {"description", {{"text", "The root of the validated repository."}}}}}};
  run["invocations"] = json::array({{{"executionSuccessful", true}}});
  run["results"] = std::move(results);
  run["columnKind"] = "utf16CodeUnits";
  run["properties"] = {{"profile", catalog::profile_name(info.profile)}};

  json log;
  log["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
  log["version"] = "2.1.0";
  log["runs"] = json::array({std::move(run)});
  return log;
}

}  // namespace sotcheck::report
