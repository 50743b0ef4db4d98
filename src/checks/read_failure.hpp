#pragma once
// What a content primitive does with a file it could not read as text, under
// its TextRead's on_failure (text_read.hpp): skip it, abort the rule, or
// report it as evidence and as a finding.

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "sotcheck/checks/finding.hpp"
#include "sotcheck/checks/text_read.hpp"

namespace sotcheck::checks {

/// Applies `read.on_failure` to the read failure `error` of `path`: skip returns false, abort throws
/// FileError, report appends {"file", "error"} to `errors` and returns true.
bool handle_read_failure(const TextRead& read, std::string_view path, const std::string& error,
                         nlohmann::ordered_json& errors);

/// A reported read failure ({"file", "error"} as handle_read_failure records it) as a finding.
Finding unreadable_finding(const nlohmann::ordered_json& error);

}  // namespace sotcheck::checks
