#pragma once
// The tree the micro-benchmarks run on: $SOTCHECK_BENCH_TREE, or a large
// scaffold written once to /tmp/sotcheck-bench-large and reused afterwards.
// Compare the walk/read figures with `rg -uuu -a -c . TREE` on the same tree.

#include <string>
#include <vector>

#include "sotcheck/snapshot/walker.hpp"

namespace sotcheck::bench {

/// The tree's root path; scaffolds it on first use (aborts if it cannot).
const std::string& bench_tree();

/// One walk of bench_tree(), made once and kept for the process (the
/// benchmarks that are not about the walk must not pay for it).
const snapshot::WalkTree& bench_walk();

/// The bytes of every file of bench_tree() whose name ends in one of `suffixes`.
std::vector<std::string> read_files_ending_in(const std::vector<std::string>& suffixes);

}  // namespace sotcheck::bench
