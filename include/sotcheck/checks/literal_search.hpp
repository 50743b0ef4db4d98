#pragma once
/// Finding a literal in text: byte-exact (memmem) or ASCII case-insensitive
/// (SSE2 where available), optionally only as a whole ASCII word. The
/// TextPredicate `contains` leaf and the content prefilters use these.

#include <cstddef>
#include <string_view>

namespace sotcheck::checks {

/// Position of the first occurrence of `needle` in `hay` at or after `from`, byte for byte; npos if none.
/// An empty needle matches at `from`.
std::size_t find_literal(std::string_view hay, std::string_view needle, std::size_t from = 0);

/// Position of the first occurrence of `needle_lower` (lowercase ASCII) in `hay` at or after `from`, comparing
/// ASCII letters case-insensitively; npos if none. An empty needle matches at `from`.
std::size_t find_ascii_ci(std::string_view hay, std::string_view needle_lower, std::size_t from = 0);

/// True if `text` contains `literal` (see TextPredicate `contains`): `ci` compares ASCII letters
/// case-insensitively (literal lowercase), `word` requires ASCII non-word characters (or the text's ends) on
/// both sides of the occurrence.
bool contains_literal(std::string_view text, std::string_view literal, bool ci, bool word);

}  // namespace sotcheck::checks
