// The shared small helpers: FNV-1a (util/hash.hpp) and errno_text.

#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "sotcheck/util/errno_text.hpp"
#include "sotcheck/util/hash.hpp"

namespace sotcheck::util {
namespace {

TEST(Fnv1a, MatchesThePublishedTestVectors) {
  // The FNV reference vectors for the 64-bit FNV-1a variant.
  EXPECT_EQ(fnv1a(""), 0xcbf29ce484222325ull);
  EXPECT_EQ(fnv1a("a"), 0xaf63dc4c8601ec8cull);
  EXPECT_EQ(fnv1a("foobar"), 0x85944171f73967e8ull);
}

TEST(Fnv1a, ContinuingIsTheSameAsHashingTheConcatenation) {
  EXPECT_EQ(fnv1a("bar", fnv1a("foo")), fnv1a("foobar"));
  static_assert(fnv1a("a") == 0xaf63dc4c8601ec8cull, "usable at compile time");
}

TEST(ErrnoText, NamesTheCallAndTheSystemsWording) {
  EXPECT_EQ(errno_text("open x", ENOENT), std::string("open x: ") + std::strerror(ENOENT));
  errno = EACCES;
  EXPECT_EQ(errno_text("mmap"), std::string("mmap: ") + std::strerror(EACCES));
}

}  // namespace
}  // namespace sotcheck::util
