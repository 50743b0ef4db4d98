// Report files and stdout: a reader sees the old report or the new one, never
// half of one, and a report that cannot be written fails the run (exit 3)
// with the reason instead of being lost (docs/robustness.md, "Report files").
// The write-failure cases run the binary in a child shell with stdout on
// /dev/full, stdout closed, or a file-size limit.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/stat.h>

#include <filesystem>

#include "sotcheck/util/atomic_file.hpp"
#include "sotcheck/util/regular_file.hpp"
#include "support/process.hpp"

namespace sotcheck {
namespace {

namespace fs = std::filesystem;
using testing::read_file;
using testing::run_process;
using testing::run_sotcheck;
using testing::TempDir;
using testing::write_file;

/// Names in `dir` other than `keep`: leftovers such as temporaries.
std::vector<std::string> other_entries(const std::string& dir, const std::vector<std::string>& keep) {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (std::find(keep.begin(), keep.end(), name) == keep.end()) out.push_back(name);
  }
  return out;
}

TEST(WriteFileAtomically, ReplacesTheFileAndLeavesNoTemporary) {
  TempDir dir;
  const std::string path = dir.path() + "/r.json";
  write_file(path, "old");
  ASSERT_TRUE(util::write_file_atomically(path, "new"));
  EXPECT_EQ(read_file(path), "new");
  EXPECT_TRUE(other_entries(dir.path(), {"r.json"}).empty());
}

TEST(WriteFileAtomically, AFailedRenameKeepsTheOldFileAndRemovesTheTemporary) {
  TempDir dir;
  const std::string path = dir.path() + "/taken";
  fs::create_directory(path);  // rename(file, directory) fails
  write_file(path + "/inside", "x");
  const auto r = util::write_file_atomically(path, "new");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find(path), std::string::npos) << r.error();
  EXPECT_TRUE(other_entries(dir.path(), {"taken"}).empty());
}

TEST(WriteFileAtomically, AMissingDirectoryIsAnErrorWithTheReason) {
  TempDir dir;
  const auto r = util::write_file_atomically(dir.path() + "/nodir/r.sarif", "x");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("No such file or directory"), std::string::npos) << r.error();
}

TEST(WriteFileAtomically, DevicesAreWrittenInPlaceNeverReplaced) {
  // Renaming over /dev/null would replace the device node with a plain file.
  ASSERT_TRUE(util::write_file_atomically("/dev/null", "discarded"));
  struct stat st {};
  ASSERT_EQ(::stat("/dev/null", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
  const auto full = util::write_file_atomically("/dev/full", "x");
  ASSERT_FALSE(full);
  EXPECT_NE(full.error().find("No space left on device"), std::string::npos) << full.error();
  TempDir dir;
  fs::create_symlink("/dev/null", dir.path() + "/link");
  ASSERT_TRUE(util::write_file_atomically(dir.path() + "/link", "discarded"));
  EXPECT_TRUE(fs::is_symlink(dir.path() + "/link"));
}

TEST(ReadRegularFile, ReadsRegularFilesAndRefusesOthersAndOversizedOnes) {
  TempDir dir;
  write_file(dir.path() + "/f", "hello");
  EXPECT_EQ(*util::read_regular_file(dir.path() + "/f", 5), "hello");
  const auto big = util::read_regular_file(dir.path() + "/f", 4);
  ASSERT_FALSE(big);
  EXPECT_NE(big.error().find("byte limit"), std::string::npos) << big.error();
  const auto directory = util::read_regular_file(dir.path(), 100);
  ASSERT_FALSE(directory);
  EXPECT_NE(directory.error().find("a directory"), std::string::npos) << directory.error();
  const auto zero = util::read_regular_file("/dev/zero", 100);
  ASSERT_FALSE(zero);
  EXPECT_NE(zero.error().find("character device"), std::string::npos) << zero.error();
  EXPECT_FALSE(util::read_regular_file(dir.path() + "/missing", 100));
}

/// An empty repository: AR001 fails on it in a few milliseconds.
class ReportFiles : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { s_scratch = new TempDir(); }
  static void TearDownTestSuite() {
    delete s_scratch;
    s_scratch = nullptr;
  }
  void SetUp() override {
    fs::remove_all(out_dir());
    fs::create_directories(out_dir());
    fs::create_directories(repo() + "/01_ai_layer");  // a root folder: validate takes it for a repository
  }
  static std::string repo() { return s_scratch->path() + "/repo"; }
  static std::string out_dir() { return s_scratch->path() + "/out"; }
  /// Runs `sotcheck validate REPO --select AR001 ARGS` under /bin/sh with `shell_prefix` (redirections, ulimit).
  static testing::ProcessResult run_in_shell(const std::string& shell_prefix, const std::string& args) {
    return run_process({"/bin/sh", "-c", shell_prefix + "; exec \"$0\" validate \"$1\" --select AR001 " + args,
                        SOTCHECK_BINARY, repo()});
  }
  static TempDir* s_scratch;
};
TempDir* ReportFiles::s_scratch = nullptr;

TEST_F(ReportFiles, StdoutOnDevFullIsAnErrorWithExitThree) {
  const auto r = run_in_shell("true", ">/dev/full");
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("No space left on device"), std::string::npos) << r.err;
}

TEST_F(ReportFiles, ClosedStdoutIsAnErrorWithExitThree) {
  const auto r = run_in_shell("true", ">&-");
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("stdout: it is closed"), std::string::npos) << r.err;
}

TEST_F(ReportFiles, FileSizeLimitKeepsTheOldReportsAndLeavesNoTemporary) {
  // ulimit -f: the write fails with EFBIG (SIGXFSZ is ignored) instead of killing the run.
  write_file(out_dir() + "/r.json", "old json\n");
  write_file(out_dir() + "/r.xml", "old xml\n");
  const auto r = run_in_shell("ulimit -f 1", "--format json=" + out_dir() + "/r.json --format junit=" + out_dir() +
                                                 "/r.xml");
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("File too large"), std::string::npos) << r.err;
  EXPECT_EQ(read_file(out_dir() + "/r.json"), "old json\n");
  EXPECT_TRUE(other_entries(out_dir(), {"r.json", "r.xml"}).empty());
}

TEST_F(ReportFiles, FailedWriteBaselineLeavesNoTemporary) {
  const auto r = run_in_shell("ulimit -f 1", "--format json=" + out_dir() + "/r.json --write-baseline " + out_dir() +
                                                 "/baseline.json");
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("cannot write the baseline"), std::string::npos) << r.err;
  EXPECT_TRUE(other_entries(out_dir(), {}).empty());
}

TEST_F(ReportFiles, SeveralFormatsAreEachWrittenWhole) {
  const auto r = run_sotcheck({"validate", repo(), "--select", "AR001", "--format", "json=" + out_dir() + "/r.json",
                               "--format", "junit=" + out_dir() + "/r.xml", "--format", "text"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(nlohmann::json::accept(read_file(out_dir() + "/r.json")));
  EXPECT_NE(read_file(out_dir() + "/r.xml").find("</testsuites>"), std::string::npos);
  EXPECT_TRUE(other_entries(out_dir(), {"r.json", "r.xml"}).empty());
}

}  // namespace
}  // namespace sotcheck
