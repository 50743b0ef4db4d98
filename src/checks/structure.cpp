// The structural primitives of docs/catalog-format.md (P1-P4): counting, presence and
// naming of the root and shard directories. They read only directory entries.

#include <map>
#include <set>

#include "sotcheck/checks/registry.hpp"
#include "sotcheck/checks/scope.hpp"
#include "sotcheck/util/strings.hpp"

namespace sotcheck::checks {
namespace {

using json = nlohmann::ordered_json;

constexpr const char* k_nn_name_regex = "^[0-9]{2}_[a-z_]+$";

std::shared_ptr<const RE2> regex_or_default(Params& params, const std::string& key) {
  if (params.node(key).is_defined()) return params.regex(key);
  return std::make_shared<RE2>(k_nn_name_regex);
}

/// The roots of the repository (entry 0's matching child directories).
std::vector<ScopeDir> roots_of(const snapshot::ImageView& image, const RE2& root_regex) {
  return child_dirs(image, 0, &root_regex);
}

// ---------------------------------------------------------------- P1 dir_count
class DirCount final : public Check {
 public:
  bool per_root = false;
  bool sum = false;
  long long expected = 0;
  std::string container;
  std::shared_ptr<const RE2> name_regex, root_regex;

  Outputs evaluate(const EvalContext& context) const override {
    const auto& image = context.image;
    Outputs out;
    if (!per_root) {
      // Count the repository's own children (the roots).
      const auto found = child_dirs(image, 0, name_regex.get());
      json names = json::array();
      std::set<int> prefixes;
      for (const auto& d : found) {
        names.push_back(std::string(d.name));
        prefixes.insert((d.name[0] - '0') * 10 + (d.name[1] - '0'));
      }
      json missing = json::array();
      for (int n = 1; n <= expected; ++n)
        if (!prefixes.count(n)) missing.push_back(util::two_digits(n) + "_*");
      out.passed = static_cast<long long>(found.size()) == expected;
      if (!out.passed) {
        for (const auto& m : missing)
          out.findings.push_back(make_finding(m.get<std::string>(), FindingKind::missing,
                                              "no root folder numbered " + m.get<std::string>().substr(0, 2) +
                                                  ": expected " + std::to_string(expected) + " numbered roots"));
        if (out.findings.empty()) {
          Finding f = make_finding(std::string(k_repository_path), FindingKind::invalid_value,
                                   "the repository holds " + std::to_string(found.size()) +
                                       " root folders: expected " + std::to_string(expected));
          f.expected = std::to_string(expected);
          f.actual = std::to_string(found.size());
          out.findings.push_back(std::move(f));
        }
      }
      out.values["count"] = found.size();
      out.values["names"] = std::move(names);
      out.values["missing_numbers"] = std::move(missing);
      out.values["bases_checked"] = 1;
      return out;
    }
    json per_base = json::array();
    json violations = json::array();
    size_t total = 0;
    const auto roots = roots_of(image, *root_regex);
    for (const auto& root : roots) {
      std::uint32_t base = 0;
      std::vector<ScopeDir> shards;
      if (shard_container(image, root.entry, container, &base)) shards = child_dirs(image, base, name_regex.get());
      total += shards.size();
      if (static_cast<long long>(shards.size()) != expected && !sum) {
        // The folder that should hold the shards (it may itself be missing).
        const std::string holder =
            container.empty() ? std::string(image.path(root.entry)) : std::string(image.path(root.entry)) + "/" + container;
        Finding f = make_finding(holder, FindingKind::invalid_value,
                                 holder + " holds " + std::to_string(shards.size()) + " shard folders: expected " +
                                     std::to_string(expected));
        if (static_cast<long long>(shards.size()) < expected && shards.empty() &&
            !shard_container(image, root.entry, container, &base))
          f.kind = FindingKind::missing;
        f.expected = std::to_string(expected);
        f.actual = std::to_string(shards.size());
        out.findings.push_back(std::move(f));
      }
      per_base.push_back({{"root", std::string(root.name)}, {"shard_count", shards.size()}});
      if (static_cast<long long>(shards.size()) != expected) {
        json found = json::array();
        for (const auto& s : shards) found.push_back(std::string(s.name));
        violations.push_back({{"root", std::string(root.name)},
                              {"expected_shards", expected},
                              {"actual_shards", shards.size()},
                              {"found_shards", std::move(found)}});
      }
    }
    out.passed = sum ? static_cast<long long>(total) == expected : violations.empty();
    if (!out.passed && out.findings.empty()) {
      Finding f = make_finding(std::string(k_repository_path), FindingKind::invalid_value,
                               "the roots hold " + std::to_string(total) + " shard folders in all: expected " +
                                   std::to_string(expected));
      f.expected = std::to_string(expected);
      f.actual = std::to_string(total);
      out.findings.push_back(std::move(f));
    }
    out.values["count"] = total;
    out.values["per_base"] = std::move(per_base);
    out.values["violation_count"] = violations.size();
    out.values["violations"] = std::move(violations);
    out.values["bases_checked"] = roots.size();
    return out;
  }
};

// ------------------------------------------------------------ P2 each_has_path
class EachHasPath final : public Check {
 public:
  bool over_shards = false;
  bool must_be_dir = false;
  bool empty_fails = false;
  std::string relpath, container;
  std::shared_ptr<const RE2> root_regex, shard_regex;

  Outputs evaluate(const EvalContext& context) const override {
    const auto& image = context.image;
    Outputs out;
    json missing = json::array();
    size_t checked = 0;
    auto test = [&](std::uint32_t dir, const std::string& label) {
      ++checked;
      const auto found = image.lookup(dir, relpath);
      const bool ok = found && (must_be_dir ? image.is_dir_following_links(*found)
                                            : image.exists_following_links(*found));
      if (!ok) {
        missing.push_back(label);
        const std::string where = image.path(dir).empty() ? relpath : std::string(image.path(dir)) + "/" + relpath;
        out.findings.push_back(make_finding(where, FindingKind::missing,
                                            "no " + std::string(must_be_dir ? "folder " : "") + relpath + " in " +
                                                std::string(image.path(dir)) + ": every " +
                                                (over_shards ? "shard" : "root") + " needs one"));
      }
    };
    for (const auto& root : roots_of(image, *root_regex)) {
      if (!over_shards) {
        test(root.entry, std::string(root.name));
        continue;
      }
      std::uint32_t base = 0;
      if (!shard_container(image, root.entry, container, &base)) continue;
      for (const auto& shard : child_dirs(image, base, shard_regex.get()))
        test(shard.entry, std::string(root.name) + "/" + std::string(shard.name));
    }
    out.passed = missing.empty();
    if (checked == 0 && empty_fails) {
      out.passed = false;
      out.notes["scope_empty"] = std::string("no ") + (over_shards ? "shards" : "roots") +
                                 " found: an empty scope fails in this profile";
      out.findings.push_back(make_finding(std::string(k_repository_path), FindingKind::missing,
                                          std::string("no ") + (over_shards ? "shard" : "root") +
                                              " folders found: expected each to hold " + relpath));
    }
    out.values["checked"] = checked;
    out.values["missing_count"] = missing.size();
    out.values["missing"] = std::move(missing);
    return out;
  }
};

// ----------------------------------------------------- P3 child_sets_identical
class ChildSetsIdentical final : public Check {
 public:
  std::string container;
  bool empty_fails = false;
  std::shared_ptr<const RE2> root_regex, child_regex;

  Outputs evaluate(const EvalContext& context) const override {
    const auto& image = context.image;
    Outputs out;
    const auto roots = roots_of(image, *root_regex);
    if (roots.empty()) {
      out.passed = false;
      out.message = "No root directories found";
      out.evidence = json{{"error", "No root directories to validate"}};
      out.findings.push_back(make_finding(std::string(k_repository_path), FindingKind::missing,
                                          "no root folders found: expected numbered roots to compare"));
      return out;
    }
    auto children_of = [&](const ScopeDir& root) {
      std::set<std::string> names;
      std::uint32_t base = 0;
      if (shard_container(image, root.entry, container, &base))
        for (const auto& c : child_dirs(image, base, child_regex.get())) names.insert(std::string(c.name));
      return names;
    };
    const std::set<std::string> reference = children_of(roots.front());
    json inconsistencies = json::array();
    size_t total_children = reference.size();
    for (size_t i = 1; i < roots.size(); ++i) {
      const std::set<std::string> here = children_of(roots[i]);
      total_children += here.size();
      if (here == reference) continue;
      json missing = json::array(), extra = json::array();
      const std::string holder = container.empty() ? std::string(image.path(roots[i].entry))
                                                   : std::string(image.path(roots[i].entry)) + "/" + container;
      for (const auto& n : reference)
        if (!here.count(n)) {
          missing.push_back(n);
          out.findings.push_back(make_finding(holder + "/" + n, FindingKind::missing,
                                              "shard " + n + " is missing from " + std::string(roots[i].name) +
                                                  ": " + std::string(roots.front().name) + " has it"));
        }
      for (const auto& n : here)
        if (!reference.count(n)) {
          extra.push_back(n);
          out.findings.push_back(make_finding(holder + "/" + n, FindingKind::forbidden_entry,
                                              "shard " + n + " of " + std::string(roots[i].name) + " is not in " +
                                                  std::string(roots.front().name) + ": every root needs the same shards"));
        }
      inconsistencies.push_back(
          {{"root", std::string(roots[i].name)}, {"missing_shards", missing}, {"extra_shards", extra}});
    }
    out.passed = inconsistencies.empty();
    if (total_children == 0 && empty_fails) {
      out.passed = false;
      out.notes["scope_empty"] = "no shards found in any root: an empty scope fails in this profile";
      out.findings.push_back(make_finding(std::string(k_repository_path), FindingKind::missing,
                                          "no shard folders found in any root"));
    }
    out.values["reference"] = std::string(roots.front().name);
    out.values["reference_children"] = json(std::vector<std::string>(reference.begin(), reference.end()));
    out.values["inconsistency_count"] = inconsistencies.size();
    out.values["inconsistencies"] = std::move(inconsistencies);
    return out;
  }
};

// --------------------------------------------------------- P4 dir_name_policy
class DirNamePolicy final : public Check {
 public:
  bool per_root = false;
  bool only_matching = false;  // "regex_matching" candidates (the cached variant)
  bool ignore_hidden = true;
  std::vector<std::string> ignore_names;
  std::string container, violation_key;
  long long low = 0, high = 0;
  std::string out_of_range_issue, bad_pattern_issue;
  std::shared_ptr<const RE2> name_regex, root_regex;

  Outputs evaluate(const EvalContext& context) const override {
    const auto& image = context.image;
    Outputs out;
    json valid = json::array();
    json violations = json::array();
    auto examine = [&](std::uint32_t dir) {
      for (const auto& child : child_dirs(image, dir, nullptr)) {
        std::string number;
        const bool matches =
            RE2::PartialMatch(re2::StringPiece(child.name.data(), child.name.size()), *name_regex, &number);
        const std::string where(image.path(child.entry));
        if (matches) {
          const int n = std::stoi(number);
          if (n >= low && n <= high) {
            valid.push_back(std::string(child.name));
          } else {
            std::string issue = out_of_range_issue;
            const auto at = issue.find("{num}");
            if (at != std::string::npos) issue.replace(at, 5, util::two_digits(n));
            violations.push_back({{violation_key, where}, {"issue", issue}});
            Finding f = make_finding(where, FindingKind::forbidden_entry,
                                     std::string(child.name) + " is numbered " + util::two_digits(n) +
                                         ": expected a number from " + util::two_digits(static_cast<int>(low)) +
                                         " to " + util::two_digits(static_cast<int>(high)));
            f.actual = std::string(child.name);
            out.findings.push_back(std::move(f));
          }
          continue;
        }
        if (only_matching) continue;
        if (ignore_hidden && !child.name.empty() && child.name[0] == '.') continue;
        if (std::find(ignore_names.begin(), ignore_names.end(), child.name) != ignore_names.end()) continue;
        violations.push_back({{violation_key, where}, {"issue", bad_pattern_issue}});
        Finding f = make_finding(where, FindingKind::forbidden_entry,
                                 std::string(child.name) + " is not a valid name: expected one matching " +
                                     name_regex->pattern());
        f.expected = name_regex->pattern();
        f.actual = std::string(child.name);
        out.findings.push_back(std::move(f));
      }
    };
    if (!per_root) {
      examine(0);
    } else {
      for (const auto& root : roots_of(image, *root_regex)) {
        std::uint32_t base = 0;
        if (shard_container(image, root.entry, container, &base)) examine(base);
      }
    }
    out.passed = violations.empty();
    out.values["valid"] = std::move(valid);
    out.values["violation_count"] = violations.size();
    out.values["violations"] = std::move(violations);
    return out;
  }
};

bool base_is_each_root(Params& params) { return params.choice("base", {"repo", "each_root"}, "") == "each_root"; }

}  // namespace

std::unique_ptr<Check> make_dir_count(Params& params) {
  auto check = std::make_unique<DirCount>();
  check->per_root = base_is_each_root(params);
  check->name_regex = params.regex("name_regex");
  check->root_regex = regex_or_default(params, "root_regex");
  check->sum = params.choice("aggregate", {"each", "sum"}, "each") == "sum";
  check->expected = params.integer_or("expected", 0);
  check->container = params.string_or("container", "");
  if (!check->name_regex || !check->root_regex) return nullptr;
  return check;
}

std::unique_ptr<Check> make_each_has_path(Params& params) {
  auto check = std::make_unique<EachHasPath>();
  check->over_shards = params.choice("scope", {"roots", "shards"}, "") == "shards";
  check->relpath = params.string_or("relpath", "");
  if (check->relpath.empty()) params.error("each_has_path needs a non-empty 'relpath'");
  check->must_be_dir = params.choice("path_kind", {"exists", "dir"}, "exists") == "dir";
  check->container = params.string_or("container", "");
  check->empty_fails = params.choice("empty", {"pass", "fail"}, "pass") == "fail";
  check->root_regex = regex_or_default(params, "root_regex");
  check->shard_regex = regex_or_default(params, "shard_regex");
  if (!check->root_regex || !check->shard_regex) return nullptr;
  return check;
}

std::unique_ptr<Check> make_child_sets_identical(Params& params) {
  auto check = std::make_unique<ChildSetsIdentical>();
  params.choice("scope", {"roots"}, "roots");
  check->container = params.string_or("container", "");
  check->empty_fails = params.choice("empty", {"pass", "fail"}, "pass") == "fail";
  check->root_regex = regex_or_default(params, "root_regex");
  check->child_regex = regex_or_default(params, "child_regex");
  if (!check->root_regex || !check->child_regex) return nullptr;
  return check;
}

std::unique_ptr<Check> make_dir_name_policy(Params& params) {
  auto check = std::make_unique<DirNamePolicy>();
  check->per_root = base_is_each_root(params);
  check->only_matching = params.choice("candidates", {"all_dirs", "regex_matching"}, "all_dirs") == "regex_matching";
  check->name_regex = params.regex("name_regex", true, 1);
  check->root_regex = regex_or_default(params, "root_regex");
  check->container = params.string_or("container", "");
  check->ignore_hidden = params.boolean_or("ignore_hidden", true);
  check->ignore_names = params.string_list("ignore_names");
  check->violation_key = params.choice("violation_key", {"path", "dir"}, "path");
  ParamNode range = params.node("range");
  if (!range.is_sequence() || range.size() != 2) {
    params.error("dir_name_policy needs 'range: [low, high]'", range);
  } else {
    const auto low = range.item(0).to_integer();
    const auto high = range.item(1).to_integer();
    if (low && high) {
      check->low = *low;
      check->high = *high;
    } else {
      params.error("'range' must hold two integers", range);
    }
  }
  ParamNode issues = params.node("issues");
  if (!issues.is_map() || !issues["out_of_range"] || !issues["bad_pattern"]) {
    params.error("dir_name_policy needs 'issues: {out_of_range: ..., bad_pattern: ...}'", issues);
  } else {
    // An empty value reads as the text "null", as yaml-cpp's string conversion had it.
    const auto issue_text = [&params](const ParamNode& node, const char* key) {
      if (node.is_null()) return std::string("null");
      if (!node.is_scalar()) params.error(std::string("'issues.") + key + "' must be a string", node);
      return node.scalar();
    };
    check->out_of_range_issue = issue_text(issues["out_of_range"], "out_of_range");
    check->bad_pattern_issue = issue_text(issues["bad_pattern"], "bad_pattern");
    for (const auto& kv : issues) {
      const std::string& key = kv.first.scalar();
      if (key != "out_of_range" && key != "bad_pattern") params.error("unknown key 'issues." + key + "'", kv.first);
    }
  }
  if (!check->name_regex || !check->root_regex) return nullptr;
  return check;
}

}  // namespace sotcheck::checks
