// Writes the seeds that are binary and depend on the current formats: a snapshot
// image of a tiny tree (OUT/image/tiny_tree.img, every section non-empty, the
// content-scan probes included) and a
// worker conversation (OUT/frame/hello_request_verdict.bin). scripts/fuzz.sh
// runs it on every fuzz run, so a format change never leaves a fuzzer with
// stale seeds; its output is also committed in tests/fuzz/corpus/.
//
//   make_fuzz_seeds OUT_DIR

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "sotcheck/exec/channel.hpp"
#include "sotcheck/exec/verdict.hpp"
#include "sotcheck/snapshot/image.hpp"
#include "sotcheck/snapshot/walker.hpp"

namespace {

namespace fs = std::filesystem;

void write_file(const fs::path& path, const std::string& bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
}

/// A tree with a directory, text, YAML (anchors, an error), and both kinds of symlink.
void make_tiny_tree(const fs::path& root) {
  write_file(root / "01_root/shards/01_shard/chart.yaml", "base: &b {owner: x}\nchart: {<<: *b, version: 1.0}\n");
  write_file(root / "01_root/README.md", "# root\n");
  write_file(root / "01_root/broken.yaml", "a: [\n");
  write_file(root / "tool.py", "print('hi')\n");
  fs::create_symlink("01_root/README.md", root / "readme_link");
  fs::create_symlink("nowhere", root / "dangling");
}

/// A stand-in for the plan's content scanner, so the seed carries the probe sections too: probe 0 (byte count)
/// applies to every file, probe 1 ('#' count) to *.md.
class SeedScanner final : public sotcheck::snapshot::ContentScanner {
 public:
  const std::vector<std::uint64_t>& probe_keys() const override { return m_keys; }
  void probes_for(std::string_view, std::string_view name, std::vector<std::uint32_t>* ids) const override {
    ids->push_back(0);
    if (name.ends_with(".md")) ids->push_back(1);
  }
  bool scan(std::string_view bytes, const std::uint32_t* ids, std::size_t count, std::int32_t* values) const override {
    for (std::size_t i = 0; i < count; ++i)
      values[i] = ids[i] == 0 ? static_cast<std::int32_t>(bytes.size())
                              : static_cast<std::int32_t>(std::count(bytes.begin(), bytes.end(), '#'));
    return true;
  }

 private:
  std::vector<std::uint64_t> m_keys = {11, 22};
};

std::string tiny_image() {
  char pattern[] = "/tmp/sotcheck-seed-XXXXXX";
  if (::mkdtemp(pattern) == nullptr) throw std::runtime_error("mkdtemp");
  const fs::path root = pattern;
  make_tiny_tree(root);
  auto source = sotcheck::snapshot::make_filesystem_source(root.string());
  const auto tree = sotcheck::snapshot::walk(*source, {});
  sotcheck::snapshot::BuildOptions options;
  options.root_path = "/repo";
  options.wants_content = [](std::string_view, std::string_view) { return true; };
  options.wants_yaml = [](std::string_view, std::string_view name) { return name.ends_with(".yaml"); };
  options.scanner = std::make_shared<SeedScanner>();
  auto image = sotcheck::snapshot::HeapImage::build(tree, *source, options);
  fs::remove_all(root);
  if (!image) throw std::runtime_error(image.error());
  return std::string(reinterpret_cast<const char*>(image->data()), image->size());
}

std::string worker_conversation() {
  using sotcheck::exec::encode_frame;
  using sotcheck::exec::FrameType;
  sotcheck::exec::Verdict verdict;
  verdict.rule_id = "AR001";
  verdict.status = sotcheck::exec::Status::fail;
  verdict.message = "Root folder count: 23 (required: 24)";
  verdict.evidence = {{"actual_count", 23}, {"missing_roots", {"24_meta_orchestration"}}};
  const auto cbor = nlohmann::ordered_json::to_cbor(sotcheck::exec::to_json(verdict));
  // The first byte is fuzz_frame's chunk size selector.
  return std::string(1, '\x07') + encode_frame(FrameType::hello, "fingerprint") +
         encode_frame(FrameType::request, sotcheck::exec::encode_request(0)) +
         encode_frame(FrameType::verdict, std::string(cbor.begin(), cbor.end()));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]);
    return 2;
  }
  const fs::path out = argv[1];
  write_file(out / "image/tiny_tree.img", tiny_image());
  write_file(out / "frame/hello_request_verdict.bin", worker_conversation());
  return 0;
}
