#pragma once
// Dotted key paths of the YAML primitives ("fee_routing.system_fees.total"):
// split once when the catalog loads, joined again for messages.

#include <cstddef>
#include <string>
#include <vector>

namespace sotcheck::checks {

/// The segments of `dotted` ("" has none).
std::vector<std::string> split_path(const std::string& dotted);

/// The dotted form of the first `n` segments.
std::string joined(const std::vector<std::string>& segments, std::size_t n);

}  // namespace sotcheck::checks
