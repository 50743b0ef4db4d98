#pragma once
// A YAML document flattened and viewed as the image holds it, for the tests of the flattener and of the
// pyyaml concepts it applies (resolver, tags, timestamps, big integers).

#include <gtest/gtest.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sotcheck/snapshot/yaml_flat.hpp"

namespace sotcheck::testing {

/// A flattened document and its view; the blob outlives the view.
struct LoadedYaml {
  std::vector<std::byte> blob;
  std::optional<snapshot::YamlView> view;
  std::string error;

  bool ok() const { return view.has_value(); }
  const snapshot::YamlView& v() const { return *view; }
  snapshot::YamlNode root() const { return view->root(); }
  /// The value under str key `key` of the root mapping (fails the test when absent).
  snapshot::YamlNode at(std::string_view key) const {
    const auto node = view->find(view->root(), key);
    EXPECT_TRUE(node.has_value()) << "no key " << key;
    return node.value_or(view->root());
  }
  std::string repr() const { return ok() ? view->python_repr(view->root()) : "ERROR " + error; }
};

inline LoadedYaml load_yaml(std::string_view text, const snapshot::YamlLimits& limits = {}) {
  LoadedYaml out;
  auto blob = snapshot::flatten_yaml(text, limits);
  if (!blob) {
    out.error = blob.error();
    return out;
  }
  out.blob = std::move(blob.value());
  auto view = snapshot::YamlView::attach(out.blob.data(), out.blob.size());
  if (!view) {
    out.error = "attach: " + view.error();
    return out;
  }
  out.view = *view;
  return out;
}

/// repr() of `value` in the one-key document "v: <value>", or "ERROR <message>".
inline std::string yaml_repr_of(std::string_view value) {
  const LoadedYaml d = load_yaml("v: " + std::string(value) + "\n");
  if (!d.ok()) return "ERROR " + d.error;
  return d.v().python_repr(d.at("v"));
}

/// The kind `value` loads as in the one-key document "v: <value>".
inline snapshot::YamlKind yaml_kind_of(std::string_view value) {
  const LoadedYaml d = load_yaml("v: " + std::string(value) + "\n");
  EXPECT_TRUE(d.ok()) << value << ": " << d.error;
  return d.ok() ? d.v().kind(d.at("v")) : snapshot::YamlKind::null;
}

}  // namespace sotcheck::testing
