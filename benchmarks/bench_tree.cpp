#include "bench_tree.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sotcheck/scaffold/scaffold.hpp"
#include "sotcheck/snapshot/tree_source.hpp"
#include "sotcheck/util/strings.hpp"

namespace sotcheck::bench {

const std::string& bench_tree() {
  static const std::string root = [] {
    if (const char* env = std::getenv("SOTCHECK_BENCH_TREE")) return std::string(env);
    const std::string path = "/tmp/sotcheck-bench-large";
    if (!std::filesystem::exists(path)) {
      scaffold::ScaffoldOptions options;
      options.directory = path;
      options.size = scaffold::Size::large;
      auto stats = scaffold::write_scaffold(options);
      if (!stats) {
        std::fprintf(stderr, "cannot scaffold %s: %s\n", path.c_str(), stats.error().c_str());
        std::abort();
      }
    }
    return path;
  }();
  return root;
}

const snapshot::WalkTree& bench_walk() {
  static const snapshot::WalkTree tree = [] {
    auto source = snapshot::make_filesystem_source(bench_tree());
    return snapshot::walk(*source, {{".git"}});
  }();
  return tree;
}

std::vector<std::string> read_files_ending_in(const std::vector<std::string>& suffixes) {
  std::vector<std::string> contents;
  const snapshot::WalkTree& walked = bench_walk();
  std::string path;
  for (std::uint32_t i = 0; i < walked.nodes.size(); ++i) {
    if (walked.nodes[i].kind != snapshot::EntryKind::file) continue;
    snapshot::walk_path(walked, i, &path);
    bool wanted = false;
    for (const auto& suffix : suffixes) wanted = wanted || util::ends_with(path, suffix);
    if (!wanted) continue;
    std::ifstream in(bench_tree() + "/" + path, std::ios::binary);
    if (!in) continue;  // unreadable: not a document
    std::ostringstream bytes;
    bytes << in.rdbuf();
    contents.push_back(bytes.str());
  }
  return contents;
}

}  // namespace sotcheck::bench
