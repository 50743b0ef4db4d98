// A check's `constants:` (check_constants.hpp): fixed outputs that a rule's
// evidence can name.

#include "sotcheck/checks/check_constants.hpp"

#include <functional>

namespace sotcheck::checks {

using json = nlohmann::ordered_json;

json parse_constants(Params& params) {
  json out = json::object();
  const ParamNode node = params.node("constants");
  if (!node.is_defined()) return out;
  if (!node.is_map()) {
    params.error("'constants' must be a map of output names to values", node);
    return out;
  }
  std::function<json(const ParamNode&)> convert = [&](const ParamNode& n) -> json {
    if (n.is_sequence()) {
      json list = json::array();
      for (const auto& item : n) list.push_back(convert(item));
      return list;
    }
    if (!n.is_scalar()) {
      params.error("constants hold scalars or lists of scalars", n);
      return nullptr;
    }
    if (n.tag() != "!") {
      if (const auto i = n.to_integer()) return *i;
      if (const auto b = n.to_bool()) return *b;
    }
    return n.scalar();
  };
  for (const auto& kv : node) out[kv.first.scalar()] = convert(kv.second);
  return out;
}

void add_constants(const json& constants, json& values) {
  for (const auto& [key, value] : constants.items()) values[key] = value;
}

}  // namespace sotcheck::checks
