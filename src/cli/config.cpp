#include "sotcheck/cli/config.hpp"

#include <fnmatch.h>
#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cmath>
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>

#include "sotcheck/plan/plan.hpp"
#include "sotcheck/report/report.hpp"
#include "sotcheck/util/edit_distance.hpp"
#include "sotcheck/util/regular_file.hpp"
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

std::optional<std::vector<OutputSpec>> formats(const YAML::Node& node, const std::string& path, Problems& problems,
                                               std::vector<ConfigPath>& files) {
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
    const std::string written = spec->file;
    spec->file = anchored(spec->file, path);
    if (!written.empty() && written != "-") files.push_back({"formats", written, spec->file});
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
    s.rule = util::to_upper_ascii(item["rule"].Scalar());  // ids and families are upper case, as for select
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
  static const std::vector<std::string> k_formats = {"text", "json", "sarif", "junit", "github", "gitlab", "html", "matrix"};
  for (const auto& f : k_formats)
    if (spec.format == f) {
      if (eq != std::string_view::npos && spec.file.empty())
        return util::make_error("format '" + spec.format + "=' names no file");
      return spec;
    }
  return util::make_error("unknown format '" + spec.format + "' (expected text, json, sarif, junit, github, gitlab, html or matrix)");
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
      if (value.IsScalar() && util::to_upper_ascii(value.Scalar()) == "NONE")
        config.fail_on_none = true;  // report only: nothing fails the run
      else
        config.fail_on = severity(value, key, problems);
    } else if (key == "exit_code_style") {
      if (auto v = one_of(value, key, {"default", "reference"}, problems))
        config.exit_code_style = *v == "reference" ? ExitCodeStyle::reference : ExitCodeStyle::standard;
    } else if (key == "formats") {
      config.formats = formats(value, path, problems, config.files);
    } else if (key == "baseline") {
      if (auto v = scalar(value, key, problems)) {
        config.baseline = anchored(*v, path);
        config.files.push_back({"baseline", *v, *config.baseline});
      }
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
  auto text = util::read_regular_file(path, util::k_config_size_cap);
  if (!text) return util::make_error(text.error());
  return parse_config(*text, path);
}

namespace {

bool inside(const fs::path& path, const fs::path& root) {
  const fs::path relative = path.lexically_relative(root);
  return !relative.empty() && *relative.begin() != "..";
}

}  // namespace

util::Result<void> confine_to_repository(const ConfigFile& config, const std::string& repo) {
  std::error_code ec;
  const fs::path root = fs::canonical(repo, ec);
  if (ec) return util::make_error(repo + ": cannot resolve the repository: " + ec.message());
  const std::string advice = "; a config found in the repository may only name files inside it "
                             "(pass a trusted config with --config, or ignore it with --no-config)";
  for (const ConfigPath& file : config.files) {
    const std::string what = config.path + ": '" + file.key + "' names '" + file.written + "'";
    const fs::path written(file.written);
    if (written.is_absolute()) return util::make_error(what + ", an absolute path" + advice);
    const fs::path normal = written.lexically_normal();
    if (normal.empty() || *normal.begin() == ".." || normal == ".")
      return util::make_error(what + ", which escapes the repository" + advice);
    // Symlinks: a report is created by rename in its directory, so that
    // directory must resolve inside; a baseline is read, so the file must.
    const fs::path target = root / normal;
    const fs::path checked = file.key == "baseline" ? target : target.parent_path();
    const fs::path resolved = fs::weakly_canonical(checked, ec);
    if (ec) return util::make_error(what + ": cannot resolve it: " + ec.message());
    if (resolved != root && !inside(resolved, root))
      return util::make_error(what + ", which leads outside the repository through a symlink" + advice);
    // An existing destination must be a plain file (or a link to one, which the
    // report replaces): never a device or FIFO the report would be written into.
    if (file.key == "formats" && fs::exists(fs::symlink_status(target, ec)) && fs::exists(target, ec) &&
        !fs::is_regular_file(target, ec))
      return util::make_error(what + ", which is not a regular file" + advice);
  }
  return {};
}

util::Result<double> parse_rule_timeout(std::string_view text) {
  const std::string copy(text);
  char* end = nullptr;
  errno = 0;
  const double seconds = std::strtod(copy.c_str(), &end);
  if (copy.empty() || end != copy.c_str() + copy.size())
    return util::make_error("--rule-timeout " + copy + ": expected a number of seconds");
  const bool overflowed = errno == ERANGE && std::isinf(seconds);  // "1e999": huge, not infinite
  if (std::isnan(seconds) || (std::isinf(seconds) && !overflowed))
    return util::make_error("--rule-timeout " + copy + ": expected a finite number of seconds");
  if (seconds <= 0) return util::make_error("--rule-timeout " + copy + ": must be more than 0 seconds");
  return std::min(seconds, k_max_rule_timeout_seconds);
}

util::Result<std::optional<ConfigFile>> find_config(const std::string& explicit_path, const std::string& repo,
                                                    bool use_tree_config) {
  if (!explicit_path.empty()) {
    std::error_code ec;
    if (!fs::exists(explicit_path, ec)) return util::make_error("--config " + explicit_path + ": no such file");
    auto config = load_config(explicit_path);
    if (!config) return util::make_error(config.error());
    return std::optional<ConfigFile>(std::move(*config));
  }
  if (!use_tree_config) return std::optional<ConfigFile>();
  const fs::path implicit = fs::path(repo) / std::string(k_config_file_name);
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(implicit, ec))) return std::optional<ConfigFile>();
  // The tree's config may be a symlink, but only to a file inside the tree.
  const fs::path root = fs::canonical(repo, ec);
  const fs::path real = fs::canonical(implicit, ec);
  if (ec || !inside(real, root))
    return util::make_error(implicit.string() +
                            ": a symlink that leads outside the repository (or nowhere); ignore it with --no-config");
  auto config = load_config(implicit.string());
  if (!config) return util::make_error(config.error());
  auto confined = confine_to_repository(*config, repo);
  if (!confined) return util::make_error(confined.error());
  return std::optional<ConfigFile>(std::move(*config));
}

std::vector<std::string> normalize_selectors(const std::vector<std::string>& typed) {
  std::vector<std::string> out;
  for (const auto& text : typed)
    for (const auto& part : util::split(text, ','))
      if (const auto first = part.find_first_not_of(" \t"); first != std::string::npos)
        out.push_back(util::to_upper_ascii(part.substr(first, part.find_last_not_of(" \t") + 1 - first)));
  return out;
}

namespace {

/// The catalog id or family nearest to `typed`, if near enough to be a typo.
std::string nearest_name(const std::string& typed, const catalog::Catalog& catalog) {
  std::vector<std::string> names;
  for (const auto& rule : catalog.rules) names.push_back(rule.family);
  for (const auto& rule : catalog.rules) names.push_back(rule.id);
  return util::closest_match(typed, names).value_or("");
}

}  // namespace

util::Result<void> check_selectors(const plan::Selection& selection, const catalog::Catalog& catalog) {
  std::vector<std::string> problems;
  for (const auto* list : {&selection.select, &selection.ignore}) {
    const char* option = list == &selection.select ? "--select" : "--ignore";
    for (const auto& selector : *list) {
      bool used = false;
      for (const auto& rule : catalog.rules) used = used || plan::selector_matches(selector, rule);
      if (used) continue;
      const std::string suggestion = nearest_name(selector, catalog);
      problems.push_back(std::string(option) + " " + selector + " matches no rule id or family in the catalog" +
                         (suggestion.empty() ? "" : "; did you mean " + suggestion + "?"));
    }
  }
  if (!problems.empty()) return util::make_error(util::join(problems, "\n"));
  return {};
}

util::Result<void> prepare_destinations(const std::vector<std::string>& files) {
  for (const auto& file : files) {
    if (file.empty() || file == "-") continue;
    const fs::path directory = fs::path(file).parent_path();
    if (directory.empty()) continue;
    std::error_code ec;
    fs::create_directories(directory, ec);
    if (ec) return util::make_error(file + ": cannot create its directory: " + ec.message());
    if (!fs::is_directory(directory, ec))
      return util::make_error(file + ": " + directory.string() + " is not a directory");
  }
  return {};
}

void apply_config(const ConfigFile& config, const std::function<bool(std::string_view)>& given,
                  ValidateOptions& options) {
  if (config.profile && !given("--profile")) options.profile = *config.profile;
  if (config.mode && !given("--mode")) options.mode = *config.mode;
  if (config.workers && !given("--workers")) options.workers = *config.workers;
  options.config_loaded = config.path;
  const plan::Selection command_line_selection = options.selection;
  if (config.select && !given("--select")) options.selection.select = normalize_selectors(*config.select);
  if (config.ignore && !given("--ignore")) options.selection.ignore = normalize_selectors(*config.ignore);
  if (config.min_severity && !given("--min-severity")) options.selection.min_severity = *config.min_severity;
  if (options.selection.select != command_line_selection.select ||
      options.selection.ignore != command_line_selection.ignore ||
      options.selection.min_severity != command_line_selection.min_severity)
    options.selection_without_config = command_line_selection;
  if (config.fail_on && !given("--fail-on")) {
    options.fail_on = *config.fail_on;
    options.fail_on_given = true;
  }
  if (config.fail_on_none && !given("--fail-on") && options.exit_zero.empty()) options.exit_zero = "fail_on: none";
  if (config.exit_code_style && !given("--exit-code-style")) options.exit_code_style = *config.exit_code_style;
  if (config.formats && !given("--format") && !given("--output")) options.outputs = *config.formats;
  if (config.baseline && !given("--baseline")) options.baseline_file = *config.baseline;
  if (config.honour_dependencies && !given("--honour-dependencies"))
    options.honour_dependencies = *config.honour_dependencies;
  if (config.progress && !given("--progress")) options.progress = *config.progress;
  options.exclusions.insert(options.exclusions.end(), config.exclusions.begin(), config.exclusions.end());
  options.suppressions.insert(options.suppressions.end(), config.suppressions.begin(), config.suppressions.end());
}

std::optional<std::size_t> covering_suppression(const std::vector<Suppression>& suppressions,
                                                const catalog::Rule& rule, const checks::Finding* finding) {
  for (std::size_t i = 0; i < suppressions.size(); ++i) {
    const Suppression& s = suppressions[i];
    if (!plan::selector_matches(s.rule, rule)) continue;
    if (s.paths.empty()) return i;
    if (finding == nullptr) continue;  // path globs need a path: a verdict without findings has none
    for (const auto& glob : s.paths)
      if (::fnmatch(glob.c_str(), finding->path.c_str(), 0) == 0) return i;
  }
  return std::nullopt;
}

util::Result<void> check_suppressions(const std::vector<Suppression>& suppressions, const catalog::Catalog& catalog) {
  std::vector<std::string> problems;
  for (const auto& s : suppressions) {
    bool used = false;
    for (const auto& rule : catalog.rules) used = used || plan::selector_matches(s.rule, rule);
    if (used) continue;
    const std::string suggestion = nearest_name(s.rule, catalog);
    problems.push_back(s.origin + ": suppression '" + s.rule + "' matches no rule id or family in the catalog" +
                       (suggestion.empty() ? "" : "; did you mean " + suggestion + "?"));
  }
  if (!problems.empty()) return util::make_error(util::join(problems, "\n"));
  return {};
}

}  // namespace sotcheck::cli
