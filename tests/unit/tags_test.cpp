#include "sotcheck/pyyaml/tags.hpp"

#include <gtest/gtest.h>

#include <string>

#include "support/yaml_documents.hpp"

// The tags PyYAML's SafeLoader constructs, and its errors for the others.

namespace sotcheck::pyyaml {
namespace {

using snapshot::YamlKind;
using testing::LoadedYaml;
using testing::load_yaml;
using testing::yaml_repr_of;

TEST(Tags, ClassifiesOnlyTheYamlOrgTags) {
  EXPECT_EQ(classify_tag("tag:yaml.org,2002:int"), Tag::integer);
  EXPECT_EQ(classify_tag("tag:yaml.org,2002:binary"), Tag::binary);
  EXPECT_EQ(classify_tag("tag:yaml.org,2002:python/tuple"), Tag::unknown);
  EXPECT_EQ(classify_tag("!int"), Tag::unknown);
  EXPECT_EQ(tag_of_implicit(Implicit::string), Tag::str);
  EXPECT_EQ(tag_of_implicit(Implicit::yaml), Tag::unknown);
  EXPECT_EQ(no_constructor("!foo"), "could not determine a constructor for the tag '!foo'");
}

// ----- through the flattener -----------------------------------------------------------------------------------------

TEST(Tags, StandardTagsAreHonoured) {
  EXPECT_EQ(yaml_repr_of("!!str 1"), "'1'");
  EXPECT_EQ(yaml_repr_of("!!int \"12\""), "12");
  EXPECT_EQ(yaml_repr_of("!!float 1"), "1.0");
  EXPECT_EQ(yaml_repr_of("!!float \"1e3\""), "1000.0");  // float() accepts what the resolver does not
  EXPECT_EQ(yaml_repr_of("!!bool \"on\""), "True");
  EXPECT_EQ(yaml_repr_of("!!null foo"), "None");
  EXPECT_EQ(yaml_repr_of("!!timestamp 2001-1-1"), "datetime.date(2001, 1, 1)");
  EXPECT_EQ(yaml_repr_of("!!map {a: 1}"), "{'a': 1}");
  EXPECT_EQ(yaml_repr_of("!!seq [1]"), "[1]");
  EXPECT_EQ(yaml_repr_of("!<tag:yaml.org,2002:str> 5"), "'5'");
  EXPECT_EQ(yaml_repr_of("!!binary aGVsbG8="), "b'hello'");
  const LoadedYaml d = load_yaml("v: !!binary aGVs\n  bG8=\n");
  ASSERT_TRUE(d.ok()) << d.error;
  EXPECT_EQ(d.v().kind(d.at("v")), YamlKind::binary);
  EXPECT_EQ(d.v().text(d.at("v")), "hello");
  EXPECT_EQ(d.v().python_type_name(d.at("v")), "<class 'bytes'>");
}

TEST(Tags, UnconstructibleValuesAreErrors) {
  EXPECT_NE(load_yaml("v: !foo bar").error.find("could not determine a constructor for the tag '!foo'"), std::string::npos);
  EXPECT_NE(load_yaml("v: !!python/object x").error.find("could not determine a constructor"), std::string::npos);
  EXPECT_NE(load_yaml("v: !!int abc").error.find("invalid literal for int()"), std::string::npos);
  EXPECT_NE(load_yaml("v: !!float abc").error.find("could not convert string to float"), std::string::npos);
  EXPECT_NE(load_yaml("v: !!bool maybe").error.find("bool"), std::string::npos);
  EXPECT_NE(load_yaml("v: !!binary a").error.find("base64"), std::string::npos);
  EXPECT_NE(load_yaml("v: !!str [1]").error.find("expected a scalar node, but found sequence"), std::string::npos);
  EXPECT_NE(load_yaml("v: !!map [1]").error.find("expected a mapping node, but found sequence"), std::string::npos);
  EXPECT_NE(load_yaml("v: !!set {a}").error.find("sotcheck does not model"), std::string::npos);
  EXPECT_NE(load_yaml("v: =").error.find("tag:yaml.org,2002:value"), std::string::npos);
  EXPECT_NE(load_yaml("- <<").error.find("tag:yaml.org,2002:merge"), std::string::npos);
  EXPECT_EQ(load_yaml("=: 1").repr(), "{'=': 1}");  // as a key, `=` is a str
}

}  // namespace
}  // namespace sotcheck::pyyaml
