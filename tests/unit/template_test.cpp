// Message templates and evidence expressions render the reference
// validator's strings: Python's str()/repr() of values, conditionals, first(k).

#include <gtest/gtest.h>

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
