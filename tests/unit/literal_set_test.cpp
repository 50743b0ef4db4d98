// LiteralSet: one pass that must find exactly what a separate case-insensitive search per literal finds.

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "sotcheck/checks/literal_set.hpp"
#include "sotcheck/checks/text.hpp"

namespace sotcheck {
namespace {

std::vector<char> expected_presence(const std::vector<std::string>& literals, std::string_view text) {
  std::vector<char> out;
  for (const auto& literal : literals) out.push_back(checks::find_ascii_ci(text, literal) != std::string_view::npos);
  return out;
}

/// Every instruction set this CPU has: each must give the same answers.
std::vector<checks::LiteralSet::Simd> available_simd() {
  using Simd = checks::LiteralSet::Simd;
  std::vector<Simd> out;
  for (const Simd simd : {Simd::none, Simd::ssse3, Simd::avx2})
    if (simd <= checks::LiteralSet::widest_simd()) out.push_back(simd);
  return out;
}

TEST(LiteralSet, FindsEachLiteralCaseInsensitivelyAnywhereInTheText) {
  checks::LiteralSet set;
  const std::vector<std::string> literals = {"password", "pass", "secret", "api_key", "x", "_k", "aws_secret",
                                             "token", "ab", "zz"};
  for (std::size_t i = 0; i < literals.size(); ++i) EXPECT_EQ(set.add(literals[i]), i);
  EXPECT_EQ(set.add("secret"), 2u) << "a repeated literal keeps its id";
  EXPECT_EQ(set.size(), literals.size());
  std::vector<char> present;
  for (const std::string text : {"", "a", "PASSWORD", "my Secret api_KEY", "xAb", "tokenzz", "AWS_SECRET at the end",
                                 "zz at the start", "pas", "passwor", "aws_secre"}) {
    for (const auto simd : available_simd()) {
      set.scan_with(simd, text, &present);
      EXPECT_EQ(present, expected_presence(literals, text)) << "'" << text << "' simd " << static_cast<int>(simd);
    }
  }
}

TEST(LiteralSet, AgreesWithPerLiteralSearchOnRandomText) {
  // A small alphabet makes partial matches, overlaps and literals at both ends of the text common.
  std::mt19937 random(7);
  const std::string alphabet = "abAB_-x\n\xc3\xa9";
  const auto word = [&](std::size_t length) {
    std::string s;
    for (std::size_t i = 0; i < length; ++i) s += alphabet[random() % alphabet.size()];
    return s;
  };
  for (int round = 0; round < 600; ++round) {
    checks::LiteralSet set;
    std::vector<std::string> literals;
    for (int k = 0; k < 6; ++k) {
      std::string literal = word(1 + random() % 4);
      for (char& c : literal) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
      if (static_cast<unsigned char>(literal[0]) >= 0x80) continue;  // literals are ASCII
      bool ascii = true;
      for (char c : literal) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
      if (!ascii) continue;
      if (set.add(literal) == literals.size()) literals.push_back(literal);
    }
    // Up to 100 bytes: texts shorter than one 16- or 32-byte block, several blocks, and tails of every length.
    const std::string text = word(random() % 100);
    std::vector<char> present;
    for (const auto simd : available_simd()) {
      set.scan_with(simd, text, &present);
      ASSERT_EQ(present, expected_presence(literals, text))
          << "round " << round << " simd " << static_cast<int>(simd) << " text '" << text << "'";
    }
  }
}

}  // namespace
}  // namespace sotcheck
