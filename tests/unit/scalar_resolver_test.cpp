#include "sotcheck/pyyaml/scalar_resolver.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "support/yaml_documents.hpp"

// PyYAML's implicit resolver (YAML 1.1): which plain scalars are bools, ints, floats, nulls, timestamps.

namespace sotcheck::pyyaml {
namespace {

using snapshot::YamlKind;
using testing::LoadedYaml;
using testing::load_yaml;
using testing::yaml_kind_of;
using testing::yaml_repr_of;

TEST(ScalarResolver, ResolvesAsPyYamlsRegexesDo) {
  EXPECT_EQ(resolve_implicit(""), Implicit::null);
  EXPECT_EQ(resolve_implicit("~"), Implicit::null);
  EXPECT_EQ(resolve_implicit("~~"), Implicit::string);
  EXPECT_EQ(resolve_implicit("No"), Implicit::boolean);
  EXPECT_EQ(resolve_implicit("nO"), Implicit::string);
  EXPECT_EQ(resolve_implicit("0x_1f"), Implicit::integer);
  EXPECT_EQ(resolve_implicit("0x"), Implicit::string);
  EXPECT_EQ(resolve_implicit("0b"), Implicit::string);
  EXPECT_EQ(resolve_implicit("-.5"), Implicit::string);  // a leading-dot float takes no sign
  EXPECT_EQ(resolve_implicit("+1_0.e-1"), Implicit::floating);
  EXPECT_EQ(resolve_implicit("1:2:3.5"), Implicit::floating);
  EXPECT_EQ(resolve_implicit("1:2:3"), Implicit::integer);
  EXPECT_EQ(resolve_implicit("2001-12-14"), Implicit::timestamp);
  EXPECT_EQ(resolve_implicit("2001-12-1"), Implicit::string);  // date-only needs two-digit month and day
  EXPECT_EQ(resolve_implicit("2001-1-1 1:00:00"), Implicit::timestamp);
  EXPECT_EQ(resolve_implicit("<<"), Implicit::merge);
  EXPECT_EQ(resolve_implicit("="), Implicit::value);
  EXPECT_EQ(resolve_implicit("*"), Implicit::yaml);
  EXPECT_EQ(resolve_implicit("1\n"), Implicit::integer);  // `$` also matches before a final newline
}

// ----- through the flattener -----------------------------------------------------------------------------------------

TEST(ScalarResolver, FloatsNeedADotAndExponentsNeedASign) {
  EXPECT_EQ(yaml_kind_of("1.0"), YamlKind::floating);
  EXPECT_EQ(yaml_repr_of("1.0"), "1.0");
  EXPECT_EQ(yaml_repr_of("1.10"), "1.1");
  EXPECT_EQ(yaml_repr_of("1."), "1.0");
  EXPECT_EQ(yaml_repr_of(".5"), "0.5");
  EXPECT_EQ(yaml_repr_of("-1.5"), "-1.5");
  EXPECT_EQ(yaml_repr_of("1_000.5"), "1000.5");
  EXPECT_EQ(yaml_repr_of("1.0e+3"), "1000.0");
  EXPECT_EQ(yaml_repr_of("1.0E-3"), "0.001");
  EXPECT_EQ(yaml_repr_of("1e3"), "'1e3'");      // no dot: a string in YAML 1.1
  EXPECT_EQ(yaml_repr_of("1.0e3"), "'1.0e3'");  // exponent without sign: a string
  EXPECT_EQ(yaml_repr_of("12e3"), "'12e3'");
  EXPECT_EQ(yaml_repr_of("3.0.1"), "'3.0.1'");
}

TEST(ScalarResolver, InfinityAndNanSpellings) {
  EXPECT_EQ(yaml_repr_of(".inf"), "inf");
  EXPECT_EQ(yaml_repr_of("-.Inf"), "-inf");
  EXPECT_EQ(yaml_repr_of("+.INF"), "inf");
  EXPECT_EQ(yaml_repr_of(".NaN"), "nan");
  EXPECT_EQ(yaml_repr_of("-.nan"), "'-.nan'");  // the nan pattern takes no sign
  EXPECT_EQ(yaml_repr_of(".iNf"), "'.iNf'");
  const LoadedYaml d = load_yaml("v: .nan");
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(std::isnan(*d.v().as_number(d.at("v"))));
}

TEST(ScalarResolver, SexagesimalNumbers) {
  EXPECT_EQ(yaml_repr_of("190:20:30"), "685230");
  EXPECT_EQ(yaml_repr_of("-1:30"), "-90");
  EXPECT_EQ(yaml_repr_of("190:20:30.15"), "685230.15");
  EXPECT_EQ(yaml_repr_of("1:60"), "'1:60'");  // a group is [0-5]?[0-9]
  EXPECT_EQ(yaml_repr_of("0:30"), "'0:30'");  // int sexagesimal starts with 1-9
  EXPECT_EQ(yaml_repr_of("12:30"), "750");    // a clock time in a chart is an int
}

TEST(ScalarResolver, IntegerBasesAndUnderscores) {
  EXPECT_EQ(yaml_repr_of("017"), "15");       // leading zero: octal
  EXPECT_EQ(yaml_repr_of("0o17"), "'0o17'");  // 0o is YAML 1.2, a string here
  EXPECT_EQ(yaml_repr_of("08"), "'08'");      // not octal, not decimal
  EXPECT_EQ(yaml_repr_of("0x1F"), "31");
  EXPECT_EQ(yaml_repr_of("-0x1F"), "-31");
  EXPECT_EQ(yaml_repr_of("0X1F"), "'0X1F'");
  EXPECT_EQ(yaml_repr_of("0b101"), "5");
  EXPECT_EQ(yaml_repr_of("1_000"), "1000");
  EXPECT_EQ(yaml_repr_of("+5"), "5");
  EXPECT_EQ(yaml_repr_of("-0"), "0");
  EXPECT_EQ(yaml_repr_of("0_"), "0");
  const LoadedYaml d = load_yaml("v: 1_000");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.v().as_int64(d.at("v")), 1000);
  EXPECT_EQ(d.v().text(d.at("v")), "1_000");  // the source text is kept
}

TEST(ScalarResolver, TheEighteenBoolWordsAndNoOthers) {
  for (const char* word : {"yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE"})
    EXPECT_EQ(yaml_repr_of(word), "True") << word;
  for (const char* word : {"no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE"})
    EXPECT_EQ(yaml_repr_of(word), "False") << word;
  for (const char* word : {"yEs", "y", "n", "tRue", "oN"}) EXPECT_EQ(yaml_kind_of(word), YamlKind::string) << word;
}

TEST(ScalarResolver, NullSpellings) {
  for (const char* word : {"~", "null", "Null", "NULL", ""}) EXPECT_EQ(yaml_repr_of(word), "None") << word;
  EXPECT_EQ(yaml_repr_of("nULL"), "'nULL'");
}

TEST(ScalarResolver, QuotedAndBlockScalarsAreAlwaysStrings) {
  EXPECT_EQ(yaml_repr_of("\"yes\""), "'yes'");
  EXPECT_EQ(yaml_repr_of("'1.0'"), "'1.0'");
  EXPECT_EQ(yaml_repr_of("\"~\""), "'~'");
  EXPECT_EQ(yaml_repr_of("'2001-12-14'"), "'2001-12-14'");
  EXPECT_EQ(yaml_repr_of("|-\n  yes"), "'yes'");
  const LoadedYaml d = load_yaml("a: \"yes\"\nb: yes\n");
  ASSERT_TRUE(d.ok());
  EXPECT_FALSE(d.v().is_plain(d.at("a")));
  EXPECT_TRUE(d.v().is_plain(d.at("b")));
}

TEST(ScalarResolver, NonSpecificTagResolvesLikeAPlainScalar) {
  EXPECT_EQ(yaml_repr_of("! 123"), "123");  // PyYAML resolves `!` implicitly, even on a quoted scalar
  EXPECT_EQ(yaml_repr_of("! \"123\""), "123");
  EXPECT_EQ(yaml_repr_of("!"), "None");
}

}  // namespace
}  // namespace sotcheck::pyyaml
