#pragma once
/// Making tree-derived text safe to print to a terminal or CI log. A file
/// name is untrusted: U+202E (right-to-left override) can make "txt.exe"
/// read "exe.txt", an ESC sequence can recolour or rewrite the screen, a
/// newline can forge a report line. The JSON report escapes all of these;
/// text and GitHub output use this function to do the same.

#include <string>
#include <string_view>

namespace sotcheck::util {

/// `text` with, as JSON writes them: C0 controls and DEL as \n, \r, \t or
/// \u00XX; C1 controls (U+0080-U+009F), bidirectional controls (U+061C,
/// U+200E, U+200F, U+202A-U+202E, U+2066-U+2069) and the line/paragraph
/// separators U+2028/U+2029 as \uXXXX; invalid UTF-8 replaced by U+FFFD.
/// Everything else (printable ASCII, backslash included, and valid UTF-8)
/// is unchanged, so ordinary text reads the same.
std::string escape_for_terminal(std::string_view text);

}  // namespace sotcheck::util
