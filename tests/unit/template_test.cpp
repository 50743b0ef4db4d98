// Message templates and evidence expressions render the reference
// validator's strings: Python's str()/repr() of values, conditionals, first(k).

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "sotcheck/checks/template.hpp"

namespace sotcheck {
namespace {

using checks::EvidenceItem;
using checks::MessageTemplate;
using json = nlohmann::ordered_json;

TEST(Template, InsertsOutputsAsPythonStr) {
  auto t = MessageTemplate::parse("n={n} ok={ok} f={f} none={z} list={l}");
  ASSERT_TRUE(t.ok());
  const json values = {{"n", 3}, {"ok", true}, {"f", 0.5}, {"z", nullptr}, {"l", {"a", 1, false}}};
  EXPECT_EQ(t->render(values, false), "n=3 ok=True f=0.5 none=None list=['a', 1, False]");
}

TEST(Template, ConditionalPlaceholdersAndEscapedBraces) {
  auto t = MessageTemplate::parse("Network x: {passed?configured:not found} {{literal}}");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->render(json::object(), true), "Network x: configured {literal}");
  EXPECT_EQ(t->render(json::object(), false), "Network x: not found {literal}");
}

TEST(Template, RejectsMalformedTemplates) {
  EXPECT_FALSE(MessageTemplate::parse("open {brace").ok());
  EXPECT_FALSE(MessageTemplate::parse("close } brace").ok());
  EXPECT_FALSE(MessageTemplate::parse("{not a name}").ok());
  EXPECT_FALSE(MessageTemplate::parse("{x?only}").ok());
}

TEST(Template, PythonFloatsAndStringsReprLikePython) {
  EXPECT_EQ(checks::python_str(json(1.0)), "1.0");
  EXPECT_EQ(checks::python_str(json(0.1)), "0.1");
  EXPECT_EQ(checks::python_repr(json("it's")), "\"it's\"");
  EXPECT_EQ(checks::python_repr(json({{"k", "v"}})), "{'k': 'v'}");
}

/// Every kind of value a message can print, with what Python 3.11 prints for str() and repr() of it.
TEST(Template, StrAndReprOfEveryKindOfValueAreWhatPythonPrints) {
  struct Case {
    json value;
    std::string str, repr;
  };
  const std::vector<Case> cases = {
      {1, "1", "1"},
      {std::numeric_limits<std::int64_t>::min(), "-9223372036854775808", "-9223372036854775808"},
      {std::numeric_limits<std::uint64_t>::max(), "18446744073709551615", "18446744073709551615"},
      {0.5, "0.5", "0.5"},
      {10.0, "10.0", "10.0"},
      {100.0, "100.0", "100.0"},
      {1200000.0, "1200000.0", "1200000.0"},
      {1e15, "1000000000000000.0", "1000000000000000.0"},
      {1e16, "1e+16", "1e+16"},
      {1.5e300, "1.5e+300", "1.5e+300"},
      {1e-05, "1e-05", "1e-05"},
      {0.0001, "0.0001", "0.0001"},
      {0.1 + 0.2, "0.30000000000000004", "0.30000000000000004"},
      {-0.0, "-0.0", "-0.0"},
      {123456789012345678.0, "1.2345678901234568e+17", "1.2345678901234568e+17"},
      {5e-324, "5e-324", "5e-324"},
      {std::numeric_limits<double>::infinity(), "inf", "inf"},
      {-std::numeric_limits<double>::infinity(), "-inf", "-inf"},
      {std::numeric_limits<double>::quiet_NaN(), "nan", "nan"},
      {true, "True", "True"},
      {false, "False", "False"},
      {nullptr, "None", "None"},
      {"it's", "it's", R"("it's")"},
      {R"(a'b"c)", R"(a'b"c)", R"('a\'b"c')"},
      {R"(say "hi")", R"(say "hi")", R"('say "hi"')"},
      {"tab\there\nnew\\ \r", "tab\there\nnew\\ \r", R"('tab\there\nnew\\ \r')"},
      {"\x01\x7f", "\x01\x7f", R"('\x01\x7f')"},
      {"\u00e9 \u4e2d \U0001F600", "\u00e9 \u4e2d \U0001F600", "'\u00e9 \u4e2d \U0001F600'"},
      {"\u00a0", "\u00a0", R"('\xa0')"},
      {"\u00ad", "\u00ad", R"('\xad')"},
      {"\u2028", "\u2028", R"('\u2028')"},
      {"\u200b", "\u200b", R"('\u200b')"},
      {"\ufeff", "\ufeff", R"('\ufeff')"},
      {json::array(), "[]", "[]"},
      {json::object(), "{}", "{}"},
      {json::array({"a", 1, nullptr, json::array({2.5, {{"k", "v"}}})}), "['a', 1, None, [2.5, {'k': 'v'}]]",
       "['a', 1, None, [2.5, {'k': 'v'}]]"},
      {json{{"k", {1, 2}}, {"it's", {{"x", nullptr}}}, {"\u00a0", true}},
       R"({'k': [1, 2], "it's": {'x': None}, '\xa0': True})", R"({'k': [1, 2], "it's": {'x': None}, '\xa0': True})"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(checks::python_str(c.value), c.str) << c.value.dump();
    EXPECT_EQ(checks::python_repr(c.value), c.repr) << c.value.dump();
  }
  // A message prints str() of each output.
  auto t = MessageTemplate::parse("{i} {f} {s} {l}");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->render({{"i", 24}, {"f", 100.0}, {"s", "it's"}, {"l", {"it's", "\u00a0"}}}, false),
            R"(24 100.0 it's ["it's", '\xa0'])");
}

TEST(Evidence, ExpressionsSelectTransformAndGuard) {
  const json values = {{"xs", {1, 2, 3}}, {"name", "n"}};
  auto first = EvidenceItem::parse_expression("k", "first(2, xs)");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->evaluate(values, false), json({1, 2}));
  auto count = EvidenceItem::parse_expression("k", "count(xs)");
  EXPECT_EQ(count->evaluate(values, false), 3);
  auto guarded = EvidenceItem::parse_expression("k", "passed ? [] : xs");
  EXPECT_EQ(guarded->evaluate(values, true), json::array());
  EXPECT_EQ(guarded->evaluate(values, false), json({1, 2, 3}));
  auto passed = EvidenceItem::parse_expression("k", "passed");
  EXPECT_EQ(passed->evaluate(values, true), true);
  EXPECT_FALSE(EvidenceItem::parse_expression("k", "first(x, xs)").ok());
}

}  // namespace
}  // namespace sotcheck
