#pragma once
/// Small string helpers shared by every module. No sotcheck concepts here.

#include <string>
#include <string_view>
#include <vector>

namespace sotcheck::util {

bool starts_with(std::string_view s, std::string_view prefix);
bool ends_with(std::string_view s, std::string_view suffix);
std::vector<std::string> split(std::string_view s, char sep);
std::string join(const std::vector<std::string>& parts, std::string_view sep);
std::string to_lower_ascii(std::string_view s);
std::string to_upper_ascii(std::string_view s);
/// True if s is two ASCII digits, '_', then one or more of [a-z_] (ROOT_RE /
/// SHARD_RE of docs/catalog-format.md with ASCII digits and a strict end, as docs/reference-compatibility.md#rc-24 asks).
bool is_nn_name(std::string_view s);
/// Zero-padded two-digit rendering, as Python's f"{n:02d}".
std::string two_digits(int n);
/// Human-readable byte count ("12.3 MiB").
std::string format_bytes(unsigned long long bytes);

}  // namespace sotcheck::util
