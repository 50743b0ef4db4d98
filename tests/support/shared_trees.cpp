#include "support/shared_trees.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <stdexcept>

#include "sotcheck/util/hash.hpp"
#include "support/process.hpp"

namespace sotcheck::testing {
namespace {

namespace fs = std::filesystem;

/// The entry's layout: the tree, and the marker written after it is complete.
constexpr const char* k_tree_name = "ssid";
constexpr const char* k_marker_name = "complete";
/// Directories that are not entries start with a dot: builds in progress and
/// entries being removed.
constexpr const char* k_building_prefix = ".building.";
constexpr const char* k_trash_prefix = ".trash.";

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error("shared test tree: " + what); }

std::string errno_reason() { return std::strerror(errno); }

/// Device, inode, size and modification time: a relink writes a new file, so
/// any rebuild of the binary changes this.
std::string file_identity(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) fail("cannot stat " + path + ": " + errno_reason());
  return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino) + ":" + std::to_string(st.st_size) + ":" +
         std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec);
}

/// Moves `path` out of the way under a unique name, then deletes it; a
/// concurrent reader of the old name sees it either whole or gone.
void discard(const fs::path& path) {
  static int counter = 0;
  const fs::path trash = path.parent_path() / (std::string(k_trash_prefix) + std::to_string(::getpid()) + "." +
                                               std::to_string(counter++) + "." + path.filename().string());
  if (::rename(path.c_str(), trash.c_str()) != 0) return;  // already gone: someone else discarded it
  std::error_code ec;
  fs::remove_all(trash, ec);
}

/// The binaries a shared tree depends on: sotcheck writes the scaffold, the
/// test binary holds the recipes' changes.
std::string binaries_identity() {
  static const std::string identity = [] {
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx",
                  static_cast<unsigned long long>(
                      util::fnv1a(file_identity(SOTCHECK_BINARY) + "|" + file_identity("/proc/self/exe"))));
    return std::string(hex);
  }();
  return identity;
}

bool valid_name(const std::string& name) {
  if (name.empty() || name.front() == '.') return false;
  for (const char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') return false;
  return true;
}

std::string marker_text(const TreeRecipe& recipe) {
  return "recipe " + recipe.name + "\nsize " + recipe.size + "\nseed " + std::to_string(recipe.seed) +
         "\nbinaries " + binaries_identity() + "\n";
}

/// Every entry's path, type, mode, size and modification time, combined in an
/// order-independent way: a test that writes, removes, renames or chmods
/// anything in a shared tree changes it. A few milliseconds for the small tree.
std::string fingerprint(const fs::path& tree) {
  std::uint64_t sum = 0, entries = 0;
  for (auto it = fs::recursive_directory_iterator(tree); it != fs::recursive_directory_iterator(); ++it) {
    struct stat st {};
    if (::lstat(it->path().c_str(), &st) != 0) fail("cannot stat " + it->path().string() + ": " + errno_reason());
    const std::string line = it->path().lexically_relative(tree).string() + "|" + std::to_string(st.st_mode) + "|" +
                             std::to_string(st.st_size) + "|" + std::to_string(st.st_mtim.tv_sec) + "." +
                             std::to_string(st.st_mtim.tv_nsec);
    sum += util::fnv1a(line);
    ++entries;
  }
  return std::to_string(entries) + " entries, " + std::to_string(sum);
}

/// The marker: the recipe, then the tree's fingerprint on the last line.
std::string marker_text(const TreeRecipe& recipe, const std::string& tree_fingerprint) {
  return marker_text(recipe) + "fingerprint " + tree_fingerprint + "\n";
}

/// An entry counts only if its marker, written last, is there. It is written
/// before the entry is published, so a marker naming another recipe means two
/// recipes share a name: a mistake in the tests, reported rather than rebuilt
/// over (the two would discard each other's tree forever). A tree that no
/// longer matches its fingerprint was changed by a test that should have
/// taken a PrivateTree: it is discarded (the next process rebuilds it) and
/// this test fails saying so, rather than running on a tree that is not the
/// recipe's.
bool complete(const fs::path& entry, const TreeRecipe& recipe) {
  std::error_code ec;
  if (!fs::is_regular_file(entry / k_marker_name, ec)) return false;
  const std::string found = read_file((entry / k_marker_name).string());
  if (!found.starts_with(marker_text(recipe)))
    fail(entry.string() + " was built by another recipe of the same name:\n" + found + "not\n" +
         marker_text(recipe));
  const std::string now = marker_text(recipe, fingerprint(entry / k_tree_name));
  if (found != now) {
    discard(entry);
    fail("the tree of " + recipe.name + " was changed after it was built (now " + now.substr(now.rfind("fingerprint")) +
         " was " + found.substr(found.rfind("fingerprint")) +
         "): a test wrote into a shared tree instead of a PrivateTree (support/private_tree.hpp)");
  }
  return true;
}

/// Entries of earlier binaries are never used again; the first process of
/// new binaries removes them so the build directory does not fill up.
void remove_other_generations(const fs::path& cache, const std::string& current) {
  std::error_code ec;
  for (const auto& child : fs::directory_iterator(cache, ec)) {
    const std::string name = child.path().filename().string();
    if (name == current) continue;
    if (name.rfind(k_trash_prefix, 0) == 0)
      fs::remove_all(child.path(), ec);  // left by a process that died while removing it
    else
      discard(child.path());
  }
}

/// The directory for this build's binaries, created (and older generations
/// pruned) by the first process that needs it.
fs::path generation_directory(const fs::path& cache) {
  std::error_code ec;
  fs::create_directories(cache, ec);
  if (ec) fail("cannot create " + cache.string() + ": " + ec.message());
  const fs::path generation = cache / binaries_identity();
  if (::mkdir(generation.c_str(), 0755) == 0)
    remove_other_generations(cache, binaries_identity());
  else if (errno != EEXIST)
    fail("cannot create " + generation.string() + ": " + errno_reason());
  return generation;
}

/// A build abandoned by a process that died (a test killed by its timeout).
void remove_abandoned_builds(const fs::path& generation) {
  std::error_code ec;
  for (const auto& child : fs::directory_iterator(generation, ec)) {
    const std::string name = child.path().filename().string();
    if (name.rfind(k_building_prefix, 0) != 0) continue;
    const pid_t owner = static_cast<pid_t>(std::atol(name.c_str() + std::strlen(k_building_prefix)));
    if (owner > 0 && ::kill(owner, 0) != 0 && errno == ESRCH) discard(child.path());
  }
}

/// Scaffolds and changes the tree in a private directory, then publishes it
/// with one rename. When another process published first, its tree stays and
/// this one is thrown away.
void build_and_publish(const TreeRecipe& recipe, const fs::path& generation, const fs::path& entry) {
  remove_abandoned_builds(generation);
  std::string pattern =
      (generation / (std::string(k_building_prefix) + std::to_string(::getpid()) + "." + recipe.name + ".XXXXXX"))
          .string();
  if (::mkdtemp(pattern.data()) == nullptr) fail("cannot create a directory in " + generation.string());
  const fs::path building = pattern;
  // Readable by everyone like a scaffold in a fresh directory (mkdtemp makes 0700):
  // some tests run sotcheck as an unprivileged user on the tree.
  ::chmod(building.c_str(), 0755);
  const std::string tree = (building / k_tree_name).string();
  const auto scaffolded =
      run_sotcheck({"scaffold", tree, "--size", recipe.size, "--seed", std::to_string(recipe.seed)});
  if (scaffolded.exit_code != 0) {
    discard(building);
    fail("`sotcheck scaffold` for " + recipe.name + " exited " + std::to_string(scaffolded.exit_code) + ": " +
         scaffolded.err);
  }
  try {
    if (recipe.change) recipe.change(tree);
  } catch (const std::exception& e) {
    discard(building);
    fail("changing " + recipe.name + ": " + e.what());
  }
  write_file((building / k_marker_name).string(), marker_text(recipe, fingerprint(tree)));
  if (::rename(building.c_str(), entry.c_str()) == 0) return;
  const int error = errno;
  discard(building);
  if (error == EEXIST || error == ENOTEMPTY) return;
  errno = error;
  fail("cannot publish " + entry.string() + ": " + errno_reason());
}

}  // namespace

const TreeRecipe& seed7_scaffold() {
  static const TreeRecipe recipe{.name = "small-seed7", .seed = 7, .change = {}};
  return recipe;
}

const TreeRecipe& default_scaffold() {
  static const TreeRecipe recipe{.name = "small-seed1", .seed = 1, .change = {}};
  return recipe;
}

void remove_existing(const std::string& path) {
  if (fs::remove_all(path) == 0) throw std::runtime_error(path + " is not in the scaffold");
}

const TreeRecipe& seed7_without_a_root() {
  static const TreeRecipe recipe{.name = "small-seed7-without-07_governance_legal",
                                 .seed = 7,
                                 .change = [](const std::string& tree) { remove_existing(tree + "/07_governance_legal"); }};
  return recipe;
}

const TreeRecipe& seed7_without_a_root_readme() {
  static const TreeRecipe recipe{.name = "small-seed7-without-03_core-README",
                                 .seed = 7,
                                 .change = [](const std::string& tree) { remove_existing(tree + "/03_core/README.md"); }};
  return recipe;
}

std::string shared_tree(const TreeRecipe& recipe) { return shared_tree(recipe, SOTCHECK_TEST_TREES_DIR); }

std::string shared_tree(const TreeRecipe& recipe, const std::string& cache) {
  if (!valid_name(recipe.name)) fail("recipe name '" + recipe.name + "' is not a plain file name");
  // This process's answers, by cache and everything the marker says of the
  // recipe, so that a clashing recipe of the same name still meets the check.
  static std::map<std::pair<std::string, std::string>, std::string> known;
  const auto key = std::make_pair(cache, marker_text(recipe));
  if (const auto it = known.find(key); it != known.end()) return it->second;

  const fs::path generation = generation_directory(cache);
  const fs::path entry = generation / recipe.name;
  // Three rounds: build or find; an entry that is there but incomplete (only
  // by hand: publishing is atomic) is discarded and rebuilt.
  for (int round = 0; round < 3; ++round) {
    std::error_code ec;
    if (!fs::exists(entry, ec)) build_and_publish(recipe, generation, entry);
    if (complete(entry, recipe)) {
      const std::string tree = (entry / k_tree_name).string();
      known.emplace(key, tree);
      return tree;
    }
    discard(entry);
  }
  fail("no complete tree for " + recipe.name + " in " + entry.string());
}

}  // namespace sotcheck::testing
