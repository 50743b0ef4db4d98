#include "sotcheck/pyyaml/bool_constructor.hpp"

#include <gtest/gtest.h>

#include <string>

#include "support/constructed.hpp"

// SafeConstructor.construct_yaml_bool, which `!!bool` uses: the six words in any case.

namespace sotcheck::pyyaml {
namespace {

std::string constructed(std::string_view text) {
  return testing::constructed_or_error<bool>(text, construct_bool, [](bool v) { return v ? "True" : "False"; });
}

TEST(BoolConstructor, SixWordsInAnyCase) {
  EXPECT_EQ(constructed("YES"), "True");
  EXPECT_EQ(constructed("oN"), "True");  // the resolver would leave this a str; `!!bool oN` is True
  EXPECT_EQ(constructed("tRUE"), "True");
  EXPECT_EQ(constructed("No"), "False");
  EXPECT_EQ(constructed("OFF"), "False");
  EXPECT_EQ(constructed("false"), "False");
}

TEST(BoolConstructor, OtherWordsAreErrors) {
  EXPECT_EQ(constructed("y"), "ERROR could not construct a bool from 'y'");  // PyYAML: KeyError 'y'
  EXPECT_EQ(constructed("1"), "ERROR could not construct a bool from '1'");
  EXPECT_EQ(constructed("yess"), "ERROR could not construct a bool from 'yess'");
  EXPECT_EQ(constructed(""), "ERROR could not construct a bool from ''");
}

}  // namespace
}  // namespace sotcheck::pyyaml
