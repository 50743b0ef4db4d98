#include "sotcheck/pyyaml/error_quote.hpp"

#include <gtest/gtest.h>

#include <string>

// How source text is quoted inside error messages: short, one line, no terminal controls.

namespace sotcheck::pyyaml {
namespace {

TEST(ErrorQuote, EscapesNewlinesAndControlCharacters) {
  EXPECT_EQ(quote_for_error("abc"), "'abc'");
  EXPECT_EQ(quote_for_error("a\nb"), "'a\\nb'");
  EXPECT_EQ(quote_for_error(std::string("\x1b[31m\x7f\0", 7)), "'\\x1b[31m\\x7f\\x00'");
  EXPECT_EQ(quote_for_error("caf\xc3\xa9"), "'caf\xc3\xa9'");
}

TEST(ErrorQuote, CutsAfterSixtyBytesAtACharacterBoundary) {
  EXPECT_EQ(quote_for_error(std::string(60, 'x')), "'" + std::string(60, 'x') + "'");
  EXPECT_EQ(quote_for_error(std::string(61, 'x')), "'" + std::string(60, 'x') + "...'");
  // An é straddling byte 60 is left out whole rather than split.
  EXPECT_EQ(quote_for_error(std::string(59, 'x') + "\xc3\xa9" + "y"), "'" + std::string(59, 'x') + "...'");
}

}  // namespace
}  // namespace sotcheck::pyyaml
