// The offending items a verdict names in its evidence, and their fingerprint:
// the name of a FAIL or ERROR verdict that carries no findings (an ERROR,
// mostly) in SARIF, GitLab and baselines. Everything with findings is
// fingerprinted per finding instead (finding_location.cpp).

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <set>

#include "sotcheck/report/report.hpp"
#include "sotcheck/util/hash.hpp"
#include "sotcheck/util/strings.hpp"

namespace sotcheck::report {
namespace {

using json = nlohmann::ordered_json;

/// Evidence lists that describe what is fine (the inventory a rule looked at),
/// not what breaks it; they do not fingerprint a failure.
constexpr std::array<std::string_view, 9> k_inventory_prefixes = {
    "found_", "valid_", "reference_", "expected_", "required_", "total_", "all_", "existing_", "checked_"};

/// Fields of an evidence object that name the offending path, most specific first.
constexpr std::array<std::string_view, 6> k_path_fields = {"path", "file", "dir", "shard", "root", "name"};

/// A single failure's list may be huge (every file of a tree); a fingerprint
/// needs only enough items to identify it.
constexpr std::size_t k_max_items = 1000;

bool is_inventory_key(std::string_view key) {
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
  std::uint64_t hash = util::fnv1a(verdict.rule_id);
  for (const auto& item : items) {
    hash = util::fnv1a(std::string_view("\0", 1), hash);  // a separator no path contains
    hash = util::fnv1a(item, hash);
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(hash));
  return buf;
}

}  // namespace sotcheck::report
