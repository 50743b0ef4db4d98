// Hostile trees (docs/robustness.md, issue 7): whatever a repository holds, validate
// gives all 384 verdicts, exits 0, 1 or 3, finishes, and shows the problem in
// the evidence of the rules that read the entry. HostileTree cases run the real
// binary on a scaffold with one hostile change; HostileTreeSource cases simulate
// through the TreeSource interface what a real filesystem cannot do on demand
// (EACCES as root, entries vanishing mid-walk, files changing under a read).

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "sotcheck/snapshot/image.hpp"
#include "sotcheck/snapshot/walker.hpp"
#include "support/memory_tree.hpp"
#include "support/private_tree.hpp"
#include "support/process.hpp"
#include "support/rule_harness.hpp"

namespace sotcheck {
namespace {

using snapshot::EntryKind;
using testing::MemoryTree;
using testing::run_process;
using testing::TempDir;
namespace fs = std::filesystem;

constexpr std::size_t k_rule_count = 384;
/// Generous: every case finishes in about a second; only a hang gets near it.
const std::string k_time_bound_seconds = "120";
const std::string k_shard = "01_ai_layer/shards/01_identitaet_personen";
const std::string k_second_shard = "01_ai_layer/shards/02_dokumente_nachweise";
const std::string k_third_shard = "01_ai_layer/shards/03_zugang_berechtigungen";
/// How AR004 names a shard whose chart is missing.
const std::string k_shard_display = "01_ai_layer/01_identitaet_personen";

::testing::AssertionResult contains(const std::string& haystack, const std::string& needle) {
  if (haystack.find(needle) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "'" << needle << "' not in: " << haystack.substr(0, 2000);
}

struct Validation {
  int exit_code = -1;
  nlohmann::json report;
  std::string err;

  std::string evidence(const std::string& rule_id) const {
    for (const auto& result : report["results"])
      if (result["rule_id"] == rule_id) return result["evidence"].dump();
    return "<no verdict for " + rule_id + ">";
  }
};

class HostileTree : public ::testing::Test {
 protected:
  std::string repo() const { return m_tree.path(); }
  std::string at(const std::string& relpath) const { return repo() + "/" + relpath; }

  void replace_with_symlink(const std::string& relpath, const std::string& target) const {
    fs::remove(at(relpath));
    fs::create_symlink(target, at(relpath));
  }

  /// `validate --format json` under `timeout`: a hang fails the exit-code check (137) instead of the suite.
  Validation validate(const std::vector<std::string>& extra = {}) const {
    std::vector<std::string> argv = {"/usr/bin/timeout", "--signal=KILL", k_time_bound_seconds, SOTCHECK_BINARY,
                                     "validate",         repo(),          "--format",           "json"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    const auto r = run_process(argv);
    Validation v;
    v.exit_code = r.exit_code;
    v.err = r.err;
    v.report = nlohmann::json::parse(r.out, nullptr, /*allow_exceptions=*/false);
    return v;
  }

  static void expect_every_verdict(const Validation& v) {
    EXPECT_TRUE(v.exit_code == 0 || v.exit_code == 1 || v.exit_code == 3) << "exit " << v.exit_code << ": " << v.err;
    ASSERT_TRUE(v.report.is_object()) << "no JSON report; stderr: " << v.err;
    EXPECT_EQ(v.report["results"].size(), k_rule_count);
  }

  /// Each case makes one hostile change: a private copy of the shared default scaffold.
  testing::PrivateTree m_tree{testing::default_scaffold()};
};

TEST_F(HostileTree, SymlinkLoopInPlaceOfAChartIsReportedMissingNotFollowedForever) {
  replace_with_symlink(k_shard + "/chart.yaml", "loop_back");
  fs::create_symlink("chart.yaml", at(k_shard + "/loop_back"));
  fs::create_symlink("..", at("01_ai_layer/up"));  // a directory loop the walk must not enter
  const auto v = validate();
  expect_every_verdict(v);
  EXPECT_EQ(v.exit_code, 1);
  EXPECT_TRUE(contains(v.evidence("AR004"), k_shard_display));
  EXPECT_TRUE(contains(v.evidence("VG001"), k_shard + "/chart.yaml"));
}

TEST_F(HostileTree, SymlinksOutOfTheTreeAreRecordedButNotWalked) {
  // A whole shard moved outside and linked back: the link is recorded as
  // unreadable ("points outside the repository") and never entered, so nothing
  // of it is in the snapshot, and the rules that count or enter shards are
  // ERROR with that reason (docs/findings.md); a link to "/" does not make the
  // walk cover the machine.
  const std::string outside = m_tree.scratch() + "/outside_shard";
  fs::rename(at(k_shard), outside);
  fs::create_symlink(outside, at(k_shard));
  fs::create_symlink("/", at("01_ai_layer/escape"));
  const auto v = validate();
  expect_every_verdict(v);
  EXPECT_EQ(v.exit_code, 3);
  EXPECT_TRUE(contains(v.evidence("AR004"), "points outside the repository")) << v.evidence("AR004");
  EXPECT_TRUE(contains(v.err, k_shard + ": points outside the repository")) << v.err;
  EXPECT_FALSE(contains(v.report.dump(), "outside_shard"));
}

TEST_F(HostileTree, DanglingSymlinkInPlaceOfAChartIsReportedAsNoSuchFile) {
  replace_with_symlink(k_shard + "/chart.yaml", "nowhere.yaml");
  const auto v = validate();
  expect_every_verdict(v);
  EXPECT_TRUE(contains(v.evidence("AR004"), k_shard_display));
  EXPECT_TRUE(contains(v.evidence("VG001"), "[Errno 2] No such file or directory"));
}

TEST_F(HostileTree, FifoSocketAndDeviceInPlaceOfChartsAreNotRegularFilesAndNeverRead) {
  // Opening a FIFO for reading blocks until a writer comes and /dev/zero never
  // ends: finishing at all proves neither was read. The device is a symlink to
  // /dev/zero, which needs no privilege (mknod would).
  fs::remove(at(k_shard + "/chart.yaml"));
  ASSERT_EQ(::mkfifo(at(k_shard + "/chart.yaml").c_str(), 0644), 0) << std::strerror(errno);
  fs::remove(at(k_second_shard + "/chart.yaml"));
  const int sock = ::socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(sock, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const std::string socket_path = at(k_second_shard + "/chart.yaml");
  ASSERT_LT(socket_path.size(), sizeof address.sun_path);
  std::memcpy(address.sun_path, socket_path.c_str(), socket_path.size() + 1);
  ASSERT_EQ(::bind(sock, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0) << std::strerror(errno);
  ::close(sock);
  replace_with_symlink(k_third_shard + "/chart.yaml", "/dev/zero");

  const auto v = validate();
  expect_every_verdict(v);
  // The link to /dev/zero leaves the tree: never followed, so the chart rules are ERROR (docs/findings.md).
  EXPECT_TRUE(contains(v.evidence("VG001"), k_third_shard + "/chart.yaml")) << v.evidence("VG001");
  EXPECT_TRUE(contains(v.evidence("VG001"), "points outside the repository")) << v.evidence("VG001");
  // Without it, the FIFO and the socket are judged: not regular files, never opened.
  fs::remove(at(k_third_shard + "/chart.yaml"));
  const auto rest = validate({"--select", "VG001"});
  const std::string evidence = rest.evidence("VG001");
  for (const auto& shard : {k_shard, k_second_shard})
    EXPECT_TRUE(contains(evidence, "not a regular file: '" + at(shard + "/chart.yaml") + "'")) << evidence;
}

TEST_F(HostileTree, NamesThatAreNotUtf8AppearInValidJsonEvidence) {
  testing::write_file(at(k_shard + "/\xff\xfe.py"), "store name\n");
  fs::create_directory(
      at("01_ai_layer/shards/\xc3\x28"
         "bad"));
  const auto v = validate();
  expect_every_verdict(v);  // the report parsed: each undecodable byte became U+FFFD, not raw bytes
  const std::string replacement = "\xef\xbf\xbd";
  EXPECT_TRUE(contains(v.evidence("CP001"), k_shard + "/" + replacement + replacement + ".py"));
  EXPECT_TRUE(contains(v.evidence("AR008"), "01_ai_layer/shards/" + replacement + "(bad"));
}

TEST_F(HostileTree, InvalidUtf8AndBinaryChartsAreDecodeAndParseErrors) {
  testing::write_file(at(k_shard + "/chart.yaml"), "version: \xff\xfe\n");
  testing::write_file(at(k_second_shard + "/chart.yaml"), std::string("\x00\x01\x02\x7f binary", 11));
  const auto v = validate();
  expect_every_verdict(v);
  const std::string evidence = v.evidence("VG001");
  EXPECT_TRUE(contains(evidence, "'utf-8' codec can't decode byte 0xff in position 9: invalid start byte"));
  EXPECT_TRUE(contains(evidence, "line 1, column 1: control characters are not allowed (byte #x00)"));
}

TEST_F(HostileTree, FileOverMaxFileSizeIsRecordedNotLoaded) {
  testing::write_file(at(k_shard + "/big.py"), std::string(2 << 20, 'x'));
  const auto v = validate({"--max-file-size", std::to_string(1 << 20)});
  expect_every_verdict(v);
  EXPECT_TRUE(contains(v.evidence("CP011"),
                       "file is larger than the --max-file-size cap (2097152 bytes): '" + k_shard + "/big.py'"));
}

TEST_F(HostileTree, SparseMultiGigabyteChartIsRecordedNotLoaded) {
  constexpr std::uintmax_t k_five_gib = 5ull << 30;
  fs::resize_file(at(k_shard + "/chart.yaml"), k_five_gib);  // a hole: costs no disk
  const auto v = validate();
  expect_every_verdict(v);
  EXPECT_TRUE(contains(v.evidence("VG001"), "file too large to load: 5368709120 bytes (cap 16777216)"));
  EXPECT_LT(v.report["run"]["counters"]["image_bytes"].get<std::uint64_t>(), 1ull << 30);
}

TEST_F(HostileTree, YamlAliasBombAndDeepNestingAreBoundedParseErrors) {
  // Billion laughs: nine levels of nine aliases each, 9^9 nodes once expanded.
  std::string bomb = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int level = 1; level < 10; ++level) {
    const std::string previous = "*a" + std::to_string(level - 1);
    bomb += "a" + std::to_string(level) + ": &a" + std::to_string(level) + " [" + previous;
    for (int i = 1; i < 9; ++i) bomb += ", " + previous;
    bomb += "]\n";
  }
  testing::write_file(at(k_shard + "/chart.yaml"), bomb);
  testing::write_file(at(k_second_shard + "/chart.yaml"), std::string(100000, '[') + std::string(100000, ']'));
  const auto v = validate();
  expect_every_verdict(v);
  const std::string evidence = v.evidence("VG001");
  EXPECT_TRUE(contains(evidence, "the document expands to more than 1000000 nodes through its aliases"));
  EXPECT_TRUE(contains(evidence, "nesting deeper than 512 levels"));
}

/// Creates `depth` nested directories named "ddd" below `top`, one openat at a
/// time (the full path outgrows PATH_MAX), and a file `leak_at_N.py` holding a
/// pattern CP001 reports at each level listed in `leaks`.
void make_directory_chain(const std::string& top, int depth, const std::set<int>& leaks) {
  int fd = ::open(top.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  for (int level = 1; level <= depth; ++level) {
    ASSERT_EQ(::mkdirat(fd, "ddd", 0755), 0) << "level " << level << ": " << std::strerror(errno);
    const int next = ::openat(fd, "ddd", O_PATH | O_DIRECTORY | O_CLOEXEC);
    ::close(fd);
    ASSERT_GE(next, 0);
    fd = next;
    if (!leaks.count(level)) continue;
    const std::string name = "leak_at_" + std::to_string(level) + ".py";
    const int file = ::openat(fd, name.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
    ASSERT_GE(file, 0);
    ASSERT_EQ(::write(file, "store name\n", 11), 11);
    ::close(file);
  }
  ::close(fd);
}

/// TempDir's remove_all cannot delete below PATH_MAX: cut the chain into
/// pieces short enough first, parking them in `parking`.
void cut_directory_chain(const std::string& top, const std::string& parking) {
  constexpr int k_levels_per_piece = 256;
  const int parking_fd = ::open(parking.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  int fd = ::open(top.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  for (int level = 1; fd >= 0; ++level) {
    const int next = ::openat(fd, "ddd", O_PATH | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
    if (next >= 0 && level % k_levels_per_piece == 0)
      ::renameat(fd, "ddd", parking_fd, ("piece_" + std::to_string(level)).c_str());  // `next` stays valid
    ::close(fd);
    fd = next;
  }
  ::close(parking_fd);
}

TEST_F(HostileTree, DirectoryNestingBeyondPathMaxIsWalkedToTheBottom) {
  // 1500 levels of "ddd/": 6000 bytes of path, beyond PATH_MAX (4096).
  const std::string top = at(k_shard + "/implementations");
  make_directory_chain(top, 1500, {300, 1500});
  const auto v = validate();
  cut_directory_chain(top, m_tree.scratch());
  expect_every_verdict(v);
  const std::string evidence = v.evidence("CP001");
  EXPECT_TRUE(contains(evidence, "/leak_at_300.py"));
  EXPECT_TRUE(contains(evidence, "/leak_at_1500.py"));
}

TEST_F(HostileTree, MaxImageSizeRefusesWithAClearErrorAndExitTwo) {
  const auto v = validate({"--max-image-size", "1000"});
  EXPECT_EQ(v.exit_code, 2);
  EXPECT_TRUE(contains(v.err, "more than --max-image-size (1000 B); raise the limit or lower --max-file-size"));
  EXPECT_TRUE(v.report.is_discarded()) << "nothing may be reported when nothing ran";
}

// ---------------------------------------------------------------------------------------------------------------
// Through the TreeSource interface: the in-process pipeline (rule_harness) on the small scaffold.

/// Forwards to a MemoryTree; each subclass changes one behaviour.
class ForwardingSource : public snapshot::TreeSource {
 public:
  explicit ForwardingSource(MemoryTree& inner) : m_inner(inner) {}
  bool list(std::string_view relpath, std::vector<snapshot::SourceEntry>* out, int* error) override {
    return m_inner.list(relpath, out, error);
  }
  long long read(std::string_view relpath, char* dest, std::uint64_t capacity) override {
    return m_inner.read(relpath, dest, capacity);
  }
  void root_identity(std::uint64_t* device, std::uint64_t* inode) override { m_inner.root_identity(device, inode); }

 private:
  MemoryTree& m_inner;
};

/// Lists `vanishing` but loses it before its lstat, as FilesystemSource reports that.
class VanishingSource final : public ForwardingSource {
 public:
  VanishingSource(MemoryTree& inner, std::string vanishing)
      : ForwardingSource(inner), m_vanishing(std::move(vanishing)) {}
  bool list(std::string_view relpath, std::vector<snapshot::SourceEntry>* out, int* error) override {
    const bool listed = ForwardingSource::list(relpath, out, error);
    for (auto& entry : *out) {
      if ((relpath.empty() ? entry.name : std::string(relpath) + "/" + entry.name) != m_vanishing) continue;
      entry.error = ENOENT;
      entry.kind = entry.target_kind = EntryKind::unknown;
      entry.size = 0;
    }
    return listed;
  }

 private:
  std::string m_vanishing;
};

/// Every file has shrunk to half its size between the walk's stat and the read.
class ShrinkingSource final : public ForwardingSource {
 public:
  using ForwardingSource::ForwardingSource;
  long long read(std::string_view relpath, char* dest, std::uint64_t capacity) override {
    const long long got = ForwardingSource::read(relpath, dest, capacity);
    return got > 0 ? got / 2 : got;
  }
};

/// Remembers every path it was asked to read.
class RecordingSource final : public ForwardingSource {
 public:
  using ForwardingSource::ForwardingSource;
  long long read(std::string_view relpath, char* dest, std::uint64_t capacity) override {
    m_read.emplace(relpath);
    return ForwardingSource::read(relpath, dest, capacity);
  }
  const std::set<std::string>& read_paths() const { return m_read; }

 private:
  std::set<std::string> m_read;
};

// Unreadable input is an ERROR of the rules that need it, with the OS reason (docs/findings.md).
bool unreadable_error(const exec::Verdict& v, const std::string& path, const std::string& reason) {
  if (v.status != exec::Status::error || v.findings.empty()) return false;
  for (const auto& f : v.findings)
    if (f.kind != checks::FindingKind::unreadable) return false;
  return v.findings.front().path == path && v.findings.front().actual == reason;
}

TEST(HostileTreeSource, UnreadableChartIsAnErrorOfTheRulesThatReadIt) {
  MemoryTree tree = testing::scaffold_tree();
  tree.fail(k_shard + "/chart.yaml", EACCES);
  const auto run = testing::run_catalog(tree, checks::Profile::strict);
  ASSERT_EQ(run.verdicts.size(), k_rule_count);
  EXPECT_TRUE(unreadable_error(run.at("VG001"), k_shard + "/chart.yaml", "Permission denied"));
}

TEST(HostileTreeSource, UnreadableShardDirectoryIsAnErrorNotAMissingChart) {
  MemoryTree tree = testing::scaffold_tree();
  tree.fail(k_shard, EACCES);
  const auto run = testing::run_catalog(tree, checks::Profile::strict);
  ASSERT_EQ(run.verdicts.size(), k_rule_count);
  EXPECT_TRUE(unreadable_error(run.at("AR004"), k_shard, "Permission denied"));
}

TEST(HostileTreeSource, FileRemovedBetweenWalkAndReadIsAnError) {
  MemoryTree tree = testing::scaffold_tree();
  tree.fail(k_shard + "/chart.yaml", ENOENT);  // listed by the walk, gone when read
  const auto run = testing::run_catalog(tree, checks::Profile::strict);
  ASSERT_EQ(run.verdicts.size(), k_rule_count);
  EXPECT_TRUE(unreadable_error(run.at("VG001"), k_shard + "/chart.yaml", "No such file or directory"));
}

TEST(HostileTreeSource, FileThatVanishesDuringTheWalkCountsAsMissing) {
  MemoryTree tree = testing::scaffold_tree();
  VanishingSource source(tree, k_shard + "/chart.yaml");
  const auto run = testing::run_catalog(source, checks::Profile::strict);
  ASSERT_EQ(run.verdicts.size(), k_rule_count);
  EXPECT_TRUE(contains(run.at("AR004").evidence.dump(), k_shard_display));
  EXPECT_TRUE(contains(run.at("VG001").evidence.dump(), "[Errno 2] No such file or directory"));
}

TEST(HostileTreeSource, DirectoryThatVanishesDuringTheWalkIsAMissingShard) {
  MemoryTree tree = testing::scaffold_tree();
  VanishingSource source(tree, k_shard);
  const auto run = testing::run_catalog(source, checks::Profile::strict);
  ASSERT_EQ(run.verdicts.size(), k_rule_count);
  EXPECT_EQ(run.at("AR002").status, exec::Status::fail);
  EXPECT_TRUE(contains(run.at("AR002").evidence.dump(), "01_ai_layer"));
}

TEST(HostileTreeSource, FilesThatShrinkDuringTheReadAreFlaggedAndStillJudged) {
  MemoryTree tree = testing::scaffold_tree();
  ShrinkingSource source(tree);
  const auto run = testing::run_catalog(source, checks::Profile::strict);
  ASSERT_EQ(run.verdicts.size(), k_rule_count);

  MemoryTree small;
  small.add_file("a.txt", "0123456789");
  ShrinkingSource shrinking(small);
  snapshot::BuildOptions options;
  options.root_path = "/repo";
  options.wants_content = [](std::string_view, std::string_view) { return true; };
  auto image = snapshot::HeapImage::build(snapshot::walk(shrinking, {}), shrinking, options);
  ASSERT_TRUE(image) << image.error();
  auto view = image->view();
  ASSERT_TRUE(view) << view.error();
  const auto entry = view->lookup(0, "a.txt");
  ASSERT_TRUE(entry);
  EXPECT_TRUE(view->entry(*entry).flags & snapshot::k_flag_changed);
  EXPECT_EQ(view->content(*entry), "01234");
}

TEST(HostileTreeSource, SpecialFilesAreNeverOpenedEvenWhenEveryFileIsWanted) {
  MemoryTree tree;
  tree.add_file("regular.yaml", "a: 1\n")
      .add_special("fifo.yaml", EntryKind::fifo)
      .add_special("socket.py", EntryKind::socket)
      .add_special("tty.yaml", EntryKind::char_device)
      .add_special("disk.yaml", EntryKind::block_device)
      .add_symlink("link_to_fifo.yaml", "fifo.yaml", EntryKind::fifo)
      .add_symlink("link_to_device.yaml", "/dev/zero", EntryKind::char_device);
  RecordingSource source(tree);
  snapshot::BuildOptions options;
  options.root_path = "/repo";
  options.wants_content = [](std::string_view, std::string_view) { return true; };
  options.wants_yaml = [](std::string_view, std::string_view) { return true; };
  auto image = snapshot::HeapImage::build(snapshot::walk(source, {}), source, options);
  ASSERT_TRUE(image) << image.error();
  EXPECT_EQ(source.read_paths(), std::set<std::string>{"regular.yaml"});
}

}  // namespace
}  // namespace sotcheck
