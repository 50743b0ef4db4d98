// The path primitives of docs/catalog-format.md: P5 `path_exists`, P6 `glob_count`,
// P12 `glob_ratio` and P13 `grouped_children`. They look at entry names and
// kinds only, except path_exists with a literal, which reads that one file.

#include <map>
#include <set>
#include <stdexcept>

#include "sotcheck/checks/file_error.hpp"
#include "sotcheck/checks/file_query.hpp"
#include "sotcheck/checks/registry.hpp"
#include "sotcheck/checks/text.hpp"

namespace sotcheck::checks {
namespace {

using json = nlohmann::ordered_json;

/// `path` as a glob that matches exactly that text (so the snapshot loads it): wildcard characters and braces
/// become one-character classes.
std::string escape_glob(std::string_view path) {
  std::string out;
  for (char c : path) {
    switch (c) {
      case '*':
      case '?':
      case '[':
      case '{':
      case '}':
      case ',':
        out += '[';
        out += c;
        out += ']';
        break;
      default:
        out += c;
    }
  }
  return out;
}

// ---------------------------------------------------------------- P5 path_exists
class PathExists final : public Check {
 public:
  enum class Kind { exists, file, dir };
  std::string path;
  Kind kind = Kind::exists;
  std::shared_ptr<const TextPredicate> predicate;  // null: existence only
  std::shared_ptr<const FileQuery> load_query;     // makes the snapshot load `path` when a predicate reads it
  TextRead read;
  json constants;

  Outputs evaluate(const EvalContext& context) const override {
    const auto& image = context.image;
    Outputs out;
    const auto entry = image.lookup(0, path);
    bool exists = false;
    if (entry) {
      switch (kind) {
        case Kind::exists:
          exists = image.exists_following_links(*entry);
          break;
        case Kind::file:
          exists = image.is_file_following_links(*entry);
          break;
        case Kind::dir:
          exists = image.is_dir_following_links(*entry);
          break;
      }
    }
    bool contains_ok = false;
    if (exists && predicate) {
      // Python: path.exists() and "literal" in path.read_text(): reading only happens when the path exists.
      TextFile file;
      read_text(image, *entry, read, &file);
      if (file.ok) {
        contains_ok = predicate->evaluate(file.text);
      } else {
        switch (read.on_failure) {
          case TextRead::OnFailure::skip:
            break;
          case TextRead::OnFailure::abort:
            throw FileError(file.error, path);
          case TextRead::OnFailure::report:
            out.notes["errors"] = json::array({{{"file", path}, {"error", file.error}}});
            break;
        }
      }
    }
    out.passed = exists && (!predicate || contains_ok);
    if (!out.passed) out.findings.push_back(finding(exists));
    out.values["exists"] = exists;
    out.values["contains_ok"] = contains_ok;
    add_constants(constants, out.values);
    return out;
  }

  void content_queries(std::vector<std::shared_ptr<const FileQuery>>* out) const override {
    if (load_query) out->push_back(load_query);
  }

 private:
  Finding finding(bool exists) const {
    const char* what = kind == Kind::dir ? "folder" : kind == Kind::file ? "file" : "file or folder";
    if (!exists) return make_finding(path, FindingKind::missing, std::string("no ") + what + " at " + path);
    Finding f = make_finding(path, FindingKind::invalid_value,
                             path + " does not have the required content: expected text that " + predicate->describe());
    f.expected = predicate->describe();
    return f;
  }
};

// ---------------------------------------------------------------- P6 glob_count
class GlobCount final : public Check {
 public:
  std::shared_ptr<const FileQuery> query;
  bool at_most = false;  // op: le
  long long value = 1;
  json constants;

  Outputs evaluate(const EvalContext& context) const override {
    const auto& image = context.image;
    const FileQuery::Matches m = query->run(image);
    json matches = json::array();
    for (std::size_t i = 0; i < m.sampled; ++i) matches.push_back(std::string(image.path(m.found[i])));
    const auto count = static_cast<long long>(m.sampled);
    Outputs out;
    out.passed = at_most ? count <= value : count >= value;
    if (!out.passed && at_most) {
      for (std::size_t i = 0; i < m.sampled; ++i) {
        Finding f = make_finding(std::string(image.path(m.found[i])), FindingKind::forbidden_entry,
                                 std::string(image.path(m.found[i])) + " matches " + query->describe() + ": " +
                                     std::to_string(count) + " found, at most " + std::to_string(value) + " allowed");
        f.expected = "at most " + std::to_string(value);
        f.actual = std::to_string(count);
        out.findings.push_back(std::move(f));
      }
    } else if (!out.passed) {
      Finding f = make_finding(query->describe(), FindingKind::missing,
                               count == 0 ? "no file matches " + query->describe()
                                          : std::to_string(count) + " files match " + query->describe() +
                                                ": expected at least " + std::to_string(value));
      f.expected = "at least " + std::to_string(value);
      f.actual = std::to_string(count);
      out.findings.push_back(std::move(f));
    }
    out.values["count"] = count;
    out.values["matches"] = std::move(matches);
    out.values["present"] = count > 0;
    add_constants(constants, out.values);
    return out;
  }
};

// ---------------------------------------------------------------- P12 glob_ratio
class GlobRatio final : public Check {
 public:
  std::shared_ptr<const FileQuery> numerator, denominator;
  Ratio ratio;
  bool empty_passes = true;

  Outputs evaluate(const EvalContext& context) const override {
    const auto& image = context.image;
    const FileQuery::Matches nm = numerator->run(image);
    const FileQuery::Matches dm = denominator->run(image);
    const std::size_t num = nm.sampled;
    const std::size_t den = dm.sampled;
    Outputs out;
    out.passed = den == 0 ? empty_passes : ratio.reached(num, den);
    if (!out.passed) {
      const std::string threshold =
          std::to_string(num) + "/" + std::to_string(den) + " match " + numerator->describe() + "; needs at least " +
          ratio.percent_text();
      if (den == 0) {
        out.findings.push_back(make_finding(denominator->describe(), FindingKind::missing,
                                            "no file matches " + denominator->describe()));
      } else {
        // The denominator's entries the numerator does not account for fall short: an entry is accounted for
        // when a numerator match is the entry itself or lies below it (implementation folder -> its manifest).
        std::set<std::string, std::less<>> counted;
        for (std::size_t i = 0; i < nm.sampled; ++i) {
          std::string_view p = image.path(nm.found[i]);
          while (counted.emplace(p).second) {
            const std::size_t slash = p.rfind('/');
            if (slash == std::string_view::npos) break;
            p = p.substr(0, slash);
          }
        }
        for (std::size_t i = 0; i < dm.sampled; ++i) {
          if (counted.count(image.path(dm.found[i]))) continue;
          Finding f = make_finding(std::string(image.path(dm.found[i])), FindingKind::below_threshold,
                                   std::string(image.path(dm.found[i])) + " has no match for " + numerator->describe() +
                                       " (" + threshold + ")");
          f.expected = "at least " + ratio.percent_text();
          f.actual = std::to_string(num) + "/" + std::to_string(den);
          out.findings.push_back(std::move(f));
        }
        if (out.findings.empty()) {
          Finding f = make_finding(numerator->describe(), FindingKind::below_threshold, threshold);
          f.expected = "at least " + ratio.percent_text();
          f.actual = std::to_string(num) + "/" + std::to_string(den);
          out.findings.push_back(std::move(f));
        }
      }
    }
    out.values["numerator"] = num;
    out.values["denominator"] = den;
    return out;
  }
};

// ---------------------------------------------------------------- P13 grouped_children
class GroupedChildren final : public Check {
 public:
  std::shared_ptr<const FileQuery> query;
  long long ancestor = 2;
  long long min_children = 2;
  long long min_groups = 1;

  /// The path `levels` directories above `path` ("" is R; above R, "../" per level, so distinct from R).
  static std::string ancestor_of(std::string_view path, long long levels) {
    std::string up;
    for (long long i = 0; i < levels; ++i) {
      if (path.empty()) {
        up += "../";
        continue;
      }
      const std::size_t slash = path.rfind('/');
      path = slash == std::string_view::npos ? std::string_view() : path.substr(0, slash);
    }
    return up + std::string(path);
  }

  Outputs evaluate(const EvalContext& context) const override {
    const auto& image = context.image;
    const FileQuery::Matches m = query->run(image);
    std::vector<std::string> order;
    std::map<std::string, std::set<std::string>> groups;
    for (std::size_t i = 0; i < m.sampled; ++i) {
      const std::uint32_t entry = m.found[i];
      std::string key = ancestor_of(image.path(entry), ancestor);
      auto [it, inserted] = groups.try_emplace(key);
      if (inserted) order.push_back(key);
      it->second.insert(std::string(image.name(entry)));
    }
    json over = json::array();
    for (const auto& key : order)
      if (static_cast<long long>(groups[key].size()) >= min_children) over.push_back(key);
    Outputs out;
    out.passed = static_cast<long long>(over.size()) >= min_groups;
    if (!out.passed) {
      Finding f = make_finding(query->describe(), FindingKind::below_threshold,
                               std::to_string(over.size()) + " folders hold at least " + std::to_string(min_children) +
                                   " files matching " + query->describe() + ": expected at least " +
                                   std::to_string(min_groups));
      f.expected = std::to_string(min_groups);
      f.actual = std::to_string(over.size());
      out.findings.push_back(std::move(f));
    }
    out.values["groups"] = groups.size();
    out.values["groups_over_min"] = over.size();
    out.values["multi_groups"] = std::move(over);
    return out;
  }
};

}  // namespace

std::unique_ptr<Check> make_path_exists(Params& params) {
  auto check = std::make_unique<PathExists>();
  check->path = params.string_or("path", "");
  if (check->path.empty() || check->path.front() == '/') {
    params.error("path_exists needs 'path', relative to the repository root");
    return nullptr;
  }
  const std::string kind = params.choice("path_kind", {"exists", "file", "dir"}, "exists");
  check->kind = kind == "file"  ? PathExists::Kind::file
                : kind == "dir" ? PathExists::Kind::dir
                                : PathExists::Kind::exists;
  const ParamNode contains = params.node("contains");
  const ParamNode predicate = params.node("predicate");
  if (contains.is_defined() && predicate.is_defined()) {
    params.error("path_exists takes 'contains' (a case-sensitive literal) or 'predicate', not both");
    return nullptr;
  }
  if (contains.is_defined()) {
    ParamTree literal;  // {contains: <the literal>}
    const ParamTree::Index map = literal.add_map();
    literal.append_entry(map, literal.add_scalar("contains"), literal.add_copy(contains));
    check->predicate = TextPredicate::parse(params, literal.root());
    if (!check->predicate) return nullptr;
  } else if (predicate.is_defined()) {
    check->predicate = TextPredicate::parse(params, predicate);
    if (!check->predicate) return nullptr;
  }
  check->read = TextRead::parse(params);
  check->constants = parse_constants(params);
  if (check->predicate) {
    check->load_query = FileQuery::of_patterns(params, {escape_glob(check->path)});
    if (!check->load_query) return nullptr;
  }
  return check;
}

std::unique_ptr<Check> make_glob_count(Params& params) {
  auto check = std::make_unique<GlobCount>();
  check->query = FileQuery::parse(params, "query");
  check->at_most = params.choice("op", {"ge", "le"}, "ge") == "le";
  check->value = params.integer_or("value", check->at_most ? 0 : 1);
  check->constants = parse_constants(params);
  if (!check->query) return nullptr;
  return check;
}

std::unique_ptr<Check> make_glob_ratio(Params& params) {
  auto check = std::make_unique<GlobRatio>();
  check->numerator = FileQuery::parse(params, "numerator");
  check->denominator = FileQuery::parse(params, "denominator");
  const auto text = params.string("ratio");
  const auto ratio = text ? Ratio::parse(*text) : std::nullopt;
  if (text && !ratio) params.error("'ratio' must be a non-negative decimal number such as 0.7");
  if (ratio) check->ratio = *ratio;
  check->empty_passes = params.choice("empty_denominator", {"pass", "fail"}, "pass") == "pass";
  if (!check->numerator || !check->denominator || !ratio) return nullptr;
  return check;
}

std::unique_ptr<Check> make_grouped_children(Params& params) {
  auto check = std::make_unique<GroupedChildren>();
  check->query = FileQuery::parse(params, "query");
  check->ancestor = params.integer_or("group_by_ancestor", 2);
  check->min_children = params.integer_or("min_children", 2);
  check->min_groups = params.integer_or("min_groups", 1);
  if (check->ancestor < 1) params.error("'group_by_ancestor' must be at least 1");
  if (!check->query || check->ancestor < 1) return nullptr;
  return check;
}

}  // namespace sotcheck::checks
