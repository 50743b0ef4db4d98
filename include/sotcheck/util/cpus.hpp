#pragma once
/// How many CPUs this process may run on: the one count both thread pools
/// (the image builder's and the thread executor's) size themselves by.

namespace sotcheck::util {

/// The CPUs in this process's affinity mask (sched_getaffinity), which
/// `taskset` and container CPU sets narrow; the machine's count when the mask
/// cannot be read. At least 1.
unsigned usable_cpus();

}  // namespace sotcheck::util
