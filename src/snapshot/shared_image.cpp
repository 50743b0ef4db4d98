#include "sotcheck/snapshot/shared_image.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <string>
#include <utility>

#include "sotcheck/util/stats.hpp"
#include "sotcheck/util/errno_text.hpp"

namespace sotcheck::snapshot {
namespace {

static_assert(k_image_seals == (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE));

using util::errno_text;

/// An anonymous memfd that can be sealed; closed on exec unless passed on purpose.
int create_memfd(std::string* error) {
  const int fd = ::memfd_create("sotcheck-image", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0) *error = errno_text("memfd_create", errno);
  return fd;
}

/// The fallback: a POSIX shm object under a random name, unlinked before this
/// function returns, so only the descriptor keeps it alive and nothing can be
/// left in /dev/shm whatever happens to the process afterwards.
int create_unlinked_shm(std::string* error) {
  for (int attempt = 0; attempt < 16; ++attempt) {
    std::uint64_t random = 0;
    if (::getrandom(&random, sizeof random, 0) != static_cast<ssize_t>(sizeof random))
      random = static_cast<std::uint64_t>(::getpid()) * 0x9e3779b97f4a7c15ull + static_cast<std::uint64_t>(attempt);
    char name[64];
    std::snprintf(name, sizeof name, "/sotcheck-%d-%016" PRIx64, static_cast<int>(::getpid()), random);
    const int fd = ::shm_open(name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd >= 0) {
      ::shm_unlink(name);
      return fd;
    }
    if (errno != EEXIST) {
      *error = errno_text("shm_open", errno);
      return -1;
    }
  }
  *error = "shm_open: no unused name after 16 attempts";
  return -1;
}

/// Replaces `*fd` with a read-only descriptor of the same object (through
/// /proc/self/fd), so no mapping made from it, here or in a worker, can ever be
/// made writable; this is all the protection an (unsealable) shm object gets.
/// Keeps the original descriptor if /proc is unavailable.
void reopen_read_only(int* fd) {
  const std::string path = "/proc/self/fd/" + std::to_string(*fd);
  const int read_only = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (read_only < 0) return;
  ::close(*fd);
  *fd = read_only;
}

}  // namespace

util::Result<SharedImage> SharedImage::build(const WalkTree& tree, TreeSource& source, const BuildOptions& options,
                                             BuildStats* stats, const SharedImageOptions& shared) {
  SharedImage image;
  std::string error;
  if (!shared.force_shm) image.m_fd = create_memfd(&error);
  if (image.m_fd < 0) {
    std::string shm_error;
    image.m_fd = create_unlinked_shm(&shm_error);
    if (image.m_fd < 0) return util::make_error(error.empty() ? shm_error : error + "; " + shm_error);
    image.m_backing = SharedBacking::shm;
  }

  // build_image asks for the size once; the writable mapping lives only until
  // the bytes are written.
  void* writable = MAP_FAILED;
  std::size_t size = 0;
  auto built = build_image(tree, source, options, [&](std::size_t wanted) -> std::byte* {
    if (::ftruncate(image.m_fd, static_cast<off_t>(wanted)) != 0) {
      error = errno_text("ftruncate", errno);  // EFBIG under RLIMIT_FSIZE (with SIGXFSZ ignored)
      return nullptr;
    }
    // Reserve every page now: a /dev/shm (or memory cgroup) smaller than the
    // image would otherwise turn a write into the mapping into SIGBUS. Refused
    // here, it is an error the caller answers with the heap image.
    const int reserved = shared.inject_reserve_error != 0
                             ? shared.inject_reserve_error
                             : ::posix_fallocate(image.m_fd, 0, static_cast<off_t>(wanted));
    if (reserved != 0) {
      error = errno_text("reserving " + std::to_string(wanted) + " bytes of shared memory", reserved);
      return nullptr;
    }
    // MAP_POPULATE allocates every page in one pass instead of one fault per page while the image is written.
    writable = ::mmap(nullptr, wanted, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, image.m_fd, 0);
    if (writable == MAP_FAILED) {
      error = errno_text("mmap", errno);
      return nullptr;
    }
    size = wanted;
    return static_cast<std::byte*>(writable);  // a fresh object reads as zeros, as build_image requires
  });
  if (!built) {
    if (writable != MAP_FAILED) ::munmap(writable, size);
    return util::make_error(error.empty() ? built.error() : built.error() + " (" + error + ")");
  }

  // F_SEAL_WRITE is refused while any writable shared mapping exists, so the
  // writable view goes first; the read-only view is made after sealing.
  util::Stopwatch watch;
  ::munmap(writable, size);
  if (image.m_backing == SharedBacking::memfd) {
    if (::fcntl(image.m_fd, F_ADD_SEALS, k_image_seals) != 0)
      return util::make_error(errno_text("sealing the image memfd", errno));
    image.m_sealed = true;
  }
  reopen_read_only(&image.m_fd);
  // Populated: the pages exist already, and mapping them in one pass beats a fault per page in attach().
  void* readable = ::mmap(nullptr, size, PROT_READ, MAP_SHARED | MAP_POPULATE, image.m_fd, 0);
  if (readable == MAP_FAILED) return util::make_error(errno_text("mapping the image read-only", errno));
  image.m_data = static_cast<const std::byte*>(readable);
  image.m_size = size;
  image.m_seal_seconds = watch.seconds();
  if (stats) *stats = *built;
  return image;
}

util::Result<SharedImage> SharedImage::attach(int fd) {
  SharedImage image;
  image.m_fd = fd;
  struct stat st {};
  if (::fstat(fd, &st) != 0) return util::make_error(errno_text("fstat of the image descriptor", errno));
  if (st.st_size <= 0) return util::make_error("the image descriptor is empty");
  const int seals = ::fcntl(fd, F_GET_SEALS);
  image.m_sealed = seals >= 0 && (static_cast<unsigned>(seals) & k_image_seals) == k_image_seals;
  image.m_backing = seals >= 0 ? SharedBacking::memfd : SharedBacking::shm;
  const auto size = static_cast<std::size_t>(st.st_size);
  void* readable = ::mmap(nullptr, size, PROT_READ, MAP_SHARED | MAP_POPULATE, fd, 0);
  if (readable == MAP_FAILED) return util::make_error(errno_text("mapping the image", errno));
  image.m_data = static_cast<const std::byte*>(readable);
  image.m_size = size;
  auto view = image.view();
  if (!view) return util::make_error(view.error());
  return image;
}

SharedImage::SharedImage(SharedImage&& other) noexcept { *this = std::move(other); }

SharedImage& SharedImage::operator=(SharedImage&& other) noexcept {
  if (this != &other) {
    reset();
    m_fd = std::exchange(other.m_fd, -1);
    m_data = std::exchange(other.m_data, nullptr);
    m_size = std::exchange(other.m_size, 0);
    m_backing = other.m_backing;
    m_sealed = other.m_sealed;
    m_seal_seconds = other.m_seal_seconds;
  }
  return *this;
}

SharedImage::~SharedImage() { reset(); }

void SharedImage::reset() {
  if (m_data != nullptr) ::munmap(const_cast<std::byte*>(m_data), m_size);
  if (m_fd >= 0) ::close(m_fd);
  m_data = nullptr;
  m_size = 0;
  m_fd = -1;
}

}  // namespace sotcheck::snapshot
