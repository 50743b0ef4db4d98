#pragma once
/// PyYAML's SafeConstructor.construct_yaml_bool.

#include <string>
#include <string_view>

namespace sotcheck::pyyaml {

/// yes/no, true/false, on/off in any ASCII case (as `!!bool` accepts them); false with the error where
/// PyYAML has no value for the word.
bool construct_bool(std::string_view text, bool& out, std::string& error);

}  // namespace sotcheck::pyyaml
