#include "sotcheck/pyyaml/float_constructor.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <string>

#include "support/constructed.hpp"

// SafeConstructor.construct_yaml_float and float(). Expected values are what Python 3.11 with PyYAML 6
// prints for yaml.safe_load("v: !!float ...")["v"].

namespace sotcheck::pyyaml {
namespace {

std::string constructed(std::string_view text) {
  return testing::constructed_or_error<double>(text, construct_float, testing::float_repr);
}

TEST(FloatConstructor, FormsPyYamlAccepts) {
  EXPECT_EQ(constructed("1_0.5e1_0"), "105000000000.0");
  EXPECT_EQ(constructed("1:30.5"), "90.5");
  EXPECT_EQ(constructed("-1:30"), "-90.0");
  EXPECT_EQ(constructed(" 1.5 "), "1.5");
  EXPECT_EQ(constructed("1e400"), "inf");  // overflow and underflow as float() does them
  EXPECT_EQ(constructed("1e-400"), "0.0");
  EXPECT_EQ(constructed("-.INF"), "-inf");
  EXPECT_EQ(constructed("InFiNiTy"), "inf");
}

TEST(FloatConstructor, NanIdentity) {
  double d = 0;
  std::string error;
  ASSERT_TRUE(construct_float(".NaN", d, error));
  EXPECT_EQ(std::bit_cast<std::uint64_t>(d), k_shared_nan_bits);  // `.nan`: PyYAML's one shared object
  ASSERT_TRUE(construct_float("nan", d, error));
  EXPECT_EQ(std::bit_cast<std::uint64_t>(d), k_fresh_nan_bits);  // float("nan"): a new object
}

TEST(FloatConstructor, RefusesWhatFloatRefuses) {
  EXPECT_EQ(constructed("x"), "ERROR could not convert string to float: 'x'");
  EXPECT_EQ(constructed("0x10"), "ERROR could not convert string to float: '0x10'");  // from_chars would differ
  EXPECT_EQ(constructed("1:x"), "ERROR could not convert string to float: 'x'");
  double d = 0;
  EXPECT_FALSE(python_float("1e", d));
  EXPECT_FALSE(python_float(".", d));
  EXPECT_TRUE(python_float("5.", d));
  EXPECT_EQ(d, 5.0);
}

}  // namespace
}  // namespace sotcheck::pyyaml
