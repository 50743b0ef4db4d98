#include "sotcheck/pyyaml/key_equality.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <limits>

#include "sotcheck/pyyaml/float_constructor.hpp"
#include "support/yaml_documents.hpp"

// Python's `==` between dict keys, which decides which YAML mapping keys fold into one. Expected values are
// what Python 3.11 with PyYAML 6 prints for yaml.safe_load of the mapping.

namespace sotcheck::pyyaml {
namespace {

using Type = KeyScalar::Type;

KeyScalar integer(std::int64_t v) {
  KeyScalar k;
  k.type = Type::integer;
  k.integer = v;
  return k;
}

KeyScalar big(std::string_view source) {
  KeyScalar k;
  k.type = Type::integer;
  k.big = true;
  k.text = source;
  return k;
}

KeyScalar real(double v) {
  KeyScalar k;
  k.type = Type::floating;
  k.floating = v;
  return k;
}

KeyScalar text(Type type, std::string_view s) {
  KeyScalar k;
  k.type = type;
  k.text = s;
  return k;
}

KeyScalar timestamp(std::string_view s) {
  Timestamp t;
  EXPECT_TRUE(match_timestamp(s, t)) << s;
  KeyScalar k;
  k.type = t.has_time ? Type::datetime : Type::date;
  k.datetime = t.value;
  return k;
}

TEST(KeyEquality, NumbersCompareExactlyAcrossBoolIntAndFloat) {
  KeyScalar yes;
  yes.type = Type::boolean;
  yes.integer = 1;
  EXPECT_TRUE(python_keys_equal(integer(1), real(1.0)));
  EXPECT_TRUE(python_keys_equal(yes, integer(1)));
  EXPECT_TRUE(python_keys_equal(real(-0.0), integer(0)));
  EXPECT_FALSE(python_keys_equal(real(1.5), integer(1)));
  // {9007199254740993: c, 9007199254740992.0: d} keeps both keys: the comparison is exact, not via double.
  EXPECT_FALSE(python_keys_equal(integer(9007199254740993), real(9007199254740992.0)));
  EXPECT_TRUE(python_keys_equal(integer(9007199254740992), real(9007199254740992.0)));
  // {18446744073709551616: a, 18446744073709551616.0: b} is one key; so are two spellings of one big int.
  EXPECT_TRUE(python_keys_equal(big("18446744073709551616"), real(18446744073709551616.0)));
  EXPECT_FALSE(python_keys_equal(big("18446744073709551617"), real(18446744073709551616.0)));
  EXPECT_TRUE(python_keys_equal(big("0x10000000000000000"), big("18_446_744_073_709_551_616")));
  EXPECT_FALSE(python_keys_equal(big("18446744073709551616"), integer(0)));
  EXPECT_FALSE(python_keys_equal(real(std::numeric_limits<double>::infinity()), big("1" + std::string(400, '0'))));
}

TEST(KeyEquality, OnlyTheSharedNanIsOneKey) {
  const double shared = std::bit_cast<double>(k_shared_nan_bits);
  const double fresh = std::bit_cast<double>(k_fresh_nan_bits);
  EXPECT_TRUE(python_keys_equal(real(shared), real(shared)));  // {.nan: a, .NaN: b} → {nan: 'b'}
  EXPECT_FALSE(python_keys_equal(real(fresh), real(fresh)));   // {!!float nan: a, !!float nan: b} keeps both
  EXPECT_FALSE(python_keys_equal(real(shared), real(fresh)));
}

TEST(KeyEquality, OtherTypesCompareOnlyWithinTheirType) {
  // {'': a, ~: b, !!binary '': c} keeps three keys.
  EXPECT_FALSE(python_keys_equal(text(Type::string, ""), text(Type::bytes, "")));
  EXPECT_FALSE(python_keys_equal(text(Type::string, ""), KeyScalar{}));
  EXPECT_TRUE(python_keys_equal(KeyScalar{}, KeyScalar{}));
  EXPECT_TRUE(python_keys_equal(text(Type::bytes, "hi"), text(Type::bytes, "hi")));
  EXPECT_FALSE(python_keys_equal(text(Type::string, "1"), integer(1)));
}

TEST(KeyEquality, DatesAndDatetimes) {
  // {2001-12-14: a, 2001-12-14 00:00:00: b} keeps both; so does a naive and an aware datetime.
  EXPECT_FALSE(python_keys_equal(timestamp("2001-12-14"), timestamp("2001-12-14 00:00:00")));
  EXPECT_FALSE(python_keys_equal(timestamp("2001-12-14T00:00:00Z"), timestamp("2001-12-14 00:00:00")));
  // {2001-12-14T05:00:00+05:00: a, 2001-12-14T00:00:00Z: b} is one key: the same instant.
  EXPECT_TRUE(python_keys_equal(timestamp("2001-12-14T05:00:00+05:00"), timestamp("2001-12-14T00:00:00Z")));
  EXPECT_TRUE(python_keys_equal(timestamp("2001-12-14 1:00:00"), timestamp("2001-12-14 01:00:00")));
  EXPECT_FALSE(python_keys_equal(timestamp("2001-12-14 01:00:00.1"), timestamp("2001-12-14 01:00:00")));
  EXPECT_TRUE(python_keys_equal(timestamp("2001-12-14"), timestamp("2001-12-14")));
}

TEST(KeyEquality, TheFlattenerFoldsKeysThatPythonFinds) {
  EXPECT_EQ(testing::load_yaml("{1: a, !!float 1: b, 9007199254740993: c, 9007199254740992.0: d}").repr(),
            "{1: 'b', 9007199254740993: 'c', 9007199254740992.0: 'd'}");
  EXPECT_EQ(testing::load_yaml("{!!float nan: a, !!float nan: b}").repr(), "{nan: 'a', nan: 'b'}");
  EXPECT_EQ(testing::load_yaml("{2001-12-14: a, 2001-12-14 00:00:00: b}").repr(),
            "{datetime.date(2001, 12, 14): 'a', datetime.datetime(2001, 12, 14, 0, 0): 'b'}");
  EXPECT_EQ(testing::load_yaml("{1.5: a, 3:2: b, 1:30: c, 90: d}").repr(), "{1.5: 'a', 182: 'b', 90: 'd'}");
  EXPECT_EQ(testing::load_yaml("{0x10: a, 16: b, 020: c}").repr(), "{16: 'c'}");
}

}  // namespace
}  // namespace sotcheck::pyyaml
