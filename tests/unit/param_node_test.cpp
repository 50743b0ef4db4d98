// ParamNode and ParamTree (checks/param_node.hpp): the tree a check's factory
// reads, as the YAML loader fills it (from_yaml, positions kept) and as a
// factory builds one; and Params reading it (present, absent and wrong-typed
// keys, nested lists and maps, the error texts and their lines).

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <vector>

#include "sotcheck/checks/param_node.hpp"
#include "sotcheck/checks/params.hpp"

namespace sotcheck {
namespace {

using checks::ParamNode;
using checks::ParamTree;

ParamTree tree_of(const std::string& yaml) {
  return ParamTree::from_yaml(YAML::Load(yaml));
}

TEST(ParamNode, FromYamlKeepsTypesTagsAndOrder) {
  const ParamTree tree = tree_of("b: 1\na: [x, 'y', ~]\nc: {d: e}\nn:\nq: \"true\"\n");
  const ParamNode root = tree.root();
  ASSERT_TRUE(root.is_map());
  EXPECT_EQ(root.size(), 5u);
  std::vector<std::string> keys;
  for (const auto& kv : root) keys.push_back(kv.first.scalar());
  EXPECT_EQ(keys, (std::vector<std::string>{"b", "a", "c", "n", "q"}));  // document order, not sorted

  EXPECT_TRUE(root["b"].is_scalar());
  EXPECT_EQ(root["b"].scalar(), "1");
  EXPECT_EQ(root["b"].tag(), "");   // plain
  EXPECT_EQ(root["q"].tag(), "!");  // quoted: stays text
  EXPECT_TRUE(root["n"].is_defined());
  EXPECT_TRUE(root["n"].is_null());

  const ParamNode list = root["a"];
  ASSERT_TRUE(list.is_sequence());
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list.item(0).scalar(), "x");
  EXPECT_EQ(list.item(1).tag(), "!");
  EXPECT_TRUE(list.item(2).is_null());
  EXPECT_FALSE(list.item(3).is_defined());
  std::vector<std::string> items;
  for (const ParamNode& item : list) items.push_back(item.scalar());
  EXPECT_EQ(items, (std::vector<std::string>{"x", "y", ""}));

  EXPECT_EQ(root["c"]["d"].scalar(), "e");
  EXPECT_EQ(root["c"].begin()->first.scalar(), "d");
}

TEST(ParamNode, AbsentAndMistypedLookupsAreUndefined) {
  const ParamTree tree = tree_of("a: [1, 2]\ns: text\n");
  const ParamNode root = tree.root();
  EXPECT_FALSE(root["missing"].is_defined());
  EXPECT_FALSE(static_cast<bool>(root["missing"]));
  EXPECT_FALSE(root["a"]["key"].is_defined());  // a sequence has no keys
  EXPECT_FALSE(root["s"]["key"].is_defined());  // nor has a scalar
  EXPECT_FALSE(root.item(0).is_defined());      // a map has no items
  EXPECT_EQ(root["a"].scalar(), "");            // only scalars have text
  EXPECT_EQ(root["s"].size(), 0u);
  EXPECT_EQ(root["missing"]["deeper"].scalar(), "");
  EXPECT_TRUE(ParamNode().begin() == ParamNode().end());
  EXPECT_FALSE(ParamTree().root().is_defined());
}

TEST(ParamNode, LinesComeFromTheYamlAndAreZeroWhenUnknown) {
  const ParamTree tree = tree_of("first: 1\nsecond:\n  - a\n  - b\n");
  EXPECT_EQ(checks::line_of(tree.root()["first"]), 1);
  EXPECT_EQ(checks::line_of(tree.root()["second"].item(1)), 4);
  EXPECT_EQ(checks::line_of(tree.root().begin()->first), 1);
  EXPECT_EQ(checks::line_of(ParamNode()), 0);
  ParamTree built;
  built.add_scalar("x");
  EXPECT_EQ(checks::line_of(built.root()), 0);
}

TEST(ParamNode, ConversionsReadAsYamlCppDid) {
  const ParamTree tree =
      tree_of("[12, -3, 0x1F, 1.5, abc, yes, 'off', 'True', maybe, 2.5e1, [1], ~, 99999999999999999999]");
  const ParamNode v = tree.root();
  EXPECT_EQ(v.item(0).to_integer(), 12);
  EXPECT_EQ(v.item(1).to_integer(), -3);
  EXPECT_EQ(v.item(2).to_integer(), 31);
  EXPECT_EQ(v.item(3).to_integer(), std::nullopt);
  EXPECT_EQ(v.item(4).to_integer(), std::nullopt);
  EXPECT_EQ(v.item(5).to_bool(), true);
  EXPECT_EQ(v.item(6).to_bool(), false);  // quoting does not change a conversion; callers look at tag()
  EXPECT_EQ(v.item(7).to_bool(), true);
  EXPECT_EQ(v.item(8).to_bool(), std::nullopt);
  EXPECT_EQ(v.item(9).to_double(), 25.0);
  EXPECT_EQ(v.item(10).to_integer(), std::nullopt);  // not a scalar
  EXPECT_EQ(v.item(11).to_bool(), std::nullopt);
  EXPECT_EQ(v.item(12).to_integer(), std::nullopt);  // beyond long long
}

/// yaml-cpp's own reading of `text`, nullopt where it refuses it.
template <typename T>
std::optional<T> yaml_cpp_reads(const std::string& text) {
  T value{};
  if (YAML::convert<T>::decode(YAML::Node(text), value)) return value;
  return std::nullopt;
}

// to_integer reads plain decimals itself and leaves the rest to yaml-cpp: the
// two must agree on every kind of text, the short path's edges included.
TEST(ParamNode, IntegersReadExactlyAsYamlCppReadsThem) {
  for (const std::string text : {"0",
                                 "-0",
                                 "7",
                                 "-12",
                                 "010",
                                 "08",
                                 "0x10",
                                 "-0x10",
                                 "+5",
                                 " 5",
                                 "5 ",
                                 "1e3",
                                 "12a",
                                 "-",
                                 "",
                                 "999999999999999999",
                                 "-999999999999999999",
                                 "9223372036854775807",
                                 "9223372036854775808",
                                 "-9223372036854775808",
                                 "1000000000000000000"}) {
    ParamTree tree;
    tree.add_scalar(text);
    EXPECT_EQ(tree.root().to_integer(), yaml_cpp_reads<long long>(text)) << "'" << text << "'";
  }
}

TEST(ParamNode, BuiltTreesAndCopiesKeepShapeAndPositions) {
  const ParamTree source = tree_of("x:\n  k: [a, {b: c}]\n");
  ParamTree built;
  const ParamTree::Index root = built.add_map();
  built.append_entry(root, built.add_scalar("copy"), built.add_copy(source.root()["x"]));
  built.append_entry(root, built.add_scalar("quoted"), built.add_scalar("true", "!"));
  const ParamNode copy = built.root()["copy"];
  ASSERT_TRUE(copy.is_map());
  EXPECT_EQ(copy["k"].item(1)["b"].scalar(), "c");
  EXPECT_EQ(checks::line_of(copy["k"]), 2);
  EXPECT_EQ(built.root()["quoted"].tag(), "!");
  EXPECT_EQ(built.root().size(), 2u);
}

TEST(ParamNode, FingerprintsAreEqualExactlyForEqualTrees) {
  const auto print = [](const std::string& yaml) { return checks::fingerprint(tree_of(yaml).root()); };
  EXPECT_EQ(print("{patterns: ['*.md'], max_depth: 2}"), print("patterns:\n  - '*.md'\nmax_depth: 2\n"));
  EXPECT_NE(print("{a: 1, b: 2}"), print("{b: 2, a: 1}"));  // order is part of the tree
  EXPECT_NE(print("{a: true}"), print("{a: 'true'}"));      // so is quoting
  EXPECT_NE(print("{a: ~}"), print("{a: ''}"));
  EXPECT_NE(print("[ab]"), print("[a, b]"));
  EXPECT_NE(print("{a: [b]}"), print("{a: b}"));
  EXPECT_NE(print("['1:s0:']"), print("['', '']"));  // a text cannot imitate the structure around it
}

/// Reads `yaml` with Params as a factory would; returns the diagnostics.
template <typename Read>
std::string read_params(const std::string& yaml, Read read) {
  util::Diagnostics diagnostics;
  const ParamTree tree = tree_of(yaml);
  checks::Params params(tree.root(), "rule.yaml", diagnostics, 40);
  read(params);
  params.finish();
  return diagnostics.to_string();
}

TEST(Params, ReadsPresentKeysAndFallsBackOnAbsentOnes) {
  const std::string errors = read_params("s: text\ni: 7\nb: off\nl: [a, b]\nn: ~\n", [](checks::Params& p) {
    EXPECT_EQ(p.string("s"), "text");
    EXPECT_EQ(p.integer("i"), 7);
    EXPECT_FALSE(p.boolean_or("b", true));
    EXPECT_EQ(p.string_list("l"), (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(p.string_or("n", "fallback"), "fallback");  // null reads as absent
    EXPECT_EQ(p.integer_or("absent", 3), 3);
    EXPECT_TRUE(p.string_list("absent_list").empty());
    EXPECT_EQ(p.choice("absent_choice", {"x", "y"}, "y"), "y");
  });
  EXPECT_EQ(errors, "");
}

TEST(Params, WrongTypesAreReportedWithTheirLines) {
  const std::string errors =
      read_params("s: [1]\ni: seven\nb: perhaps\nl: [a, {b: c}]\nc: z\nr: '('\n", [](checks::Params& p) {
        EXPECT_EQ(p.string("s"), std::nullopt);
        EXPECT_EQ(p.integer("i"), std::nullopt);
        EXPECT_TRUE(p.boolean_or("b", true));
        EXPECT_EQ(p.string_list("l"), std::vector<std::string>{"a"});
        EXPECT_EQ(p.choice("c", {"x", "y"}, "x"), "x");
        EXPECT_EQ(p.regex("r"), nullptr);
      });
  EXPECT_NE(errors.find("rule.yaml:1: parameter 's' must be a string"), std::string::npos) << errors;
  EXPECT_NE(errors.find("rule.yaml:2: parameter 'i' must be an integer"), std::string::npos) << errors;
  EXPECT_NE(errors.find("rule.yaml:3: parameter 'b' must be true or false"), std::string::npos) << errors;
  EXPECT_NE(errors.find("rule.yaml:4: parameter 'l' must be a list of strings"), std::string::npos) << errors;
  EXPECT_NE(errors.find("rule.yaml:5: parameter 'c' is 'z'; expected one of: x, y"), std::string::npos) << errors;
  EXPECT_NE(errors.find("rule.yaml:6: parameter 'r': invalid regex '('"), std::string::npos) << errors;
}

TEST(Params, MissingRequiredAndUnknownKeysAreReported) {
  const std::string errors = read_params("known: 1\nstray: 2\n", [](checks::Params& p) {
    p.integer("known");
    EXPECT_EQ(p.string("needed"), std::nullopt);
  });
  // A missing key has no line of its own: the map's line.
  EXPECT_NE(errors.find("rule.yaml:1: check is missing required parameter 'needed'"), std::string::npos) << errors;
  EXPECT_NE(errors.find("rule.yaml:2: unknown check parameter 'stray'"), std::string::npos) << errors;
  EXPECT_EQ(errors.find("'known'"), std::string::npos) << errors;
}

TEST(Params, ANodeWithoutPositionsFallsBackToTheGivenLine) {
  util::Diagnostics diagnostics;
  ParamTree built;  // as the compiled catalog decodes a form: no positions
  const ParamTree::Index root = built.add_map();
  built.append_entry(root, built.add_scalar("value"), built.add_scalar("x"));
  checks::Params params(built.root(), "rule.yaml", diagnostics, 40);
  EXPECT_EQ(params.integer("value"), std::nullopt);
  EXPECT_EQ(diagnostics.to_string(), "rule.yaml:40: parameter 'value' must be an integer\n");
}

}  // namespace
}  // namespace sotcheck
