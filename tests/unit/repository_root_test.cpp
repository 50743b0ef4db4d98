// The path given to `validate` (docs/robustness.md "Repository root" and "Unreadable input"): what is not a
// readable repository is exit 2 with one line, and unreadable parts of a real one make their rules ERROR
// (exit 3) as an unprivileged user sees them. The suite runs as root, for whom nothing is unreadable, so the
// permission cases run the binary under `setpriv` as uid/gid 65534 on a tree that user can traverse.

#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

#include "sotcheck/cli/repository_root.hpp"
#include "support/private_tree.hpp"
#include "support/process.hpp"
#include "support/shared_trees.hpp"

namespace sotcheck {
namespace {

using testing::run_process;
using testing::run_sotcheck;
using testing::TempDir;
namespace fs = std::filesystem;

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

class RepositoryRoot : public ::testing::Test {
 protected:
  /// The default small scaffold, shared read-only (support/shared_trees.hpp).
  static std::string tree() { return testing::shared_tree(testing::default_scaffold()); }
  /// A private copy for the cases that change modes or add links, traversable
  /// by the unprivileged user.
  struct WritableTree : testing::PrivateTree {
    WritableTree() : PrivateTree(testing::default_scaffold()) { ::chmod(scratch().c_str(), 0755); }
  };

  /// Runs sotcheck as an unprivileged user (directly when the suite is not root).
  static testing::ProcessResult run_unprivileged(const std::vector<std::string>& args) {
    std::vector<std::string> argv;
    if (::geteuid() == 0)
      argv = {setpriv_path(), "--reuid", "65534", "--regid", "65534", "--clear-groups"};
    argv.push_back(SOTCHECK_BINARY);
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv);
  }
  static bool can_drop_privileges() { return ::geteuid() != 0 || !setpriv_path().empty(); }
  static std::string setpriv_path() {
    for (const char* candidate : {"/usr/bin/setpriv", "/bin/setpriv", "/usr/sbin/setpriv"})
      if (::access(candidate, X_OK) == 0) return candidate;
    return "";
  }

  /// chmod for the duration of a test.
  struct ModeGuard {
    std::string path;
    fs::perms old;
    ModeGuard(std::string p, fs::perms mode) : path(std::move(p)), old(fs::status(path).permissions()) {
      fs::permissions(path, mode);
    }
    ~ModeGuard() { fs::permissions(path, old); }
  };

};

TEST_F(RepositoryRoot, AnEmptyDirectoryIsNotARepository) {
  TempDir empty;
  const auto r = run_sotcheck({"validate", empty.path()});
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_EQ(count(r.err, "\n"), 1u) << r.err;
  EXPECT_NE(r.err.find("none of the NN_* root folders"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());  // not 338 confident failures
}

TEST_F(RepositoryRoot, ForceValidatesItAnyway) {
  TempDir empty;
  const auto r = run_sotcheck({"validate", empty.path(), "--force", "--mode", "sequential", "--format", "json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(nlohmann::json::accept(r.out));
}

TEST_F(RepositoryRoot, ASubfolderSuggestsTheRepositoryAboveIt) {
  for (const std::string sub : {"/01_ai_layer", "/01_ai_layer/shards", "/01_ai_layer/shards/01_identitaet_personen"}) {
    const auto r = run_sotcheck({"validate", tree() + sub});
    EXPECT_EQ(r.exit_code, 2) << sub;
    EXPECT_NE(r.err.find("did you mean " + fs::canonical(tree()).string() + "?"), std::string::npos) << r.err;
  }
}

TEST_F(RepositoryRoot, AFileSuggestsItsRepository) {
  const auto r = run_sotcheck({"validate", tree() + "/01_ai_layer/README.md", "--force"});
  EXPECT_EQ(r.exit_code, 2);  // --force cannot make a file a directory
  EXPECT_NE(r.err.find("is not a directory (it is a file)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("did you mean " + fs::canonical(tree()).string() + "?"), std::string::npos) << r.err;
}

TEST_F(RepositoryRoot, LooksLikeRepositoryIsAboutRootFolders) {
  EXPECT_TRUE(cli::looks_like_repository(tree()));
  EXPECT_FALSE(cli::looks_like_repository(tree() + "/01_ai_layer"));
  EXPECT_FALSE(cli::looks_like_repository(tree() + "/01_ai_layer/shards"));  // shards have NN_ names too
  EXPECT_EQ(cli::repository_above(tree() + "/01_ai_layer/shards/01_identitaet_personen/chart.yaml"),
            fs::path(tree()));
}

TEST_F(RepositoryRoot, AnUnreadableRootExitsTwoWithTheReason) {
  SOTCHECK_NEEDS_TOOL(can_drop_privileges(), "setpriv (util-linux) is needed to drop root's privileges");
  const WritableTree copy;
  const ModeGuard guard(copy.path(), fs::perms::none);
  const auto r = run_unprivileged({"validate", copy.path()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("cannot read repository"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("Permission denied"), std::string::npos) << r.err;
  EXPECT_EQ(count(r.err, "\n"), 1u) << r.err;
}

TEST_F(RepositoryRoot, AnUnreadableShardIsAnErrorNamedOnceNotAFailure) {
  SOTCHECK_NEEDS_TOOL(can_drop_privileges(), "setpriv (util-linux) is needed to drop root's privileges");
  const WritableTree copy;
  const std::string shard = "01_ai_layer/shards/01_identitaet_personen";
  const ModeGuard guard(copy.path() + "/" + shard, fs::perms::none);
  const auto r = run_unprivileged({"validate", copy.path(), "--mode", "thread", "--format", "json"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_EQ(count(r.err, shard + ": Permission denied"), 1u) << r.err;
  const auto report = nlohmann::json::parse(r.out);
  std::size_t errors = 0;
  for (const auto& v : report["results"]) {
    EXPECT_NE(v["status"], "FAIL") << v["rule_id"] << ": " << v["message"];
    if (v["status"] != "ERROR") continue;
    ++errors;
    ASSERT_FALSE(v["findings"].empty());
    EXPECT_EQ(v["findings"][0]["kind"], "unreadable");
    EXPECT_EQ(v["findings"][0]["path"], shard);
  }
  EXPECT_GE(errors, 3u);  // at least AR004, AR005, AR010
}

TEST_F(RepositoryRoot, AnUnreadablePythonFileIsNotASecret) {
  SOTCHECK_NEEDS_TOOL(can_drop_privileges(), "setpriv (util-linux) is needed to drop root's privileges");
  const WritableTree copy;
  const std::string file = "02_audit_logging/anchoring/blockchain_anchor.py";
  const ModeGuard guard(copy.path() + "/" + file, fs::perms::none);
  const auto r = run_unprivileged({"validate", copy.path(), "--select", "CP011", "--format", "json"});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  const auto report = nlohmann::json::parse(r.out);
  ASSERT_EQ(report["results"].size(), 1u);
  EXPECT_EQ(report["results"][0]["status"], "ERROR");
  EXPECT_EQ(report["results"][0].dump().find("Errno 13"), std::string::npos) << report["results"][0].dump();
  EXPECT_NE(r.err.find(file + ": Permission denied"), std::string::npos) << r.err;
}

TEST_F(RepositoryRoot, ALinkOutOfTheRepositoryIsUnreadableUnlessTheReferenceProfileIsToldToFollowIt) {
  const WritableTree copy;
  TempDir outside;
  testing::write_file(outside.path() + "/notes.py", "token = 'abcdefghijklmnop1234'\n");
  const std::string name = "05_documentation/outside.py";
  fs::create_symlink(outside.path() + "/notes.py", copy.path() + "/" + name);
  const auto strict = run_sotcheck({"validate", copy.path(), "--select", "CP011", "--format", "json"});
  const auto reference = run_sotcheck({"validate", copy.path(), "--profile", "reference", "--select", "CP011"});
  const auto followed =
      run_sotcheck({"validate", copy.path(), "--profile", "reference", "--select", "CP011", "--follow-outside-links"});
  const auto strict_follow = run_sotcheck({"validate", copy.path(), "--follow-outside-links"});
  fs::remove(copy.path() + "/" + name);
  for (const auto* r : {&strict, &reference}) {
    EXPECT_EQ(r->exit_code, 3) << r->err;
    EXPECT_EQ(count(r->err, name + ": points outside the repository"), 1u) << r->err;
  }
  EXPECT_NE(strict.out.find("points outside the repository"), std::string::npos);
  EXPECT_NE(followed.exit_code, 3) << followed.err;  // followed and read like any file
  EXPECT_EQ(followed.err.find("points outside"), std::string::npos) << followed.err;
  EXPECT_EQ(strict_follow.exit_code, 2);  // strict never follows: the flag is refused, not ignored
  EXPECT_NE(strict_follow.err.find("--profile reference only"), std::string::npos) << strict_follow.err;
}

}  // namespace
}  // namespace sotcheck
