// Fuzzes the catalog loader: arbitrary bytes as a rule file next to a valid
// catalog.yaml and batches.yaml must yield a catalog or diagnostics, never a
// crash, a hang or undefined behaviour.

#include <cstddef>
#include <cstdint>
#include <string>

#include "sotcheck/catalog/loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const char* k_index =
      "files: [x.yaml]\nprofiles:\n  strict: {do_not_descend: ['.git'], vars: {c: shards}}\n"
      "  reference: {do_not_descend: [], vars: {c: ''}}\n";
  static const char* k_batches = "batches:\n  - {id: 0, name: a, depends_on: [], rules: [X001]}\n";
  const std::string text(reinterpret_cast<const char*>(data), size);
  sotcheck::util::Diagnostics diagnostics;
  auto catalog = sotcheck::catalog::load_catalog(
      {{"catalog.yaml", k_index}, {"batches.yaml", k_batches}, {"x.yaml", text}}, "fuzz", diagnostics);
  (void)catalog;
  return 0;
}
