#include "sotcheck/pyyaml/big_integer.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>

#include "support/yaml_documents.hpp"

// Python ints of any size: BigInteger and int(s, base); the flattener keeps YAML ints beyond int64 exact.
// Expected values are what Python 3.11 with PyYAML 6 prints.

namespace sotcheck::pyyaml {
namespace {

using snapshot::YamlView;
using testing::LoadedYaml;
using testing::load_yaml;

TEST(BigInteger, ArithmeticCarriesAcrossLimbsAndSigns) {
  BigInteger x;
  EXPECT_TRUE(x.is_zero());
  EXPECT_EQ(x.decimal(), "0");
  x.mul_add(10, 999'999'999);
  x.mul_add(1'000'000'000, 1);  // 999999999 * 10^9 + 1
  EXPECT_EQ(x.decimal(), "999999999000000001");
  BigInteger y;
  y.mul_add(10, 2);
  y.negate();
  x.add(y);  // subtracting borrows from the upper limb
  EXPECT_EQ(x.decimal(), "999999998999999999");
  BigInteger minus_x;
  minus_x.mul_add(10, 7);
  minus_x.negate();
  minus_x.add(x);  // -7 + x: the sign follows the larger magnitude
  EXPECT_EQ(minus_x.decimal(), "999999998999999992");
  BigInteger z = x;
  z.negate();
  z.add(x);
  EXPECT_TRUE(z.is_zero());
  EXPECT_FALSE(z.negative());  // no "-0"
  EXPECT_EQ(z.decimal(), "0");
}

TEST(BigInteger, FitsInt64ExactlyAtTheBounds) {
  std::string error;
  BigInteger v;
  ASSERT_TRUE(parse_python_int("9223372036854775807", 10, v, error));
  EXPECT_EQ(v.to_int64(), INT64_MAX);
  ASSERT_TRUE(parse_python_int("9223372036854775808", 10, v, error));
  EXPECT_EQ(v.to_int64(), std::nullopt);
  ASSERT_TRUE(parse_python_int("-9223372036854775808", 10, v, error));
  EXPECT_EQ(v.to_int64(), INT64_MIN);
  ASSERT_TRUE(parse_python_int("-9223372036854775809", 10, v, error));
  EXPECT_EQ(v.to_int64(), std::nullopt);
}

TEST(BigInteger, ParsesAsPythonsIntWithABase) {
  std::string error;
  BigInteger v;
  ASSERT_TRUE(parse_python_int(" -0x1F\n", 16, v, error));  // whitespace, sign and prefix, as int() allows
  EXPECT_EQ(v.decimal(), "-31");
  ASSERT_TRUE(parse_python_int("1111111111111111111111111111111111111111111111111111111111111111", 2, v, error));
  EXPECT_EQ(v.decimal(), "18446744073709551615");
  EXPECT_FALSE(parse_python_int("102", 2, v, error));
  EXPECT_EQ(error, "invalid literal for int() with base 2: '102'");
  EXPECT_FALSE(parse_python_int("", 16, v, error));
  EXPECT_EQ(error, "invalid literal for int() with base 16: ''");
}

// ----- through the flattener and the view ----------------------------------------------------------------------------

TEST(BigInteger, IntegersBeyondInt64AreExactBigints) {
  const LoadedYaml d = load_yaml(
      "big: 123456789012345678901234567890\nmax: 9223372036854775807\n"
      "over: 9223372036854775808\nmin: -9223372036854775808\nhex: 0x1FFFFFFFFFFFFFFFF\n");
  ASSERT_TRUE(d.ok()) << d.error;
  const YamlView& v = d.v();
  EXPECT_TRUE(v.is_bigint(d.at("big")));
  EXPECT_EQ(v.as_int64(d.at("big")), std::nullopt);
  EXPECT_EQ(v.int_decimal(d.at("big")), "123456789012345678901234567890");
  EXPECT_EQ(v.python_type_name(d.at("big")), "<class 'int'>");
  EXPECT_NEAR(*v.as_number(d.at("big")), 1.2345678901234568e29, 1e15);
  EXPECT_EQ(v.as_int64(d.at("max")), INT64_MAX);
  EXPECT_TRUE(v.is_bigint(d.at("over")));
  EXPECT_EQ(v.as_int64(d.at("min")), INT64_MIN);
  EXPECT_EQ(v.int_decimal(d.at("hex")), "36893488147419103231");
  EXPECT_EQ(v.to_json(d.at("big")), "123456789012345678901234567890");
}

}  // namespace
}  // namespace sotcheck::pyyaml
