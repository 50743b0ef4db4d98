// The shared image: written once into a memfd, sealed so nobody (not even its
// creator) can change it, mapped read-only, validated on attach, and never
// visible in /dev/shm.

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

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

}  // namespace
}  // namespace sotcheck
