#include "sotcheck/pyyaml/int_constructor.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "support/constructed.hpp"

// SafeConstructor.construct_yaml_int. Expected values are what Python 3.11 with PyYAML 6 prints for
// yaml.safe_load("v: !!int ...")["v"].

namespace sotcheck::pyyaml {
namespace {

std::string constructed(std::string_view text) {
  return testing::constructed_or_error<IntValue>(
      text, construct_int, [](const IntValue& v) { return v.big ? v.value.decimal() : std::to_string(v.small); });
}

TEST(IntConstructor, BasesSignsAndUnderscores) {
  EXPECT_EQ(constructed("017"), "15");
  EXPECT_EQ(constructed("-0b1_01"), "-5");
  EXPECT_EQ(constructed("+0x_1f"), "31");
  EXPECT_EQ(constructed("190:20:30"), "685230");
  EXPECT_EQ(constructed("-1:30"), "-90");
  EXPECT_EQ(constructed("1_000"), "1000");
  EXPECT_EQ(constructed("0"), "0");
  EXPECT_EQ(constructed("-0"), "0");
  EXPECT_EQ(constructed("999999999999999999"), "999999999999999999");  // the fast path's widest
  EXPECT_EQ(constructed("-9223372036854775808"), "-9223372036854775808");
}

TEST(IntConstructor, YamlIntsBeyondInt64AreExact) {
  // Python: yaml.safe_load("v: ...")["v"]
  EXPECT_EQ(constructed("0b1111111111111111111111111111111111111111111111111111111111111111"), "18446744073709551615");
  EXPECT_EQ(constructed("-9223372036854775809"), "-9223372036854775809");
  EXPECT_EQ(constructed("-0x8000000000000000"), "-9223372036854775808");
  EXPECT_EQ(constructed("1:0:0:0:0:0:0:0:0:0:0:0"), "36279705600000000000");  // 60^11
  EXPECT_EQ(constructed("99999999999999999999_9"), "999999999999999999999");
  EXPECT_EQ(constructed(std::string(4300, '1')).size(), 4300u);
}

TEST(IntConstructor, RefusesWhatPythonRefuses) {
  EXPECT_EQ(constructed("0x"), "ERROR invalid literal for int() with base 16: ''");
  EXPECT_EQ(constructed("09"), "ERROR invalid literal for int() with base 8: '09'");
  EXPECT_EQ(constructed(std::string(4301, '1')),
            "ERROR Exceeds the limit (4300 digits) for integer string conversion: value has 4301 digits; use "
            "sys.set_int_max_str_digits() to increase the limit");
  // Not a Python limit: it keeps a hostile hex literal from taking the quadratic path for long.
  EXPECT_EQ(constructed("0x" + std::string(4000, 'f')),
            "ERROR integer literal too large (sotcheck accepts up to 4300 decimal digits)");
  EXPECT_EQ(decimal_to_double("-" + std::string(400, '9')), -HUGE_VAL);
  EXPECT_EQ(decimal_to_double("9007199254740993"), 9007199254740992.0);  // round half to even
}

}  // namespace
}  // namespace sotcheck::pyyaml
