#include "sotcheck/cli/config.hpp"

#include <fnmatch.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "sotcheck/plan/plan.hpp"
#include "sotcheck/report/report.hpp"
#include "sotcheck/util/strings.hpp"

namespace sotcheck::cli {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string>& known_keys() {
  static const std::vector<std::string> keys = {
      "version",     "profile", "mode",     "workers",  "select",     "ignore",
      "min_severity", "fail_on", "exit_code_style", "formats", "baseline", "honour_dependencies",
      "progress",    "exclusions", "suppressions"};
  return keys;
}

/// Collects every problem of one file before failing (the catalog loader's
/// habit): a user fixing a config should see all of it at once.
class Problems {
 public:
  explicit Problems(std::string path) : m_path(std::move(path)) {}
  void add(const YAML::Mark& mark, const std::string& what) {
    m_lines.push_back(m_path + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1) + ": " +
                      what);
  }
  void add(const std::string& what) { m_lines.push_back(m_path + ": " + what); }
  bool empty() const { return m_lines.empty(); }
  std::string text() const { return util::join(m_lines, "\n"); }

 private:
  std::string m_path;
  std::vector<std::string> m_lines;
};

std::optional<std::string> scalar(const YAML::Node& node, const std::string& key, Problems& problems) {
  if (!node.IsScalar()) {
    problems.add(node.Mark(), "'" + key + "' must be a single value");
    return std::nullopt;
  }
  return node.Scalar();
}

/// A string or a list of strings.
std::optional<std::vector<std::string>> string_list(const YAML::Node& node, const std::string& key,
                                                    Problems& problems) {
  std::vector<std::string> out;
  if (node.IsScalar()) {
    out.push_back(node.Scalar());
    return out;
  }
  if (node.IsNull()) return out;
  if (!node.IsSequence()) {
    problems.add(node.Mark(), "'" + key + "' must be a string or a list of strings");
    return std::nullopt;
  }
  bool ok = true;
  for (const auto& item : node) {
    if (!item.IsScalar()) {
      problems.add(item.Mark(), "'" + key + "' entries must be strings");
      ok = false;
      continue;
    }
    out.push_back(item.Scalar());
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<std::string> one_of(const YAML::Node& node, const std::string& key,
                                  const std::vector<std::string>& choices, Problems& problems) {
  auto text = scalar(node, key, problems);
  if (!text) return std::nullopt;
  for (const auto& c : choices)
    if (*text == c) return text;
  problems.add(node.Mark(), "'" + key + "': '" + *text + "' is not one of " + util::join(choices, ", "));
  return std::nullopt;
}

std::optional<catalog::Severity> severity(const YAML::Node& node, const std::string& key, Problems& problems) {
  auto text = scalar(node, key, problems);
  if (!text) return std::nullopt;
  auto s = catalog::parse_severity(*text);
  if (!s) problems.add(node.Mark(), "'" + key + "': '" + *text + "' is not CRITICAL, HIGH, MEDIUM, LOW or INFO");
  return s;
}

/// Relative files are anchored at the config file's directory; "-" is stdout.
std::string anchored(const std::string& file, const std::string& config_path) {
  if (file.empty() || file == "-") return file;
  const fs::path p(file);
  if (p.is_absolute()) return file;
  const fs::path base = fs::path(config_path).parent_path();
  return base.empty() ? file : (base / p).lexically_normal().string();
}

void check_keys(const YAML::Node& map, const std::vector<std::string>& keys, const std::string& where,
                Problems& problems) {
  for (const auto& entry : map) {
    const std::string key = entry.first.IsScalar() ? entry.first.Scalar() : std::string("?");
    bool known = false;
    for (const auto& k : keys) known = known || k == key;
    if (!known)
      problems.add(entry.first.Mark(), "unknown key '" + key + "'" + where + " (known: " + util::join(keys, ", ") + ")");
  }
}

std::optional<std::vector<OutputSpec>> formats(const YAML::Node& node, const std::string& path, Problems& problems) {
  std::vector<OutputSpec> out;
  std::vector<YAML::Node> items;
  if (node.IsSequence()) {
    for (const auto& item : node) items.push_back(item);
  } else {
    items.push_back(node);
  }
  bool ok = true;
  for (const auto& item : items) {
    std::string text;
    if (item.IsScalar()) {
      text = item.Scalar();
    } else if (item.IsMap()) {
      check_keys(item, {"name", "file"}, " in a format", problems);
      if (!item["name"] || !item["name"].IsScalar()) {
        problems.add(item.Mark(), "a format needs a 'name' (text, json, sarif, junit or github)");
        ok = false;
        continue;
      }
      text = item["name"].Scalar();
      if (item["file"] && item["file"].IsScalar()) text += "=" + item["file"].Scalar();
    } else {
      problems.add(item.Mark(), "'formats' entries are NAME, NAME=FILE or {name, file}");
      ok = false;
      continue;
    }
    auto spec = parse_output_spec(text);
    if (!spec) {
      problems.add(item.Mark(), spec.error());
      ok = false;
      continue;
    }
    spec->file = anchored(spec->file, path);
    out.push_back(*spec);
  }
  if (!ok) return std::nullopt;
  return out;
}

void suppressions(const YAML::Node& node, const std::string& path, Problems& problems, ConfigFile& config) {
  if (!node.IsSequence()) {
    problems.add(node.Mark(), "'suppressions' must be a list of {rule, reason, paths}");
    return;
  }
  for (const auto& item : node) {
    if (!item.IsMap()) {
      problems.add(item.Mark(), "a suppression is a map with 'rule', 'reason' and optional 'paths'");
      continue;
    }
    check_keys(item, {"rule", "reason", "paths"}, " in a suppression", problems);
    Suppression s;
    s.origin = path + ":" + std::to_string(item.Mark().line + 1);
    if (!item["rule"] || !item["rule"].IsScalar() || item["rule"].Scalar().empty()) {
      problems.add(item.Mark(), "a suppression needs 'rule' (an id, family or glob)");
      continue;
    }
    s.rule = item["rule"].Scalar();
    if (!item["reason"] || !item["reason"].IsScalar() ||
        item["reason"].Scalar().find_first_not_of(" \t\r\n") == std::string::npos) {
      problems.add(item.Mark(), "the suppression of '" + s.rule + "' needs a 'reason': say why it is acceptable");
      continue;
    }
    s.reason = item["reason"].Scalar();
    if (item["paths"]) {
      auto paths = string_list(item["paths"], "paths", problems);
      if (!paths) continue;
      s.paths = std::move(*paths);
    }
    config.suppressions.push_back(std::move(s));
  }
}

}  // namespace

util::Result<OutputSpec> parse_output_spec(std::string_view text) {
  const auto eq = text.find('=');
  OutputSpec spec{std::string(text.substr(0, eq)), eq == std::string_view::npos ? "" : std::string(text.substr(eq + 1))};
  static const std::vector<std::string> k_formats = {"text", "json", "sarif", "junit", "github", "gitlab"};
  for (const auto& f : k_formats)
    if (spec.format == f) {
      if (eq != std::string_view::npos && spec.file.empty())
        return util::make_error("format '" + spec.format + "=' names no file");
      return spec;
    }
  return util::make_error("unknown format '" + spec.format + "' (expected text, json, sarif, junit, github or gitlab)");
}

util::Result<ConfigFile> parse_config(std::string_view text, const std::string& path) {
  Problems problems(path);
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    problems.add(e.mark, "invalid YAML: " + e.msg);
    return util::make_error(problems.text());
  }
  ConfigFile config;
  config.path = path;
  if (root.IsNull()) return config;  // an empty file sets nothing
  if (!root.IsMap()) {
    problems.add(root.Mark(), "the config must be a map of options (profile, select, fail_on, ...)");
    return util::make_error(problems.text());
  }
  std::map<std::string, int> seen;
  for (const auto& entry : root) {
    if (!entry.first.IsScalar()) {
      problems.add(entry.first.Mark(), "keys must be plain names");
      continue;
    }
    const std::string key = entry.first.Scalar();
    const YAML::Node& value = entry.second;
    if (seen.count(key) != 0) {
      problems.add(entry.first.Mark(), "duplicate key '" + key + "' (first at line " + std::to_string(seen[key]) + ")");
      continue;
    }
    seen[key] = entry.first.Mark().line + 1;
    if (key == "version") {
      auto v = scalar(value, key, problems);
      if (v && *v != "1") problems.add(value.Mark(), "'version': only version 1 exists");
    } else if (key == "profile") {
      if (auto v = one_of(value, key, {"strict", "reference"}, problems)) config.profile = catalog::parse_profile(*v);
    } else if (key == "mode") {
      if (auto v = one_of(value, key, {"auto", "process", "thread", "sequential"}, problems))
        config.mode = *v == "process"  ? exec::Mode::process
                      : *v == "thread" ? exec::Mode::thread
                      : *v == "sequential" ? exec::Mode::sequential
                                           : exec::Mode::automatic;
    } else if (key == "workers") {
      auto v = scalar(value, key, problems);
      if (v) {
        try {
          std::size_t used = 0;
          const long n = std::stol(*v, &used);
          if (used != v->size() || n < 0 || n > 4096) throw std::out_of_range(*v);
          config.workers = static_cast<unsigned>(n);
        } catch (const std::exception&) {
          problems.add(value.Mark(), "'workers' must be a number from 0 (all CPUs) to 4096");
        }
      }
    } else if (key == "select") {
      config.select = string_list(value, key, problems);
    } else if (key == "ignore") {
      config.ignore = string_list(value, key, problems);
    } else if (key == "min_severity") {
      config.min_severity = severity(value, key, problems);
    } else if (key == "fail_on") {
      config.fail_on = severity(value, key, problems);
    } else if (key == "exit_code_style") {
      if (auto v = one_of(value, key, {"default", "reference"}, problems))
        config.exit_code_style = *v == "reference" ? ExitCodeStyle::reference : ExitCodeStyle::standard;
    } else if (key == "formats") {
      config.formats = formats(value, path, problems);
    } else if (key == "baseline") {
      if (auto v = scalar(value, key, problems)) config.baseline = anchored(*v, path);
    } else if (key == "honour_dependencies") {
      bool flag = false;
      if (value.IsScalar() && YAML::convert<bool>::decode(value, flag))
        config.honour_dependencies = flag;
      else
        problems.add(value.Mark(), "'honour_dependencies' must be true or false");
    } else if (key == "progress") {
      config.progress = one_of(value, key, {"never", "auto", "always"}, problems);
    } else if (key == "exclusions") {
      if (auto names = string_list(value, key, problems)) {
        for (const auto& name : *names) {
          // The walk skips directories by name at any depth (as it does .git);
          // a path would promise more than it does.
          if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..")
            problems.add(value.Mark(), "'exclusions' takes directory names (e.g. vendor), not paths: '" + name + "'");
          else
            config.exclusions.push_back(name);
        }
      }
    } else if (key == "suppressions") {
      suppressions(value, path, problems, config);
    } else {
      problems.add(entry.first.Mark(),
                   "unknown key '" + key + "' (known: " + util::join(known_keys(), ", ") + ")");
    }
  }
  if (!problems.empty()) return util::make_error(problems.text());
  return config;
}

util::Result<ConfigFile> load_config(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return util::make_error(path + ": cannot read the config file");
  std::stringstream text;
  text << in.rdbuf();
  if (in.bad()) return util::make_error(path + ": cannot read the config file");
  return parse_config(text.str(), path);
}

util::Result<std::optional<ConfigFile>> find_config(const std::string& explicit_path, const std::string& repo) {
  if (!explicit_path.empty()) {
    std::error_code ec;
    if (!fs::is_regular_file(explicit_path, ec) && !fs::exists(explicit_path, ec))
      return util::make_error("--config " + explicit_path + ": no such file");
    auto config = load_config(explicit_path);
    if (!config) return util::make_error(config.error());
    return std::optional<ConfigFile>(std::move(*config));
  }
  const fs::path implicit = fs::path(repo) / std::string(k_config_file_name);
  std::error_code ec;
  if (!fs::exists(implicit, ec)) return std::optional<ConfigFile>();
  auto config = load_config(implicit.string());
  if (!config) return util::make_error(config.error());
  return std::optional<ConfigFile>(std::move(*config));
}

void apply_config(const ConfigFile& config, const std::function<bool(std::string_view)>& given,
                  ValidateOptions& options) {
  if (config.profile && !given("--profile")) options.profile = *config.profile;
  if (config.mode && !given("--mode")) options.mode = *config.mode;
  if (config.workers && !given("--workers")) options.workers = *config.workers;
  if (config.select && !given("--select")) options.selection.select = *config.select;
  if (config.ignore && !given("--ignore")) options.selection.ignore = *config.ignore;
  if (config.min_severity && !given("--min-severity")) options.selection.min_severity = *config.min_severity;
  if (config.fail_on && !given("--fail-on")) options.fail_on = *config.fail_on;
  if (config.exit_code_style && !given("--exit-code-style")) options.exit_code_style = *config.exit_code_style;
  if (config.formats && !given("--format") && !given("--output")) options.outputs = *config.formats;
  if (config.baseline && !given("--baseline")) options.baseline_file = *config.baseline;
  if (config.honour_dependencies && !given("--honour-dependencies"))
    options.honour_dependencies = *config.honour_dependencies;
  if (config.progress && !given("--progress")) options.progress = *config.progress;
  options.exclusions.insert(options.exclusions.end(), config.exclusions.begin(), config.exclusions.end());
  options.suppressions.insert(options.suppressions.end(), config.suppressions.begin(), config.suppressions.end());
}

std::string suppression_reason(const std::vector<Suppression>& suppressions, const catalog::Rule& rule,
                               const exec::Verdict& verdict, std::string_view repo_root) {
  for (const auto& s : suppressions) {
    if (!plan::selector_matches(s.rule, rule)) continue;
    if (s.paths.empty()) return s.reason;
    const auto items = report::offending_paths(verdict, repo_root);
    bool all = !items.empty();
    for (const auto& item : items) {
      bool matched = false;
      for (const auto& glob : s.paths) matched = matched || ::fnmatch(glob.c_str(), item.c_str(), 0) == 0;
      all = all && matched;
    }
    if (all) return s.reason;
  }
  return "";
}

}  // namespace sotcheck::cli
