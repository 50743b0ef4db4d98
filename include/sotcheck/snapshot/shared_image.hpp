#pragma once
/// The snapshot image in shared memory, for the process pool (docs/ARCHITECTURE.md).
///
/// The image is written straight into a memfd mapping (build_image's allocator
/// callback), the writable mapping is dropped, the memfd is sealed against
/// writing, growing and shrinking (and against further sealing), and the bytes
/// are mapped read-only. Forked workers inherit that mapping; spawned workers
/// receive the descriptor and attach() it. Where memfd_create is unavailable,
/// an shm_open object with a random name is used and unlinked at once, so it
/// can never be left behind in /dev/shm (such an object cannot be sealed; the
/// workers still map it read-only). The object's space is reserved before it
/// is written (posix_fallocate), so a full /dev/shm, a memory cgroup or
/// RLIMIT_FSIZE makes build() fail cleanly, never a write fault (SIGBUS);
/// callers then use a heap image and the thread pool.

#include <cstddef>
#include <cstdint>
#include <string>

#include "sotcheck/snapshot/image_build.hpp"
#include "sotcheck/util/result.hpp"

namespace sotcheck::snapshot {

/// The seals a memfd-backed image carries.
inline constexpr unsigned k_image_seals = 0x0001 | 0x0002 | 0x0004 | 0x0008;  // SEAL|SHRINK|GROW|WRITE

enum class SharedBacking { memfd, shm };

struct SharedImageOptions {
  /// Skip memfd_create and use the shm_open fallback (tests of that path).
  bool force_shm = false;
  /// Tests only: when non-zero, reserving the object's space fails with this
  /// errno (ENOSPC: a /dev/shm smaller than the image) instead of calling
  /// posix_fallocate.
  int inject_reserve_error = 0;
};

/// An image in a shared-memory object, mapped read-only. Move-only; unmaps and
/// closes on destruction.
class SharedImage {
 public:
  /// Builds the image into a fresh shared-memory object and seals it.
  static util::Result<SharedImage> build(const WalkTree& tree, TreeSource& source, const BuildOptions& options,
                                         BuildStats* stats = nullptr, const SharedImageOptions& shared = {});
  /// Maps an image received as a descriptor (a spawned worker) read-only and
  /// validates it (ImageView::attach: magic, version, size, checksum, offsets).
  /// Takes ownership of `fd`.
  static util::Result<SharedImage> attach(int fd);

  SharedImage(SharedImage&& other) noexcept;
  SharedImage& operator=(SharedImage&& other) noexcept;
  SharedImage(const SharedImage&) = delete;
  SharedImage& operator=(const SharedImage&) = delete;
  ~SharedImage();

  /// The descriptor (O_CLOEXEC; the spawner passes it on explicitly).
  int fd() const { return m_fd; }
  const std::byte* data() const { return m_data; }
  std::size_t size() const { return m_size; }
  SharedBacking backing() const { return m_backing; }
  /// True when the object carries k_image_seals (memfd backing).
  bool sealed() const { return m_sealed; }
  /// Seconds spent unmapping the writable view, sealing and remapping read-only.
  double seal_seconds() const { return m_seal_seconds; }
  util::Result<ImageView> view() const { return ImageView::attach(m_data, m_size); }

 private:
  SharedImage() = default;
  void reset();

  int m_fd = -1;
  const std::byte* m_data = nullptr;
  std::size_t m_size = 0;
  SharedBacking m_backing = SharedBacking::memfd;
  bool m_sealed = false;
  double m_seal_seconds = 0.0;
};

}  // namespace sotcheck::snapshot
