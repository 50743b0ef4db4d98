// util::usable_cpus counts the affinity mask, so `taskset` narrows it.

#include <gtest/gtest.h>

#include <sched.h>

#include "sotcheck/util/cpus.hpp"

namespace sotcheck::util {
namespace {

TEST(UsableCpus, IsTheAffinityMaskAndFollowsItWhenNarrowed) {
  cpu_set_t original;
  CPU_ZERO(&original);
  ASSERT_EQ(::sched_getaffinity(0, sizeof original, &original), 0);
  EXPECT_EQ(usable_cpus(), static_cast<unsigned>(CPU_COUNT(&original)));

  // Narrow this thread to one CPU of the mask, then restore it.
  int first = 0;
  while (!CPU_ISSET(first, &original)) ++first;
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(first, &one);
  ASSERT_EQ(::sched_setaffinity(0, sizeof one, &one), 0);
  const unsigned narrowed = usable_cpus();
  ASSERT_EQ(::sched_setaffinity(0, sizeof original, &original), 0);
  EXPECT_EQ(narrowed, 1u);
}

}  // namespace
}  // namespace sotcheck::util
