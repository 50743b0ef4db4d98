#include "sotcheck/pyyaml/float_constructor.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <string>

#include "sotcheck/pyyaml/python_repr.hpp"

// SafeConstructor.construct_yaml_float and float(). Expected values are what Python 3.11 with PyYAML 6
// prints for yaml.safe_load("v: !!float ...")["v"].

namespace sotcheck::pyyaml {
namespace {

std::string constructed(std::string_view text) {
  double d = 0;
  std::string error;
  if (!construct_float(text, d, error)) return "ERROR " + error;
  std::string out;
  append_float_repr(out, d);
  return out;
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
