// escape_for_terminal: tree-derived names reach a terminal or CI log without
// bidirectional or control characters that could spoof what is shown, and
// invalid UTF-8 is replaced as in the JSON report. Then the same through the
// real binary's text and github formats.

#include <gtest/gtest.h>

#include <filesystem>

#include "sotcheck/util/terminal_escape.hpp"
#include "support/process.hpp"

namespace sotcheck {
namespace {

namespace fs = std::filesystem;
using util::escape_for_terminal;

TEST(EscapeForTerminal, OrdinaryTextIsUnchanged) {
  EXPECT_EQ(escape_for_terminal("07_x/README.md: a\\b 'q' \"d\""), "07_x/README.md: a\\b 'q' \"d\"");
  EXPECT_EQ(escape_for_terminal("caf\xC3\xA9 \xE2\x9C\x93 \xF0\x9F\x98\x80"), "caf\xC3\xA9 \xE2\x9C\x93 \xF0\x9F\x98\x80");
}

TEST(EscapeForTerminal, BidirectionalControlsAreEscaped) {
  EXPECT_EQ(escape_for_terminal("evil\xE2\x80\xAEtxt.exe"), "evil\\u202Etxt.exe");  // U+202E
  EXPECT_EQ(escape_for_terminal("\xE2\x81\xA6x\xE2\x81\xA9"), "\\u2066x\\u2069");  // isolates
  EXPECT_EQ(escape_for_terminal("\xE2\x80\x8F\xD8\x9C"), "\\u200F\\u061C");
  EXPECT_EQ(escape_for_terminal("a\xE2\x80\xA8" "b"), "a\\u2028b");
}

TEST(EscapeForTerminal, ControlCharactersAreEscapedAsJsonDoes) {
  EXPECT_EQ(escape_for_terminal("a\nb\rc\td"), "a\\nb\\rc\\td");
  EXPECT_EQ(escape_for_terminal("\x1B[31mred"), "\\u001B[31mred");
  EXPECT_EQ(escape_for_terminal(std::string("nul\0x", 5)), "nul\\u0000x");
  EXPECT_EQ(escape_for_terminal("\x7F"), "\\u007F");
  EXPECT_EQ(escape_for_terminal("\xC2\x9B" "2J"), "\\u009B2J");  // C1 CSI
}

TEST(EscapeForTerminal, InvalidUtf8IsReplaced) {
  EXPECT_EQ(escape_for_terminal("a\xFF" "b"), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(escape_for_terminal("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong '/'
  EXPECT_EQ(escape_for_terminal("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  EXPECT_EQ(escape_for_terminal("x\xE2\x80"), "x\xEF\xBF\xBD\xEF\xBF\xBD");  // truncated
}

TEST(TerminalSafeReports, TextAndGithubEscapeSpoofingNamesFromTheTree) {
  testing::TempDir scratch;
  const std::string repo = scratch.path() + "/repo";
  fs::create_directories(repo + "/evil\xE2\x80\xAEtxt.exe");
  testing::write_file(repo + "/bad\xFFname", "x");
  for (const std::string format : {"text", "github"}) {
    const auto r = testing::run_sotcheck({"validate", repo, "--force", "--select", "AR009", "--format", format});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_EQ(r.out.find("\xE2\x80\xAE"), std::string::npos) << format << ": raw U+202E in\n" << r.out;
    EXPECT_EQ(r.out.find('\xFF'), std::string::npos) << format << ": invalid UTF-8 in\n" << r.out;
    EXPECT_NE(r.out.find("u202Etxt.exe"), std::string::npos) << format << ":\n" << r.out;
  }
}

}  // namespace
}  // namespace sotcheck
