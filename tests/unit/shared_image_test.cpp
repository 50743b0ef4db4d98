// The shared image: written once into a memfd, sealed so nobody (not even its
// creator) can change it, mapped read-only, validated on attach, and never
// visible in /dev/shm.

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <functional>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>
#include <string>

#include "sotcheck/snapshot/shared_image.hpp"
#include "sotcheck/snapshot/walker.hpp"
#include "support/memory_tree.hpp"

namespace sotcheck {
namespace {

using snapshot::SharedImage;
using testing::MemoryTree;

MemoryTree sample_tree() {
  MemoryTree tree;
  tree.add_file("01_ai_layer/README.md", "# AI layer\n")
      .add_file("01_ai_layer/shards/01_identitaet_personen/chart.yaml", "name: x\nversion: 1\n")
      .add_file("02_audit_logging/README.md", "audit\n")
      .add_dir("empty");
  return tree;
}

snapshot::BuildOptions options_loading_everything() {
  snapshot::BuildOptions options;
  options.root_path = "/repo";
  options.wants_content = [](std::string_view, std::string_view) { return true; };
  return options;
}

SharedImage build_shared(MemoryTree& tree, const snapshot::SharedImageOptions& shared = {}) {
  const auto walked = snapshot::walk(tree, {});
  auto image = SharedImage::build(walked, tree, options_loading_everything(), nullptr, shared);
  EXPECT_TRUE(image.ok()) << image.error();
  return std::move(*image);
}

std::set<std::string> dev_shm_entries() {
  std::set<std::string> names;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/dev/shm", ec)) names.insert(entry.path().string());
  return names;
}

TEST(SharedImage, CarriesEverySealAndRefusesWritesGrowthAndShrinking) {
  MemoryTree tree = sample_tree();
  const SharedImage image = build_shared(tree);
  ASSERT_EQ(image.backing(), snapshot::SharedBacking::memfd);
  EXPECT_TRUE(image.sealed());
  const int seals = ::fcntl(image.fd(), F_GET_SEALS);
  EXPECT_EQ(seals, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE);

  // The descriptor handed out is read-only; the seals hold even against a
  // writable descriptor of the same memfd, which is what makes them seals.
  EXPECT_EQ(::fcntl(image.fd(), F_GETFL) & O_ACCMODE, O_RDONLY);
  const int writable = ::open(("/proc/self/fd/" + std::to_string(image.fd())).c_str(), O_RDWR | O_CLOEXEC);
  ASSERT_GE(writable, 0) << std::strerror(errno);
  const char byte = 'X';
  errno = 0;
  EXPECT_EQ(::pwrite(writable, &byte, 1, 0), -1);
  EXPECT_EQ(errno, EPERM);
  EXPECT_NE(::ftruncate(writable, static_cast<off_t>(image.size() * 2)), 0);
  EXPECT_NE(::ftruncate(writable, 8), 0);
  errno = 0;
  EXPECT_EQ(::mmap(nullptr, image.size(), PROT_READ | PROT_WRITE, MAP_SHARED, writable, 0), MAP_FAILED);
  EXPECT_EQ(errno, EPERM);
  EXPECT_NE(::fcntl(writable, F_ADD_SEALS, F_SEAL_FUTURE_WRITE), 0);  // F_SEAL_SEAL: no further seals
  ::close(writable);
  // The read-only mapping cannot be made writable either.
  EXPECT_NE(::mprotect(const_cast<std::byte*>(image.data()), image.size(), PROT_READ | PROT_WRITE), 0);
  EXPECT_EQ(::fcntl(image.fd(), F_GET_SEALS), seals);
}

TEST(SharedImage, HoldsTheSameBytesAsAHeapImage) {
  MemoryTree tree = sample_tree();
  const SharedImage shared = build_shared(tree);
  const auto walked = snapshot::walk(tree, {});
  auto heap = snapshot::HeapImage::build(walked, tree, options_loading_everything());
  ASSERT_TRUE(heap.ok());
  ASSERT_EQ(shared.size(), heap->size());
  EXPECT_EQ(std::memcmp(shared.data(), heap->data(), shared.size()), 0);
  auto view = shared.view();
  ASSERT_TRUE(view.ok()) << view.error();
  const auto readme = view->lookup(0, "02_audit_logging/README.md");
  ASSERT_TRUE(readme.has_value());
  EXPECT_EQ(view->content(*readme), "audit\n");
}

TEST(SharedImage, AttachingTheDescriptorValidatesAndSeesTheSameImage) {
  MemoryTree tree = sample_tree();
  const SharedImage image = build_shared(tree);
  // What a spawned worker does with the descriptor it inherits.
  auto attached = SharedImage::attach(::fcntl(image.fd(), F_DUPFD_CLOEXEC, 0));
  ASSERT_TRUE(attached.ok()) << attached.error();
  EXPECT_TRUE(attached->sealed());
  ASSERT_EQ(attached->size(), image.size());
  EXPECT_EQ(std::memcmp(attached->data(), image.data(), image.size()), 0);
}

TEST(SharedImage, AttachRefusesGarbageACorruptedCopyAndAnEmptyObject) {
  MemoryTree tree = sample_tree();
  const SharedImage image = build_shared(tree);

  auto make_memfd = [](const std::string& bytes) {
    const int fd = ::memfd_create("test", MFD_CLOEXEC);
    EXPECT_GE(fd, 0);
    if (!bytes.empty()) {
      EXPECT_EQ(::write(fd, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
    }
    return fd;
  };

  std::string garbage(image.size(), 'g');
  auto bad_magic = SharedImage::attach(make_memfd(garbage));
  ASSERT_FALSE(bad_magic.ok());
  EXPECT_NE(bad_magic.error().find("bad magic"), std::string::npos);

  std::string copy(reinterpret_cast<const char*>(image.data()), image.size());
  copy[copy.size() - 1] ^= 0x5a;  // one flipped bit pattern in the last byte
  auto corrupted = SharedImage::attach(make_memfd(copy));
  ASSERT_FALSE(corrupted.ok());
  EXPECT_NE(corrupted.error().find("checksum"), std::string::npos);

  EXPECT_FALSE(SharedImage::attach(make_memfd("")).ok());
  EXPECT_FALSE(SharedImage::attach(make_memfd(copy.substr(0, 100))).ok());
}

TEST(SharedImage, DescriptorIsCloseOnExecAndNothingAppearsInDevShm) {
  const auto before = dev_shm_entries();
  MemoryTree tree = sample_tree();
  const SharedImage image = build_shared(tree);
  EXPECT_NE(::fcntl(image.fd(), F_GETFD) & FD_CLOEXEC, 0);
  EXPECT_EQ(dev_shm_entries(), before);
}

TEST(SharedImage, ShmFallbackIsUnlinkedAtOnceAndStillReadOnly) {
  const auto before = dev_shm_entries();
  MemoryTree tree = sample_tree();
  snapshot::SharedImageOptions shared;
  shared.force_shm = true;
  const SharedImage image = build_shared(tree, shared);
  EXPECT_EQ(image.backing(), snapshot::SharedBacking::shm);
  EXPECT_FALSE(image.sealed());  // shm objects cannot be sealed
  EXPECT_EQ(dev_shm_entries(), before);
  // Mapped through a read-only descriptor, so the mapping can never be upgraded.
  EXPECT_EQ(::fcntl(image.fd(), F_GETFL) & O_ACCMODE, O_RDONLY);
  EXPECT_NE(::mprotect(const_cast<std::byte*>(image.data()), image.size(), PROT_READ | PROT_WRITE), 0);
  auto view = image.view();
  EXPECT_TRUE(view.ok());
}

TEST(SharedImage, MoveTransfersOwnership) {
  MemoryTree tree = sample_tree();
  SharedImage first = build_shared(tree);
  const int fd = first.fd();
  SharedImage second = std::move(first);
  EXPECT_EQ(second.fd(), fd);
  EXPECT_EQ(first.fd(), -1);  // NOLINT(bugprone-use-after-move): the moved-from state is part of the contract
  EXPECT_EQ(first.data(), nullptr);
  EXPECT_TRUE(second.view().ok());
}

// ---- Out of space: refused cleanly, never a SIGBUS -------------------------------

/// A tree whose image needs well over `bytes` (one big file, loaded).
MemoryTree tree_over(std::size_t bytes) {
  MemoryTree tree = sample_tree();
  tree.add_file("03_core/big.bin", std::string(bytes * 2, 'x'));
  return tree;
}

/// Runs `body` in a forked child and returns what it returned, or how the
/// child died: limits and mounts set there cannot leak into the test binary.
std::string in_child(const std::function<std::string()>& body) {
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) return "pipe failed";
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(pipe_fds[0]);
    const std::string result = body();
    (void)!::write(pipe_fds[1], result.data(), result.size());
    ::_exit(0);
  }
  ::close(pipe_fds[1]);
  std::string out;
  char buffer[4096];
  for (ssize_t n; (n = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0;) out.append(buffer, static_cast<std::size_t>(n));
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  return out;
}

/// "built" or the build's error.
std::string try_build(MemoryTree& tree, const snapshot::SharedImageOptions& shared) {
  const auto walked = snapshot::walk(tree, {});
  auto image = SharedImage::build(walked, tree, options_loading_everything(), nullptr, shared);
  return image ? "built" : image.error();
}

TEST(SharedImage, RefusedReservationIsAnErrorAndLeavesNothingInDevShm) {
  const auto before = dev_shm_entries();
  for (bool force_shm : {false, true}) {
    MemoryTree tree = sample_tree();
    snapshot::SharedImageOptions shared;
    shared.force_shm = force_shm;
    shared.inject_reserve_error = ENOSPC;
    const std::string result = try_build(tree, shared);
    EXPECT_NE(result.find(std::strerror(ENOSPC)), std::string::npos) << result;
    EXPECT_NE(result.find("reserving"), std::string::npos) << result;
  }
  EXPECT_EQ(dev_shm_entries(), before);
}

TEST(SharedImage, MemfdOverTheFileSizeLimitIsAnErrorNotASignal) {
  // RLIMIT_FSIZE binds root too; SIGXFSZ ignored, as the CLI does, turns it into EFBIG.
  const std::string result = in_child([] {
    std::signal(SIGXFSZ, SIG_IGN);
    const struct rlimit limit = {64 * 1024, 64 * 1024};
    if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) return std::string("setrlimit failed");
    MemoryTree tree = tree_over(64 * 1024);
    return try_build(tree, {});
  });
  EXPECT_NE(result.find(std::strerror(EFBIG)), std::string::npos) << result;
}

TEST(SharedImage, ShmObjectLargerThanDevShmIsAnErrorNotASigbus) {
  // A private mount namespace with a 64 KiB /dev/shm, as in a small container.
  const std::string result = in_child([] {
    if (::unshare(CLONE_NEWNS) != 0 || ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
        ::mount("tmpfs", "/dev/shm", "tmpfs", 0, "size=64k") != 0)
      return std::string("no mount namespace: ") + std::strerror(errno);
    MemoryTree tree = tree_over(256 * 1024);
    snapshot::SharedImageOptions shared;
    shared.force_shm = true;
    return try_build(tree, shared);
  });
  if (result.rfind("no mount namespace", 0) == 0) GTEST_SKIP() << result;
  EXPECT_NE(result.find(std::strerror(ENOSPC)), std::string::npos) << result;
}

}  // namespace
}  // namespace sotcheck
