// Fuzzes the YAML flattener: any bytes must give a blob or an error, within the
// limits (alias bombs, deep nesting), never a crash or undefined behaviour; a
// blob it produced must attach, and every reader must walk it safely.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sotcheck/snapshot/yaml_flat.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace sotcheck::snapshot;
  // Small limits keep each input fast, so the fuzzer explores instead of expanding bombs.
  YamlLimits limits;
  limits.max_depth = 64;
  limits.max_expanded_nodes = 10'000;
  limits.max_expanded_bytes = 1 << 20;
  const auto blob = flatten_yaml(std::string_view(reinterpret_cast<const char*>(data), size), limits);
  if (!blob) return 0;
  const auto view = YamlView::attach(blob->data(), blob->size());
  if (!view) __builtin_trap();  // the flattener wrote a blob its own reader refuses
  const YamlNode root = view->root();
  (void)view->to_json(root).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  (void)view->python_repr(root);
  (void)view->python_str(root);
  (void)view->truthy(root);
  (void)view->python_in(root, "key");
  for (YamlNode node = 0; node < view->node_count(); ++node) {
    (void)view->int_decimal(node);
    (void)view->as_number(node);
    (void)view->datetime(node);
    (void)view->find(node, "key");
  }
  return 0;
}
