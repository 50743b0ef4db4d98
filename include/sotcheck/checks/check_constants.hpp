#pragma once
/// `constants: {name: value, ...}` of a check's parameters: fixed outputs that
/// a rule's evidence can name (e.g. CE007's `forbidden_extensions` list).

#include <nlohmann/json.hpp>

#include "sotcheck/checks/params.hpp"

namespace sotcheck::checks {

/// Scalars become integers or booleans when YAML reads them so (unquoted), else strings; lists are converted
/// element by element.
nlohmann::ordered_json parse_constants(Params& params);
/// Copies `constants` into a check's outputs.
void add_constants(const nlohmann::ordered_json& constants, nlohmann::ordered_json& values);

}  // namespace sotcheck::checks
