// A check's `constants:` (check_constants.hpp): fixed outputs that a rule's
// evidence can name.

#include "sotcheck/checks/check_constants.hpp"

#include <functional>

namespace sotcheck::checks {

using json = nlohmann::ordered_json;

json parse_constants(Params& params) {
  json out = json::object();
  const YAML::Node node = params.node("constants");
  if (!node.IsDefined()) return out;
  if (!node.IsMap()) {
    params.error("'constants' must be a map of output names to values", node);
    return out;
  }
  std::function<json(const YAML::Node&)> convert = [&](const YAML::Node& n) -> json {
    if (n.IsSequence()) {
      json list = json::array();
      for (const auto& item : n) list.push_back(convert(item));
      return list;
    }
    if (!n.IsScalar()) {
      params.error("constants hold scalars or lists of scalars", n);
      return nullptr;
    }
    if (n.Tag() != "!") {
      long long i = 0;
      bool b = false;
      if (YAML::convert<long long>::decode(n, i)) return i;
      if (YAML::convert<bool>::decode(n, b)) return b;
    }
    return n.Scalar();
  };
  for (const auto& kv : node) out[kv.first.Scalar()] = convert(kv.second);
  return out;
}

void add_constants(const json& constants, json& values) {
  for (const auto& [key, value] : constants.items()) values[key] = value;
}

}  // namespace sotcheck::checks
