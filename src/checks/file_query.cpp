#include "sotcheck/checks/file_query.hpp"

#include <algorithm>
#include <set>

#include "sotcheck/checks/factory_memo.hpp"
#include "sotcheck/snapshot/access_journal.hpp"

namespace sotcheck::checks {
namespace {

bool has_component(std::string_view path, std::string_view name) {
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t slash = path.find('/', start);
    const std::string_view part = path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (part == name) return true;
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return false;
}

/// has_component for several names in one pass over the path.
bool has_any_component(std::string_view path, const std::vector<std::string>& names) {
  if (names.empty()) return false;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t slash = path.find('/', start);
    const std::string_view part = path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    for (const std::string& name : names)
      if (part == name) return true;
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return false;
}

std::size_t component_count(std::string_view path) {
  return path.empty() ? 0 : 1 + static_cast<std::size_t>(std::count(path.begin(), path.end(), '/'));
}

/// The first `count` components of `path`.
std::string_view leading_components(std::string_view path, std::size_t count) {
  std::size_t end = 0;
  for (std::size_t i = 0, from = 0; i < count; ++i, from = end + 1) {
    end = path.find('/', from);
    if (end == std::string_view::npos) return path;
  }
  return path.substr(0, end);
}

/// True if `glob` would look below the directory `dir` for its matches. The catalog's patterns are written
/// from the repository root ("NN_*/shards/NN_*/chart.yaml"), so they are read here as anchored there: the
/// directory is in reach when its path matches the pattern's leading components, or the pattern starts
/// with `**` or is a bare name (which match at any depth). A leading part that does not compile on its own
/// (braces spanning a '/') counts as in reach: over-reporting an unreadable entry is safe, missing one is not.
bool looks_below(const util::Glob& glob, std::string_view dir) {
  std::string_view pattern = glob.pattern();
  while (!pattern.empty() && pattern.back() == '/') pattern.remove_suffix(1);
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    const std::size_t slash = pattern.find('/', start);
    parts.push_back(pattern.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  if (parts.size() <= 1 || parts.front() == "**") return true;
  const std::size_t globstar =
      static_cast<std::size_t>(std::find(parts.begin(), parts.end(), std::string_view("**")) - parts.begin());
  const std::size_t depth = component_count(dir);
  // Anchored: the leading parts must cover the directory exactly, or reach a `**` above or at it.
  std::size_t prefix_parts = depth;
  std::string_view candidate = dir;
  if (globstar < parts.size() && depth >= globstar) {
    prefix_parts = globstar;
    candidate = leading_components(dir, globstar);
  } else if (depth >= parts.size()) {
    return false;  // the directory is as deep as a match: nothing below it can match
  }
  std::string prefix;
  for (std::size_t i = 0; i < prefix_parts; ++i) {
    if (i > 0) prefix += '/';
    prefix += parts[i];
  }
  auto leading = util::Glob::compile(prefix, glob.brace_mode());
  if (!leading) return true;
  return leading->matches(candidate);
}

}  // namespace

void FileQuery::note_unreadable_in_reach(const snapshot::ImageView& image) const {
  for (const std::uint32_t entry : snapshot::unreadable_entries(image)) {
    const snapshot::EntryRecord& record = image.entry(entry);
    const bool unlisted_dir = (record.flags & snapshot::k_flag_dir_unreadable) != 0;
    const bool not_followed = (record.flags & snapshot::k_flag_unreadable) != 0;
    if (!unlisted_dir && !not_followed) continue;  // an unreadable file matters only when it is read
    if (entry == 0) {
      snapshot::note_if_unreadable(image, entry);  // an unlisted root hides everything
      continue;
    }
    const std::string_view path = image.path(entry);
    const bool excluded = std::any_of(m_excluded_dirs.begin(), m_excluded_dirs.end(),
                                      [&](const std::string& d) { return has_component(path, d); });
    if (excluded) continue;
    const bool children_in_depth = within_depth(std::string(path) + "/x");
    for (const auto& glob : m_globs) {
      if ((not_followed && glob.matches(path)) || (children_in_depth && looks_below(glob, path))) {
        snapshot::note_if_unreadable(image, entry);
        break;
      }
    }
  }
}

bool FileQuery::in_matrix_folders(std::string_view path, std::vector<std::pair<std::string_view, bool>>* names) const {
  const auto full_match = [&](std::string_view part) {
    return RE2::FullMatch(re2::StringPiece(part.data(), part.size()), *m_matrix_name_regex);
  };
  const auto remembered_match = [&](std::string_view part) {
    for (const auto& [name, matched] : *names)
      if (name == part) return matched;
    const bool matched = full_match(part);
    // A few dozen names are the matrix; beyond that a linear search would cost more than the regex.
    constexpr std::size_t k_most_remembered = 64;
    if (names->size() < k_most_remembered) names->emplace_back(part, matched);
    return matched;
  };
  // NN_root/<container>/NN_shard/...: components 0 and 2 must be root and shard names.
  std::size_t start = 0;
  for (int index = 0; index <= 2; ++index) {
    const std::size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) return false;
    const std::string_view part = path.substr(start, slash - start);
    if (index != 1 && !(names != nullptr ? remembered_match(part) : full_match(part))) return false;
    start = slash + 1;
  }
  return true;
}

std::shared_ptr<const FileQuery> FileQuery::parse(Params& params, const std::string& key) {
  const ParamNode node = params.node(key);
  if (!node.is_defined() || !node.is_map()) {
    params.error("'" + key + "' must be a map with 'patterns'", node);
    return nullptr;
  }
  // Rules repeat the same queries: one parsed without a problem under this profile is reused (factory_memo.hpp).
  FactoryMemo* const memo = params.profile().memo.get();
  const std::string memo_key = memo != nullptr ? fingerprint(node) : std::string();
  if (memo != nullptr)
    if (auto known = memo->query(memo_key)) return known;
  // Problems are gathered apart first, so that only a query that had none is remembered.
  util::Diagnostics problems;
  Params sub(node, params.file(), problems, params.fallback_line());
  sub.set_profile(params.profile());
  auto query = std::make_shared<FileQuery>();
  const bool strict = params.profile() == Profile::strict;
  const auto brace_mode = strict ? util::BraceMode::expand : util::BraceMode::literal;
  const auto patterns = sub.string_list("patterns", true);
  if (patterns.empty()) sub.error("query needs at least one pattern");
  for (const auto& p : patterns) {
    auto glob = util::Glob::compile(p, brace_mode);
    if (!glob) {
      sub.error("pattern '" + p + "': " + glob.error(), node["patterns"]);
      continue;
    }
    query->m_globs.push_back(std::move(*glob));
  }
  const std::string kind = sub.choice("entry_kind", {"any", "file", "dir"}, "any");
  query->m_kind = kind == "file" ? Kind::file : kind == "dir" ? Kind::dir : Kind::any;
  query->m_exclude_path_contains = sub.string_list("exclude_path_contains");
  query->m_exclude_name_contains = sub.string_list("exclude_name_contains");
  query->m_exclude_names = sub.string_list("exclude_names");
  query->m_matrix_name_regex = sub.regex("matrix_name_regex", false);
  query->m_path_exclusion_by_component = strict;  // docs/reference-compatibility.md#rc-17
  // The profile's own exclusions (catalog.yaml profiles.NAME.query_excluded_dirs; docs/profiles.md).
  if (const auto& excluded = params.profile().query_excluded_dirs) query->m_excluded_dirs = *excluded;
  const ParamNode sample = node["sample"];
  sub.node("sample");
  if (sample.is_defined() && !sample.is_null()) {
    if (sample.is_scalar() && sample.scalar() == "all") {
      query->m_sample = 0;
    } else {
      const auto n = sample.to_integer();
      if (n && *n > 0) {
        query->m_sample = static_cast<std::size_t>(*n);
      } else {
        sub.error("'sample' must be 'all' or a positive integer", sample);
      }
    }
  }
  const long long max_depth = sub.integer_or("max_depth", 0);
  if (max_depth < 0) sub.error("'max_depth' must be a positive integer (0 = any depth)");
  query->m_max_depth = max_depth > 0 ? static_cast<std::size_t>(max_depth) : 0;
  sub.finish();
  for (const util::Diagnostic& problem : problems.items())
    params.diagnostics().add(problem.file, problem.line, problem.message);
  if (memo != nullptr && problems.empty()) memo->remember_query(memo_key, query);
  return query;
}

std::shared_ptr<const FileQuery> FileQuery::of_patterns(Params& params, const std::vector<std::string>& patterns) {
  // Parsed as the map {query: {patterns: [...]}}, so it is checked like a query the catalog wrote
  // (no patterns: an empty map, which parse reports as a missing query).
  ParamTree tree;
  const ParamTree::Index root = tree.add_map();
  if (!patterns.empty()) {
    const ParamTree::Index query = tree.add_map();
    tree.append_entry(root, tree.add_scalar("query"), query);
    const ParamTree::Index list = tree.add_sequence();
    tree.append_entry(query, tree.add_scalar("patterns"), list);
    for (const std::string& pattern : patterns) tree.append_item(list, tree.add_scalar(pattern));
  }
  Params wrapper(tree.root(), params.file(), params.diagnostics(), params.fallback_line());
  wrapper.set_profile(params.profile());
  return parse(wrapper, "query");
}

bool FileQuery::kind_fits(const snapshot::ImageView& image, std::uint32_t entry) const {
  switch (m_kind) {
    case Kind::file:
      return image.is_file_following_links(entry);
    case Kind::dir:
      return image.is_dir_following_links(entry);
    case Kind::any:
      break;
  }
  return true;
}

bool FileQuery::name_excluded(std::string_view name) const {
  for (const auto& s : m_exclude_name_contains)
    if (name.find(s) != std::string_view::npos) return true;
  for (const auto& s : m_exclude_names)
    if (name == s) return true;
  return false;
}

bool FileQuery::accepts(const snapshot::ImageView& image, std::uint32_t entry) const {
  const std::string_view path = image.path(entry);
  const std::string_view name = image.name(entry);
  if (!within_depth(path)) return false;
  if (!kind_fits(image, entry)) return false;
  for (const auto& dir : m_excluded_dirs) {
    // Exclude entries inside such a directory (the directory itself is not a match either).
    if (has_component(path, dir)) return false;
  }
  for (const auto& s : m_exclude_path_contains) {
    if (m_path_exclusion_by_component) {
      if (has_component(path, s)) return false;
    } else {
      // The reference tests the absolute path string (docs/reference-compatibility.md#rc-17).
      const std::string absolute = std::string(image.root_path()) + "/" + std::string(path);
      if (absolute.find(s) != std::string::npos) return false;
    }
  }
  if (m_matrix_name_regex && !in_matrix_folders(path)) return false;
  return !name_excluded(name);
}

bool FileQuery::directory_rejects(std::string_view dir, std::string_view path, DirectoryVerdict* directory) const {
  // Siblings have the same depth, and in_matrix_folders only reads the components before the name.
  if (!within_depth(path)) return true;
  if (m_matrix_name_regex && !in_matrix_folders(path, &directory->matrix_names)) return true;
  if (dir.empty()) return false;  // the root's entries: the name is the whole path
  return has_any_component(dir, m_excluded_dirs) ||
         (m_path_exclusion_by_component && has_any_component(dir, m_exclude_path_contains));
}

/// accepts() with the directory's part taken from `directory` when the entry is in the directory it describes:
/// a path's components are its directory's and its name, so each component test splits into the two.
bool FileQuery::accepts(const snapshot::ImageView& image, std::uint32_t entry, DirectoryVerdict* directory) const {
  const snapshot::EntryRecord& record = image.entry(entry);
  const std::string_view path = image.path(entry);
  const std::string_view name = image.name(entry);
  if (!directory->known || directory->parent != record.parent) {
    const std::string_view dir = path.size() > name.size() ? path.substr(0, path.size() - name.size() - 1) : "";
    directory->known = true;
    directory->parent = record.parent;
    directory->rejected = directory_rejects(dir, path, directory);
  }
  if (directory->rejected) return false;
  if (!kind_fits(image, entry)) return false;
  for (const auto& excluded : m_excluded_dirs)
    if (name == excluded) return false;
  for (const auto& s : m_exclude_path_contains) {
    if (m_path_exclusion_by_component) {
      if (name == s) return false;
    } else {
      directory->absolute.assign(image.root_path()).append("/").append(path);
      if (directory->absolute.find(s) != std::string::npos) return false;
    }
  }
  return !name_excluded(name);
}

FileQuery::Matches FileQuery::run(const snapshot::ImageView& image) const {
  Matches matches;
  note_unreadable_in_reach(image);
  DirectoryVerdict directory;
  for (const auto& glob : m_globs) {
    for (const std::uint32_t entry : image.entries_matching(glob)) {
      if (glob.directories_only() && !image.is_dir_following_links(entry)) continue;
      if (!accepts(image, entry, &directory)) continue;
      matches.found.push_back(entry);
    }
  }
  matches.sampled = m_sample == 0 ? matches.found.size() : std::min(m_sample, matches.found.size());
  return matches;
}

void FileQuery::patterns(std::vector<std::string>* out) const {
  for (const auto& g : m_globs) out->push_back(g.pattern());
}

std::string FileQuery::describe() const {
  std::string out;
  for (const auto& g : m_globs) {
    if (!out.empty()) out += " or ";
    out += g.pattern();
  }
  return out;
}

bool FileQuery::within_depth(std::string_view relpath, std::size_t max_depth) {
  return max_depth == 0 || static_cast<std::size_t>(std::count(relpath.begin(), relpath.end(), '/')) < max_depth;
}

bool FileQuery::may_match(std::string_view relpath) const {
  if (!within_depth(relpath)) return false;
  for (const auto& g : m_globs)
    if (g.matches(relpath)) return true;
  return false;
}

}  // namespace sotcheck::checks
