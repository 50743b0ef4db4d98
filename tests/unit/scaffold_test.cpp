// Tests of `sotcheck scaffold`: the small tree is written to a temporary directory and inspected; the large
// tree is only planned (visit_planned_files / planned_stats), never written, so the suite stays fast.
//
// Besides the layout, the tests audit the content decisions of docs/scaffold.md that are easy to break by
// editing a template: the "must be absent" rules (CE007; CP001 and CP011 and the strict ratio rules, whose
// file-name obligations come with every name, are evaluated from the catalog itself on the planned trees), the
// fields of SoT charts and manifests, and the SOT-V2 contract paths.

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "sotcheck/exec/verdict.hpp"
#include "sotcheck/scaffold/scaffold.hpp"
#include "sotcheck/util/hash.hpp"
#include "sotcheck/util/strings.hpp"
#include "support/process.hpp"
#include "support/rule_harness.hpp"
#include "support/trees.hpp"

namespace fs = std::filesystem;
using sotcheck::scaffold::planned_stats;
using sotcheck::scaffold::PlannedFileView;
using sotcheck::scaffold::ScaffoldOptions;
using sotcheck::scaffold::Size;
using sotcheck::scaffold::visit_planned_files;
using sotcheck::scaffold::write_scaffold;
using sotcheck::util::is_nn_name;

namespace {

// ---------------------------------------------------------------------------------------------------------
// Helpers

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "sotcheck_scaffold_XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    m_path = pattern;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(m_path, ec);
  }
  const fs::path& path() const { return m_path; }

 private:
  fs::path m_path;
};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

/// Every regular file of a tree: relative path -> bytes.
std::map<std::string, std::string> read_tree(const fs::path& root) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(root))
    if (entry.is_regular_file()) files[fs::relative(entry.path(), root).generic_string()] = read_file(entry.path());
  return files;
}

std::vector<std::string> child_names(const fs::path& directory) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(directory)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string_view basename(std::string_view path) {
  const auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

/// Glob match of a file name with `*` only (all the rule name patterns need).
bool name_matches(std::string_view name, std::string_view pattern) {
  if (pattern.empty()) return name.empty();
  if (pattern.front() == '*') {
    for (std::size_t i = 0; i <= name.size(); ++i)
      if (name_matches(name.substr(i), pattern.substr(1))) return true;
    return false;
  }
  return !name.empty() && name.front() == pattern.front() && name_matches(name.substr(1), pattern.substr(1));
}

bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

/// `word` occurs with ASCII word boundaries on both sides: the strict reading of the docs/reference-compatibility.md#rc-9 literals.
bool contains_word(std::string_view text, std::string_view word) {
  for (auto pos = text.find(word); pos != std::string_view::npos; pos = text.find(word, pos + 1)) {
    const bool left = pos == 0 || !is_word_char(text[pos - 1]);
    const bool right = pos + word.size() == text.size() || !is_word_char(text[pos + word.size()]);
    if (left && right) return true;
  }
  return false;
}

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

/// Dotted key paths of a block-style YAML document (the style every generated file uses): enough to check
/// that a field exists without a YAML library. List items `- key: v` count as keys of their list's parent.
std::set<std::string> yaml_key_paths(std::string_view text) {
  std::set<std::string> paths;
  std::vector<std::pair<std::size_t, std::string>> stack;
  std::istringstream in{std::string(text)};
  for (std::string line; std::getline(in, line);) {
    std::size_t indent = line.find_first_not_of(' ');
    if (indent == std::string::npos || line[indent] == '#') continue;
    std::size_t key_start = indent;
    if (line.compare(indent, 2, "- ") == 0) key_start = indent += 2;
    std::size_t key_end = key_start;
    while (key_end < line.size() && (is_word_char(line[key_end]) || line[key_end] == '"')) ++key_end;
    if (key_end == key_start || key_end >= line.size() || line[key_end] != ':') continue;
    if (key_end + 1 < line.size() && line[key_end + 1] != ' ') continue;
    std::string key = line.substr(key_start, key_end - key_start);
    key.erase(std::remove(key.begin(), key.end(), '"'), key.end());
    while (!stack.empty() && stack.back().first >= indent) stack.pop_back();
    std::string path;
    for (const auto& level : stack) path += level.second + ".";
    path += key;
    paths.insert(path);
    stack.emplace_back(indent, key);
  }
  return paths;
}

/// The value text after `key:` on the first line that has it, quotes kept.
std::string yaml_scalar(std::string_view text, std::string_view key) {
  const std::string needle = "\n" + std::string(key) + ": ";
  const std::string haystack = "\n" + std::string(text);
  const auto pos = haystack.find(needle);
  if (pos == std::string::npos) return "";
  const auto start = pos + needle.size();
  return haystack.substr(start, haystack.find('\n', start) - start);
}

struct PlannedText {
  std::string path;
  std::string content;
  bool bulk = false;
};

std::vector<PlannedText> collect_plan(Size size, std::uint64_t seed) {
  std::vector<PlannedText> files;
  visit_planned_files(size, seed, [&files](const PlannedFileView& file) {
    files.push_back({std::string(file.path), std::string(file.content), file.bulk});
  });
  return files;
}

/// The large plan, built once for every test that audits it.
const std::vector<PlannedText>& large_plan() {
  static const std::vector<PlannedText> plan = collect_plan(Size::large, 1);
  return plan;
}

const std::vector<PlannedText>& small_plan() {
  static const std::vector<PlannedText> plan = collect_plan(Size::small, 1);
  return plan;
}

/// The small tree, written once for the read-only layout tests.
class SmallTree : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    s_dir = new TempDir();
    ScaffoldOptions options;
    options.directory = s_dir->path().string();  // an existing, empty directory is accepted
    auto stats = write_scaffold(options);
    ASSERT_TRUE(stats.ok()) << stats.error();
    s_stats = *stats;
  }
  static void TearDownTestSuite() {
    delete s_dir;
    s_dir = nullptr;
  }
  static fs::path repo() { return s_dir->path(); }

  static inline TempDir* s_dir = nullptr;
  static inline sotcheck::scaffold::ScaffoldStats s_stats;
};

// ---------------------------------------------------------------------------------------------------------
// Layout of the written small tree

TEST_F(SmallTree, Has24RootsEachWithReadmeAndIncidentResponsePlan) {
  std::vector<std::string> roots;
  for (const auto& name : child_names(repo()))
    if (is_nn_name(name)) roots.push_back(name);
  ASSERT_EQ(roots.size(), 24u);
  EXPECT_EQ(roots.front(), "01_ai_layer");
  EXPECT_EQ(roots.back(), "24_meta_orchestration");
  for (const auto& root : roots) {
    EXPECT_TRUE(fs::is_regular_file(repo() / root / "README.md")) << root;
    EXPECT_TRUE(fs::is_regular_file(repo() / root / "docs" / "incident_response_plan.md")) << root;  // CE006
  }
}

TEST_F(SmallTree, EveryRootHasTheSame16ShardsWithChartValuesTemplatesAndManifest) {
  std::vector<std::string> reference;
  for (const auto& root : child_names(repo())) {
    if (!is_nn_name(root)) continue;
    const auto shards = child_names(repo() / root / "shards");
    if (reference.empty()) reference = shards;
    EXPECT_EQ(shards, reference) << root;  // AR007
    ASSERT_EQ(shards.size(), 16u) << root;
    EXPECT_EQ(shards.front(), "01_identitaet_personen");
    EXPECT_EQ(shards.back(), "16_behoerden_verwaltung");
    for (const auto& shard : shards) {
      const fs::path dir = repo() / root / "shards" / shard;
      EXPECT_TRUE(fs::is_regular_file(dir / "chart.yaml")) << dir;   // AR004 (strict: lowercase SoT chart)
      EXPECT_TRUE(fs::is_regular_file(dir / "values.yaml")) << dir;  // AR005
      ASSERT_TRUE(fs::is_directory(dir / "templates")) << dir;       // AR010
      EXPECT_FALSE(fs::is_empty(dir / "templates")) << dir;
      const auto impls = child_names(dir / "implementations");
      ASSERT_FALSE(impls.empty()) << dir;
      for (const auto& impl : impls)  // MD-STRUCT-010
        EXPECT_TRUE(fs::is_regular_file(dir / "implementations" / impl / "manifest.yaml")) << dir << "/" << impl;
    }
  }
}

TEST_F(SmallTree, TopLevelHoldsOnlyTheRootsAndHiddenEntries) {  // AR009, and the brief's "nothing else"
  for (const auto& name : child_names(repo())) EXPECT_TRUE(is_nn_name(name) || name.front() == '.') << name;
}

TEST_F(SmallTree, ShardsDirectoriesHoldOnlyShardDirectories) {  // AR008 (strict: children of shards/)
  for (const auto& root : child_names(repo())) {
    if (!is_nn_name(root)) continue;
    for (const auto& entry : fs::directory_iterator(repo() / root / "shards")) {
      EXPECT_TRUE(entry.is_directory()) << entry.path();
      EXPECT_TRUE(is_nn_name(entry.path().filename().string())) << entry.path();
    }
  }
}

TEST_F(SmallTree, SomeShardHasSeveralImplementations) {  // KP003
  EXPECT_GE(child_names(repo() / "03_core" / "shards" / "01_identitaet_personen" / "implementations").size(), 2u);
}

TEST_F(SmallTree, ReportedStatsMatchTheWrittenTreeAndThePlan) {
  std::uint64_t files = 0, directories = 0, bytes = 0;
  for (const auto& entry : fs::recursive_directory_iterator(repo())) {
    if (entry.is_directory()) ++directories;
    if (entry.is_regular_file()) ++files, bytes += entry.file_size();
  }
  EXPECT_EQ(s_stats.files, files);
  EXPECT_EQ(s_stats.directories, directories);
  EXPECT_EQ(s_stats.bytes, bytes);
  const auto planned = planned_stats(Size::small, 1);
  EXPECT_EQ(planned.files, files);
  EXPECT_EQ(planned.directories, directories);
  EXPECT_EQ(planned.bytes, bytes);
  EXPECT_GE(files, 300u);
  EXPECT_LE(files, 2000u);
  EXPECT_LT(bytes, 10u * 1024 * 1024);
}

TEST_F(SmallTree, ContainsNoForbiddenFileTypesOrExcludedDirectories) {  // CE007, docs/reference-compatibility.md#rc-10, #rc-11 exclusions
  for (const auto& entry : fs::recursive_directory_iterator(repo())) {
    const std::string name = entry.path().filename().string();
    for (const std::string_view ext : {".ipynb", ".parquet", ".sqlite", ".db"})
      EXPECT_FALSE(ends_with(name, ext)) << entry.path();
    for (const std::string_view dir : {".git", ".venv", "venv", "node_modules", "__pycache__"})
      EXPECT_NE(name, dir) << entry.path();
  }
}

// ---------------------------------------------------------------------------------------------------------
// Determinism and refusal

// Writing is the slow part of this suite on a busy disk, so the second write is the only extra one: the
// other seed is compared through its plan, which carries the same bytes write_scaffold would write.
TEST_F(SmallTree, SameSeedWritesAByteIdenticalTreeAndAnotherSeedDiffers) {
  TempDir dir;
  ScaffoldOptions options;
  options.directory = (dir.path() / "again").string();
  auto stats = write_scaffold(options);
  ASSERT_TRUE(stats.ok()) << stats.error();
  const auto first = read_tree(repo());
  EXPECT_EQ(read_tree(dir.path() / "again"), first);

  std::map<std::string, std::string> planned;
  for (const auto& file : small_plan()) planned[file.path] = file.content;
  ASSERT_EQ(planned.size(), first.size());
  std::size_t bulk_files = 0;
  for (const auto& file : small_plan()) bulk_files += file.bulk;
  std::size_t equal_text = 0;
  for (const auto& [path, content] : planned) equal_text += first.count(path) && first.at(path) == content;
  EXPECT_EQ(equal_text + bulk_files, first.size());  // the plan is exactly what was written

  std::map<std::string, std::string> other;
  for (const auto& file : collect_plan(Size::small, 2)) other[file.path] = file.content;
  EXPECT_NE(other, planned);
}

// ---------------------------------------------------------------------------------------------------------
// The bytes of the planned trees against goldens taken before the templates moved out of the C++ sources
// (src/scaffold/templates/): moving, re-encoding or re-wrapping a template must not change one byte.

/// One line per planned file: FNV-1a of its text, its size, its path. Bulk files have no planned text; their
/// bytes come from bulk.cpp (seeded by path), so their size stands for them.
std::string plan_manifest(const std::vector<PlannedText>& files) {
  std::string manifest;
  char hash[17];
  for (const auto& file : files) {
    std::snprintf(hash, sizeof hash, "%016llx",
                  static_cast<unsigned long long>(sotcheck::util::fnv1a(file.bulk ? "" : file.content)));
    const std::size_t size = file.bulk ? 0 : file.content.size();
    manifest += std::string(file.bulk ? "bulk            " : hash) + " " + std::to_string(size) + " " + file.path + "\n";
  }
  return manifest;
}

/// Compares with tests/golden/NAME; SOTCHECK_UPDATE_GOLDEN=1 rewrites it.
void expect_golden(const std::string& name, const std::string& actual) {
  const std::string path = std::string(SOTCHECK_SOURCE_DIR) + "/tests/golden/" + name;
  if (std::getenv("SOTCHECK_UPDATE_GOLDEN") != nullptr) sotcheck::testing::write_file(path, actual);
  EXPECT_EQ(sotcheck::testing::read_file(path), actual) << "scaffold output differs from golden " << name;
}

TEST(ScaffoldGolden, SmallTreeIsByteIdenticalToItsManifest) {
  expect_golden("scaffold_small_seed1.manifest", plan_manifest(small_plan()));
}

// The large manifest (27,000 lines) is too big to keep; its digest and counts are enough to catch a change,
// and the small manifest shows where.
TEST(ScaffoldGolden, LargeTreeHashesToItsDigest) {
  const std::string manifest = plan_manifest(large_plan());
  const auto stats = planned_stats(Size::large, 1);
  char digest[17];
  std::snprintf(digest, sizeof digest, "%016llx", static_cast<unsigned long long>(sotcheck::util::fnv1a(manifest)));
  expect_golden("scaffold_large_seed1.digest", "files " + std::to_string(stats.files) + "\ndirectories " +
                                                    std::to_string(stats.directories) + "\nbytes " +
                                                    std::to_string(stats.bytes) + "\nmanifest " + digest + "\n");
}

// ---------------------------------------------------------------------------------------------------------
// --copies: bigger trees with the same matrix

using sotcheck::scaffold::TreeShape;

// (The goldens above are taken through the (size, seed) entry points, which are copies = 1.)
TEST(ScaffoldCopies, OneCopyIsTheTreeItself) {
  std::string plain, shaped;
  visit_planned_files(Size::small, 1, [&](const PlannedFileView& f) { plain += std::string(f.path) + '\n'; });
  visit_planned_files(TreeShape{Size::small, 1, 1}, [&](const PlannedFileView& f) { shaped += std::string(f.path) + '\n'; });
  EXPECT_EQ(plain, shaped);
}

TEST(ScaffoldCopies, EveryShardHasItsImplementationsNTimesAndTheChartListsThem) {
  constexpr std::uint32_t k_copies = 3;
  std::map<std::string, std::set<std::string>> impls_per_shard;
  std::map<std::string, std::string> charts;
  visit_planned_files(TreeShape{Size::small, 1, k_copies}, [&](const PlannedFileView& f) {
    const std::string path(f.path);
    if (ends_with(path, "/chart.yaml") && contains(path, "/shards/")) charts[path.substr(0, path.rfind('/'))] = f.content;
    const auto pos = path.find("/implementations/");
    if (pos == std::string::npos) return;
    const auto impl_end = path.find('/', pos + 17);
    impls_per_shard[path.substr(0, pos)].insert(path.substr(pos + 17, impl_end - pos - 17));
  });
  ASSERT_EQ(impls_per_shard.size(), 384u);
  for (const auto& [shard, impls] : impls_per_shard) {
    std::size_t originals = 0;
    for (const auto& impl : impls) {
      originals += !contains(impl, "-copy");
      EXPECT_TRUE(contains(charts.at(shard), "    - " + impl + "\n")) << shard << " does not list " << impl;
    }
    EXPECT_EQ(impls.size(), originals * k_copies) << shard;
    for (const auto& impl : impls) {
      if (contains(impl, "-copy")) continue;
      for (std::uint32_t copy = 2; copy <= k_copies; ++copy) {
        EXPECT_TRUE(impls.count(impl + "-copy" + std::to_string(copy))) << shard << " " << impl;
      }
    }
  }
}

TEST(ScaffoldCopies, EntriesGrowAboutLinearly) {
  const auto entries = [](Size size, std::uint32_t copies) {
    const auto stats = planned_stats(TreeShape{size, 1, copies});
    return static_cast<double>(stats.files + stats.directories);
  };
  // Implementations are ~85 % of the large tree's entries; the rest (root files, policies) is not copied.
  const double ratio = entries(Size::large, 2) / entries(Size::large, 1);
  EXPECT_GT(ratio, 1.75);
  EXPECT_LT(ratio, 2.0);
  // Each copy adds about as much as the first (the small plan, which is cheap to build five times over).
  const double one = entries(Size::small, 1), two = entries(Size::small, 2), five = entries(Size::small, 5);
  EXPECT_NEAR((five - one) / (two - one), 4.0, 0.2);
}

TEST(ScaffoldCopies, OutOfRangeIsAnErrorAndWritesNothing) {
  TempDir dir;
  for (const std::uint32_t copies : {0u, sotcheck::scaffold::k_max_copies + 1}) {
    ScaffoldOptions options;
    options.directory = (dir.path() / "tree").string();
    options.copies = copies;
    const auto stats = write_scaffold(options);
    ASSERT_FALSE(stats.ok());
    EXPECT_TRUE(contains(stats.error(), "copies")) << stats.error();
    EXPECT_FALSE(fs::exists(dir.path() / "tree"));
  }
}

// The copied tree must stay compliant: the whole catalog, strict, on the small tree with two copies.
TEST(ScaffoldCopies, CopiedSmallTreePassesEveryStrictRule) {
  sotcheck::testing::MemoryTree tree;
  visit_planned_files(TreeShape{Size::small, 1, 2}, [&](const PlannedFileView& f) {
    tree.add_file(std::string(f.path), f.bulk ? std::string(f.size, 'x') : std::string(f.content));
  });
  const auto result = sotcheck::testing::run_catalog(tree, sotcheck::checks::Profile::strict);
  EXPECT_EQ(result.verdicts.size(), 384u);
  std::string failing;
  for (const auto& id : result.not_passing()) failing += id + " ";
  EXPECT_EQ(failing, "");
}

TEST(Scaffold, RefusesNonEmptyDirectoryAndLeavesItAlone) {
  TempDir dir;
  std::ofstream(dir.path() / "keep.txt") << "mine";
  ScaffoldOptions options;
  options.directory = dir.path().string();
  const auto result = write_scaffold(options);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().find("not empty"), std::string::npos) << result.error();
  EXPECT_EQ(child_names(dir.path()), std::vector<std::string>{"keep.txt"});
}

TEST(Scaffold, RefusesAFileAsTarget) {
  TempDir dir;
  std::ofstream(dir.path() / "file") << "x";
  ScaffoldOptions options;
  options.directory = (dir.path() / "file").string();
  EXPECT_FALSE(write_scaffold(options).ok());
}

TEST(Scaffold, CreatesMissingParentDirectories) {
  TempDir dir;
  ScaffoldOptions options;
  options.directory = (dir.path() / "x" / "y").string();
  EXPECT_TRUE(write_scaffold(options).ok());
  EXPECT_TRUE(fs::is_regular_file(dir.path() / "x" / "y" / "03_core" / "README.md"));
}

TEST(Scaffold, ParsesSizeNames) {
  EXPECT_EQ(sotcheck::scaffold::parse_size("small"), Size::small);
  EXPECT_EQ(sotcheck::scaffold::parse_size("large"), Size::large);
  EXPECT_FALSE(sotcheck::scaffold::parse_size("huge").has_value());
  EXPECT_EQ(sotcheck::scaffold::to_string(Size::large), "large");
}

// ---------------------------------------------------------------------------------------------------------
// The large layout, planned only

TEST(ScaffoldLargePlan, ApproachesTheRealRepositorySize) {
  const auto stats = planned_stats(Size::large, 1);
  EXPECT_GE(stats.files, 25'000u);
  EXPECT_LE(stats.files, 29'000u);
  EXPECT_GE(stats.directories, 8'500u);
  EXPECT_LE(stats.directories, 10'500u);
  EXPECT_GE(stats.bytes, 220'000'000u);
  EXPECT_LE(stats.bytes, 280'000'000u);
}

TEST(ScaffoldLargePlan, IsDeterministicPerSeedAndVariesAcrossSeeds) {
  const auto a = planned_stats(Size::large, 3);
  const auto b = planned_stats(Size::large, 3);
  const auto c = planned_stats(Size::large, 4);
  EXPECT_EQ(a.files, b.files);
  EXPECT_EQ(a.bytes, b.bytes);
  EXPECT_NE(a.bytes, c.bytes);
}

TEST(ScaffoldLargePlan, HasSeveralImplementationsWithHelmChartsAndNoFileOverTheSizeCap) {
  std::map<std::string, std::set<std::string>> impls_per_shard;
  std::size_t helm_charts = 0;
  for (const auto& file : large_plan()) {
    EXPECT_LT(file.bulk ? 0 : file.content.size(), 16u * 1024 * 1024);
    const auto pos = file.path.find("/implementations/");
    if (pos == std::string::npos) continue;
    const auto impl_end = file.path.find('/', pos + 17);
    impls_per_shard[file.path.substr(0, pos)].insert(file.path.substr(pos + 17, impl_end - pos - 17));
    if (ends_with(file.path, "/helm/Chart.yaml")) ++helm_charts;
  }
  EXPECT_EQ(impls_per_shard.size(), 384u);
  for (const auto& [shard, impls] : impls_per_shard) EXPECT_GE(impls.size(), 2u) << shard;
  EXPECT_GT(helm_charts, 384u);
}

TEST(ScaffoldLargePlan, PathsFollowTheMatrixRules) {  // AR008/AR009/CE007 on the large layout
  std::set<std::string> top;
  for (const auto& file : large_plan()) {
    top.insert(file.path.substr(0, file.path.find('/')));
    const auto shards = file.path.find("/shards/");
    if (shards != std::string::npos && shards == file.path.find('/')) {
      const auto shard_end = file.path.find('/', shards + 8);
      ASSERT_NE(shard_end, std::string::npos) << file.path;  // nothing but directories inside shards/
      EXPECT_TRUE(is_nn_name(file.path.substr(shards + 8, shard_end - shards - 8))) << file.path;
    }
    for (const std::string_view ext : {".ipynb", ".parquet", ".sqlite", ".db"}) EXPECT_FALSE(ends_with(file.path, ext));
  }
  for (const auto& name : top) EXPECT_TRUE(is_nn_name(name) || name.front() == '.') << name;
}

// ---------------------------------------------------------------------------------------------------------
// Content: what must be absent

/// The planned files as an in-memory tree, for evaluating the catalog's own rules on them.
sotcheck::testing::MemoryTree tree_of(const std::vector<PlannedText>& plan) {
  sotcheck::testing::MemoryTree tree;
  for (const auto& file : plan) tree.add_file(file.path, file.content);
  return tree;
}

/// The small and the large plan as trees, built once (the large one holds ~60 MB of text).
sotcheck::testing::MemoryTree& plan_tree(Size size) {
  static sotcheck::testing::MemoryTree small = tree_of(small_plan());
  static sotcheck::testing::MemoryTree large = tree_of(large_plan());
  return size == Size::small ? small : large;
}

/// Rule `id` of the catalog passes in the strict profile on both planned trees.
void expect_passes_on_both_plans(const std::string& id) {
  for (const Size size : {Size::small, Size::large}) {
    const auto verdict = sotcheck::testing::run_rule(id, plan_tree(size), sotcheck::checks::Profile::strict);
    EXPECT_EQ(verdict.status, sotcheck::exec::Status::pass)
        << id << " on the " << (size == Size::small ? "small" : "large") << " plan: " << verdict.message;
  }
}

/// ... and fails once a file that breaks it joins the small tree, so the evaluation is live, not vacuous.
void expect_fails_with(const std::string& id, const std::string& path, const std::string& text) {
  auto tree = tree_of(small_plan());
  tree.add_file(path, text);
  EXPECT_EQ(sotcheck::testing::run_rule(id, tree, sotcheck::checks::Profile::strict).status,
            sotcheck::exec::Status::fail)
      << id << " did not notice " << path;
}

TEST(ScaffoldContent, NoPythonFileBreaksTheCatalogsCp001) {
  expect_passes_on_both_plans("CP001");
  expect_fails_with("CP001", "03_core/src/profile_store.py", "def f(db):\n    db.store_user_email(x)\n");
}

TEST(ScaffoldContent, NoScannedTextFileBreaksTheCatalogsCp011) {
  expect_passes_on_both_plans("CP011");
  expect_fails_with("CP011", "03_core/config/service.yaml", "api_key = \"abcdefghijklmnop\"\n");
}

// ---------------------------------------------------------------------------------------------------------
// Content: ratio rules evaluate every file whose name matches, so a name brings obligations (strict
// docs/reference-compatibility.md#rc-5). The catalog's rules themselves judge the planned trees.

TEST(ScaffoldContent, EveryFileNamedForARatioRuleCarriesItsContent) {
  for (const std::string id : {"MD-POLICY-009", "MD-POLICY-012", "MD-POLICY-023", "MD-POLICY-027", "MD-POLICY-028",
                               "MD-PRINC-007", "MD-EXT-018"})
    expect_passes_on_both_plans(id);
  // A file named for MD-POLICY-027 without its content is what the ratio counts against.
  sotcheck::testing::MemoryTree lone;
  lone.add_file("03_core/src/cipher.py", "def noop():\n    return None\n");
  EXPECT_EQ(sotcheck::testing::run_rule("MD-POLICY-027", lone, sotcheck::checks::Profile::strict).status,
            sotcheck::exec::Status::fail);
}

// ---------------------------------------------------------------------------------------------------------
// Content: the files the "any"-quantified content rules look for exist with their literals (small tree)

struct Evidence {
  std::string_view rule;
  std::vector<std::string_view> patterns;  // file-name globs
  std::string_view path_prefix;            // "" = anywhere
  std::function<bool(std::string_view text)> satisfied;
};

/// A predicate: every one of `list` occurs as a word.
std::function<bool(std::string_view)> words(std::initializer_list<std::string_view> all) {
  std::vector<std::string_view> list(all);
  return [list](std::string_view text) {
    return std::all_of(list.begin(), list.end(), [&text](std::string_view w) { return contains_word(text, w); });
  };
}

TEST(ScaffoldContent, EveryContentRuleFindsItsFile) {
  const std::vector<Evidence> evidence = {
      {"CP002", {"*hash*.py"}, "", [](auto t) { return contains(t, "SHA3-256"); }},
      {"CP003",
       {"*pepper*.yaml"},
       "",
       [](auto t) { return contains(t, "per_tenant") && contains(t, "tenant_pepper"); }},
      {"CP004", {"*retention*.yaml"}, "", words({"0", "immediate", "discard"})},
      {"CP005/CP006", {"*gdpr*.py"}, "", words({"erasure", "rotate_pepper", "export", "portability", "JSON"})},
      {"CP007", {"*log*.yaml"}, "", words({"redact", "pii_redaction"})},
      {"CP008", {"*bias*.py"}, "", words({"test", "fairness", "demographic_parity"})},
      {"CP009/TS001", {"*anchor*.py"}, "", words({"blockchain", "Ethereum", "Polygon", "hour", "3600"})},
      {"CP010", {"*worm*.py"}, "", words({"10", "year", "retention"})},
      {"CP012", {"*rotation*.yaml"}, "", words({"90", "day"})},
      {"JURIS_BL",
       {"*.rego"},
       "",
       [](auto t) {  // each code quoted inside a deny rule: a word in strict
         static constexpr std::string_view k_codes[] = {"IR", "KP", "SY", "CU", "SD", "BY", "VE"};
         return contains(t, "deny contains") && std::all_of(std::begin(k_codes), std::end(k_codes), [&t](auto code) {
                  return contains(t, "== \"" + std::string(code) + "\"");
                });
       }},
      {"CE002/MD-EXT-012/CE008",
       {"*.rego"},
       "23_compliance/",
       [](auto t) {
         return contains(t, "has_substr") && contains(t, "string_similarity") && contains(t, "repo_scan.json");
       }},
      {"SOT-V2-0091/0093",
       {"*grundprinzipien*.md"},
       "",
       [](auto t) { return contains(t, "allowed_root_files") && contains_word(lower(t), "ausnahmen"); }},
      {"SOT-V2-0092", {"structure_exceptions.yaml"}, "", [](auto) { return true; }},
      {"SOT-V2-0094", {"*verbindliche*root*.yaml"}, "", [](auto) { return true; }},
      {"VG002", {"compat*.py"}, "", [](auto) { return true; }},
      {"VG003", {"CHANGELOG.md"}, "", [](auto t) { return contains_word(t, "180") && contains(lower(t), "deprecat"); }},
      {"VG004", {"RFC*.md"}, "", [](auto) { return true; }},
      {"VG006",
       {"CODEOWNERS"},
       ".github/",
       [](auto t) { return contains(t, "chart.yaml") && contains(t, "Chart.yaml"); }},
      {"VG007", {"settings.yml"}, ".github/", [](auto) { return true; }},
      {"VG008", {"GOVERNANCE.md"}, "", [](auto) { return true; }},
      {"KP005/MR002", {"*ledger*.jsonl"}, "02_audit_logging/", [](auto) { return true; }},
      {"KP006", {"*certificate*.py"}, "", [](auto) { return true; }},
      {"KP007/MD-PRINC-013", {"*prometheus*.yaml"}, "", [](auto t) { return contains(lower(t), "alertmanager"); }},
      {"KP009", {"*hpa*.yaml"}, "", [](auto) { return true; }},
      {"KP010", {"*.schema.json"}, "", [](auto) { return true; }},
      {"CE003", {"*sanction*.yml"}, ".github/workflows/", [](auto t) { return contains(t, "15 3 * * *"); }},
      {"CE004", {"*entities_to_check.json"}, "", [](auto) { return true; }},
      {"CE005", {"*sources*.yaml"}, "", [](auto t) { return contains(t, "\nmax_age_hours: 24\n"); }},
      {"CE008", {"repo_scan.json"}, "24_meta_orchestration/registry/generated/", [](auto) { return true; }},
      {"TS002", {"*did*.yaml"}, "", [](auto) { return true; }},
      {"TS002", {"*credential*.yaml"}, "", [](auto) { return true; }},
      {"TS003", {"*ipfs*.yaml"}, "", [](auto) { return true; }},
      {"TS004", {"*.sol"}, "", [](auto) { return true; }},
      {"DC001", {"*deployment*.yaml"}, "", [](auto t) { return contains(t, "blue-green") && contains(t, "canary"); }},
      {"DC002", {"*dev*.yaml"}, "", [](auto) { return true; }},
      {"DC002", {"*staging*.yaml"}, "", [](auto) { return true; }},
      {"DC002", {"*production*.yaml"}, "", [](auto) { return true; }},
      {"DC003/DC004/MD-EXT-015",
       {"ci.yml"},
       ".github/workflows/",
       [](auto t) {
         return contains(t, "pytest") && contains(t, "upload-artifact@v4") &&
                words({"test", "build", "security", "deploy"})(t);
       }},
      {"MD-EXT-014",
       {"*.yml"},
       ".github/workflows/",
       [](auto t) { return contains(t, "schedule") && contains(t, "*/3"); }},
      {"MD-PRINC-009", {"*scan*.yaml"}, "", [](auto t) { return contains(t, "scan") && contains(t, "schedule"); }},
      {"MD-PRINC-018", {"*ingress*.yaml"}, "", [](auto t) { return contains(lower(t), "balance"); }},
      {"MD-PRINC-019", {"*cache*.yaml"}, "", [](auto t) { return contains(t, "cache") && contains(t, "ttl"); }},
      {"MD-PRINC-020",
       {"*performance*.yaml"},
       "",
       [](auto t) { return contains(t, "gate") && contains(t, "threshold"); }},
      {"MD-GOV-005",
       {"*.md"},
       "07_governance_legal/governance/",
       [](auto t) { return contains(t, "compliance team"); }},
      {"MD-GOV-006", {"*constraint*.yaml"}, "", [](auto t) { return contains(t, "approved"); }},
      {"MD-GOV-007", {"*threat*.md"}, "", [](auto t) { return contains(lower(t), "threat model"); }},
      {"MD-GOV-008",
       {"*change*.md"},
       "",
       words({"proposal", "review", "approval", "test", "deploy", "monitor", "rollback"})},
      {"MD-GOV-009", {"*sla*.yaml"}, "", words({"99.5", "90", "day"})},
      {"MD-GOV-010", {"*coverage*.yaml"}, "", words({"95", "contract"})},
      {"MD-GOV-011",
       {"*promotion*.md"},
       "",
       [](auto t) { return contains(t, "beta") && contains(t, "documentation"); }},
      {"PROP_TYPE",
       {"*dao*.yaml"},
       "",
       words({"parameter_change", "treasury_allocation", "protocol_upgrade", "emergency", "code_upgrade",
              "governance_change", "delegation_change"})},
      {"TIER1_MKT", {"*compliance*.yaml"}, "", words({"US", "EU", "UK", "CN", "JP", "CA", "AU"})},
      {"REWARD_POOL",
       {"*reward*.yaml"},
       "",
       words({"validation", "community", "development", "governance_rewards", "foundation_reserve"})},
      {"NETWORK", {"*network*.yaml"}, "", words({"ethereum", "polygon", "arbitrum", "optimism", "base", "avalanche"})},
      {"AUTH_METHOD",
       {"*auth*.yaml"},
       "",
       words({"did:ethr", "did:key", "did:web", "biometric_eidas", "smart_card_eidas", "mobile_eidas"})},
      {"PII_CAT",
       {"*pii*.yaml"},
       "",
       words({"name", "email", "phone", "address", "national_id", "passport", "drivers_license", "ssn_tax_id",
              "biometric_data", "health_records"})},
      {"HASH_ALG",
       {"*hash*.py"},
       "",
       [](auto t) {
         return contains(t, "SHA3-256") && contains(t, "BLAKE3") && contains(t, "SHA-256") && contains(t, "SHA-512");
       }},
      {"RETENTION",
       {"*retention*.yaml"},
       "",
       words({"login_attempts", "session_tokens", "audit_logs", "kyc_proofs", "financial_records"})},
      {"DID_METHOD", {"*did*.yaml"}, "", words({"did:ethr", "did:key", "did:web", "did:ion"})},
  };
  for (const auto& want : evidence) {
    bool found = false;
    for (const auto& file : small_plan()) {
      if (file.path.compare(0, want.path_prefix.size(), want.path_prefix) != 0) continue;
      const std::string_view name = basename(file.path);
      const bool named = std::any_of(want.patterns.begin(), want.patterns.end(),
                                     [&name](std::string_view p) { return name_matches(name, p); });
      if (named && want.satisfied(file.content)) {
        found = true;
        break;
      }
    }
    EXPECT_TRUE(found) << want.rule << " has no qualifying file";
  }
}

// ---------------------------------------------------------------------------------------------------------
// Content: SoT charts, manifests and the SOT-V2 contract

TEST(ScaffoldContent, EverySotChartCarriesEveryFieldTheChartRulesRead) {
  const std::vector<std::string_view> fields = {"version",
                                                "metadata.shard_id",
                                                "metadata.version",
                                                "metadata.status",  // VG001, CS001
                                                "governance.owner.team",
                                                "governance.owner.lead",
                                                "governance.owner.contact",  // VG005, CS002
                                                "capabilities.MUST",
                                                "capabilities.SHOULD",
                                                "capabilities.HAVE",  // CS003
                                                "constraints.pii_storage",
                                                "constraints.data_policy",
                                                "constraints.custody",  // CS004
                                                "enforcement.static_analysis",
                                                "enforcement.runtime_checks",
                                                "enforcement.audit",  // CS005
                                                "interfaces.contracts",
                                                "dependencies.required",
                                                "implementations.default",  // CS006-008
                                                "implementations.available",
                                                "conformance.contract_tests",  // CS008-009
                                                "observability.metrics",
                                                "observability.tracing",
                                                "observability.logging",  // CS010
                                                "security.threat_model",
                                                "security.encryption.at_rest",
                                                "security.encryption.in_transit",  // CS011, MD-CHART-045
                                                "compatibility.core_min_version",
                                                "orchestration.workflows",
                                                "resources.compute",  // MD-CHART-024/029/048
                                                "roadmap.upcoming"};  // MD-CHART-050
  std::size_t charts = 0;
  for (const auto* plan : {&small_plan(), &large_plan()}) {
    for (const auto& file : *plan) {
      if (!ends_with(file.path, "/chart.yaml")) continue;
      ++charts;
      const auto keys = yaml_key_paths(file.content);
      for (const auto field : fields) EXPECT_TRUE(keys.count(std::string(field))) << file.path << ": " << field;
      // VG001: a quoted MAJOR.MINOR.PATCH string (YAML 1.1 would read an unquoted 1.0 as a float).
      const std::string version = yaml_scalar(file.content, "version");
      EXPECT_TRUE(version.size() >= 7 && version.front() == '"' && version.back() == '"' &&
                  std::count(version.begin(), version.end(), '.') == 2)
          << file.path << ": " << version;
      // MR003: a mapping with fewer than three required dependencies.
      EXPECT_TRUE(contains(file.content, "dependencies:\n  required:\n    - \"")) << file.path;
    }
  }
  EXPECT_EQ(charts, 2u * 384);
}

TEST(ScaffoldContent, EveryManifestCarriesEveryFieldTheManifestRulesRead) {
  const std::vector<std::string_view> fields = {"implementation_id",
                                                "implementation_version",
                                                "chart_version",  // MS001
                                                "technology_stack.language.name",
                                                "technology_stack.language.version",
                                                "technology_stack.linting_formatting",
                                                "artifacts.source_code.location",
                                                "artifacts.configuration.location",
                                                "artifacts.models",
                                                "artifacts.protocols",
                                                "artifacts.tests.location",
                                                "artifacts.documentation",
                                                "artifacts.scripts",
                                                "artifacts.docker.files",
                                                "dependencies.packages",
                                                "dependencies.services",
                                                "build.commands",
                                                "build.docker",
                                                "deployment.kubernetes.manifests_location",
                                                "deployment.helm.chart_location",
                                                "deployment.environment_variables",
                                                "testing.unit",
                                                "testing.integration",
                                                "testing.contract",
                                                "testing.unit_tests.coverage_target",
                                                "testing.security_tests",
                                                "testing.performance_tests",
                                                "observability.logging.format",
                                                "observability.logging.pii_redaction",
                                                "observability.health_checks.liveness",
                                                "observability.health_checks.readiness",
                                                "metadata.maturity",
                                                "development.setup",
                                                "development.local_development",
                                                "development.pre_commit_hooks",
                                                "performance.baseline_benchmarks",
                                                "performance.optimization_targets",
                                                "performance.resource_requirements",
                                                "changelog.location",
                                                "support.contacts"};
  std::size_t manifests = 0;
  for (const auto* plan : {&small_plan(), &large_plan()}) {
    for (const auto& file : *plan) {
      if (!ends_with(file.path, "/manifest.yaml")) continue;
      ++manifests;
      EXPECT_TRUE(contains(file.path, "/shards/") && contains(file.path, "/implementations/")) << file.path;
      const auto keys = yaml_key_paths(file.content);
      for (const auto field : fields) EXPECT_TRUE(keys.count(std::string(field))) << file.path << ": " << field;
      const auto at = file.content.find("coverage_target: ");
      ASSERT_NE(at, std::string::npos);
      EXPECT_GE(std::stoi(file.content.substr(at + 17)), 80) << file.path;  // MD-MANIFEST-029: a plain integer
      EXPECT_TRUE(contains(file.content, "    format: json\n    pii_redaction: true\n")) << file.path;  // 036, MS006
      EXPECT_TRUE(contains(file.content, "      - Dockerfile\n")) << file.path;                         // 018
    }
  }
  EXPECT_GT(manifests, 385u + 384u);
}

TEST(ScaffoldContent, SotContractHasEveryFieldPathOfTheSotV2Rules) {
  // The 168 distinct dotted paths of the 185 SOT-V2 field rules (docs/rules/sot-v2.md).
  const std::vector<std::string_view> paths = {
      "business_model",
      "business_model.data_custody",
      "business_model.kyc_responsibility",
      "business_model.not_role",
      "business_model.role",
      "business_model.user_interactions",
      "classification",
      "compliance_utilities",
      "compliance_utilities.audit_payments",
      "compliance_utilities.legal_attestations",
      "compliance_utilities.regulatory_reporting",
      "date",
      "deprecated",
      "fee_routing",
      "fee_routing.system_fees",
      "fee_routing.system_fees.allocation",
      "fee_routing.system_fees.allocation.dev_fee",
      "fee_routing.system_fees.allocation.system_treasury",
      "fee_routing.system_fees.burn_from_system_fee",
      "fee_routing.system_fees.burn_from_system_fee.base",
      "fee_routing.system_fees.burn_from_system_fee.daily_cap_percent_of_circ",
      "fee_routing.system_fees.burn_from_system_fee.monthly_cap_percent_of_circ",
      "fee_routing.system_fees.burn_from_system_fee.oracle_source",
      "fee_routing.system_fees.burn_from_system_fee.policy",
      "fee_routing.system_fees.burn_from_system_fee.snapshot_time_utc",
      "fee_routing.system_fees.note",
      "fee_routing.system_fees.scope",
      "fee_routing.system_fees.total_fee",
      "fee_routing.validator_rewards",
      "fee_routing.validator_rewards.no_per_transaction_split",
      "fee_routing.validator_rewards.note",
      "fee_routing.validator_rewards.source",
      "fee_structure",
      "fee_structure.allocation",
      "fee_structure.burn_from_system_fee",
      "fee_structure.fee_collection",
      "fee_structure.no_manual_intervention",
      "fee_structure.scope",
      "fee_structure.total_fee",
      "governance_controls",
      "governance_controls.authority",
      "governance_controls.note",
      "governance_controls.reference",
      "governance_fees",
      "governance_fees.proposal_deposits",
      "governance_fees.voting_gas",
      "governance_framework",
      "governance_framework.dao_ready",
      "governance_framework.emergency_procedures",
      "governance_framework.proposal_system",
      "governance_framework.reference",
      "governance_framework.upgrade_authority",
      "governance_framework.voting_mechanism",
      "governance_parameters",
      "governance_parameters.delegation_system",
      "governance_parameters.delegation_system.delegation_changes",
      "governance_parameters.delegation_system.delegation_enabled",
      "governance_parameters.delegation_system.self_delegation_default",
      "governance_parameters.delegation_system.vote_weight_calculation",
      "governance_parameters.governance_rewards",
      "governance_parameters.governance_rewards.delegate_rewards",
      "governance_parameters.governance_rewards.minimum_participation",
      "governance_parameters.governance_rewards.proposal_creator_rewards",
      "governance_parameters.governance_rewards.voter_participation_rewards",
      "governance_parameters.proposal_framework",
      "governance_parameters.proposal_framework.proposal_deposit",
      "governance_parameters.proposal_framework.proposal_threshold",
      "governance_parameters.proposal_framework.proposal_types",
      "governance_parameters.timelock_framework",
      "governance_parameters.timelock_framework.emergency_proposals",
      "governance_parameters.timelock_framework.parameter_changes",
      "governance_parameters.timelock_framework.protocol_upgrades",
      "governance_parameters.timelock_framework.standard_proposals",
      "governance_parameters.timelock_framework.treasury_allocations",
      "governance_parameters.voting_periods",
      "governance_parameters.voting_periods.emergency_voting",
      "governance_parameters.voting_periods.parameter_voting",
      "governance_parameters.voting_periods.protocol_upgrade_voting",
      "governance_parameters.voting_periods.standard_voting",
      "governance_parameters.voting_requirements",
      "governance_parameters.voting_requirements.emergency_supermajority",
      "governance_parameters.voting_requirements.quorum_emergency",
      "governance_parameters.voting_requirements.quorum_protocol_upgrade",
      "governance_parameters.voting_requirements.quorum_standard",
      "governance_parameters.voting_requirements.simple_majority",
      "governance_parameters.voting_requirements.supermajority",
      "jurisdictional_compliance",
      "jurisdictional_compliance.blacklist_jurisdictions",
      "jurisdictional_compliance.compliance_basis",
      "jurisdictional_compliance.excluded_entities",
      "jurisdictional_compliance.excluded_markets",
      "jurisdictional_compliance.reference",
      "jurisdictional_compliance.regulatory_exemptions",
      "legal_safe_harbor",
      "legal_safe_harbor.admin_controls",
      "legal_safe_harbor.e_money_token",
      "legal_safe_harbor.investment_contract",
      "legal_safe_harbor.passive_income",
      "legal_safe_harbor.redemption_rights",
      "legal_safe_harbor.security_token",
      "legal_safe_harbor.stablecoin",
      "legal_safe_harbor.upgrade_mechanism",
      "legal_safe_harbor.yield_bearing",
      "primary_utilities",
      "primary_utilities.ecosystem_rewards",
      "primary_utilities.ecosystem_rewards.description",
      "primary_utilities.ecosystem_rewards.distribution_method",
      "primary_utilities.ecosystem_rewards.reward_pools",
      "primary_utilities.governance_participation",
      "primary_utilities.governance_participation.description",
      "primary_utilities.governance_participation.proposal_threshold",
      "primary_utilities.governance_participation.voting_weight",
      "primary_utilities.identity_verification",
      "primary_utilities.identity_verification.burn_clarification",
      "primary_utilities.identity_verification.burn_source_note",
      "primary_utilities.identity_verification.description",
      "primary_utilities.identity_verification.fee_burn_mechanism",
      "primary_utilities.identity_verification.smart_contract",
      "primary_utilities.staking_utility",
      "primary_utilities.staking_utility.description",
      "primary_utilities.staking_utility.slashing_conditions",
      "primary_utilities.staking_utility.staking_rewards",
      "risk_mitigation",
      "risk_mitigation.clear_utility_purpose",
      "risk_mitigation.no_fiat_pegging",
      "risk_mitigation.no_marketing_investment",
      "risk_mitigation.no_redemption_mechanism",
      "risk_mitigation.no_yield_promises",
      "risk_mitigation.open_source_license",
      "secondary_utilities",
      "secondary_utilities.api_access",
      "secondary_utilities.data_portability",
      "secondary_utilities.marketplace_access",
      "secondary_utilities.premium_features",
      "staking_mechanics",
      "staking_mechanics.discount_applies_to",
      "staking_mechanics.maximum_discount",
      "staking_mechanics.minimum_stake",
      "staking_mechanics.slashing_penalty",
      "staking_mechanics.system_fee_invariance",
      "staking_mechanics.unstaking_period",
      "supply_mechanics",
      "supply_mechanics.circulation_controls",
      "supply_mechanics.circulation_controls.max_annual_inflation",
      "supply_mechanics.circulation_controls.partnership_unlock",
      "supply_mechanics.circulation_controls.reserve_governance",
      "supply_mechanics.circulation_controls.team_vesting_schedule",
      "supply_mechanics.deflationary_mechanisms",
      "supply_mechanics.deflationary_mechanisms.governance_burning",
      "supply_mechanics.deflationary_mechanisms.staking_slashing",
      "supply_mechanics.initial_distribution",
      "supply_mechanics.initial_distribution.community_rewards",
      "supply_mechanics.initial_distribution.ecosystem_development",
      "supply_mechanics.initial_distribution.partnerships",
      "supply_mechanics.initial_distribution.reserve_fund",
      "supply_mechanics.initial_distribution.team_development",
      "supply_mechanics.total_supply",
      "technical_specification",
      "technical_specification.blockchain",
      "technical_specification.custody_model",
      "technical_specification.smart_contract_automation",
      "technical_specification.standard",
      "technical_specification.supply_model",
      "token_definition",
      "token_definition.explicit_exclusions",
      "token_definition.legal_position",
      "token_definition.purpose",
      "version"};
  ASSERT_EQ(paths.size(), 168u);
  std::size_t contracts = 0;
  for (const auto& file : small_plan()) {
    if (!contains(file.path, "sot_contract_data")) continue;
    ++contracts;
    EXPECT_EQ(file.path, "16_codex/contracts/sot/sot_contract_data.yaml");  // strict docs/reference-compatibility.md#rc-21: the exact path
    const auto keys = yaml_key_paths(file.content);
    for (const auto path : paths) EXPECT_TRUE(keys.count(std::string(path))) << path;
  }
  EXPECT_EQ(contracts, 1u);
}

}  // namespace
