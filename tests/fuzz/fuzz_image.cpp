// Fuzzes ImageView::attach and every accessor: a corrupt image must be a clean
// error, never an out-of-bounds read. The checksum would reject almost every
// mutation, so the fuzzer's bytes are given a valid checksum first: that way
// the structural checks behind it are what gets exercised.

#include <xxhash.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "sotcheck/snapshot/image.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace sotcheck::snapshot;
  std::vector<std::uint64_t> words((size + 7) / 8 + 1, 0);
  auto* bytes = reinterpret_cast<std::byte*>(words.data());
  std::memcpy(bytes, data, size);
  if (size >= sizeof(Header)) {
    Header header;
    std::memcpy(&header, bytes, sizeof header);
    header.checksum = XXH3_64bits(bytes + sizeof(Header), size - sizeof(Header));
    std::memcpy(bytes, &header, sizeof header);
  }
  auto view = ImageView::attach(bytes, size);
  if (!view) return 0;
  std::size_t sink = 0;
  for (std::uint32_t i = 0; i < view->entry_count(); ++i) {
    sink += view->path(i).size() + view->name(i).size() + view->content(i).size() + view->link_target(i).size();
    if (view->child_count(i) > 0) sink += view->find_child(i, "x").value_or(0);
    for (const std::uint64_t key : {11ull, 22ull, 33ull})
      if (const auto id = view->probe_id(key)) sink += static_cast<std::size_t>(view->probe_value(i, *id).value_or(0));
  }
  for (const std::uint32_t* it = view->walk_order_begin(); it != view->walk_order_end(); ++it) sink += *it;
  sink += view->lookup(0, "a/b/c").value_or(0);
  return static_cast<int>(sink & 0);
}
