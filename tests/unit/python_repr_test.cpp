#include "sotcheck/pyyaml/python_repr.hpp"

#include <gtest/gtest.h>

#include <string>

#include "sotcheck/pyyaml/unicode_printable.hpp"
#include "support/constructed.hpp"
#include "support/yaml_documents.hpp"

// Python's repr() of str, bytes, float, date and datetime. Expected values are what Python 3.11 prints.

namespace sotcheck::pyyaml {
namespace {

using testing::yaml_repr_of;

using testing::float_repr;

TEST(PythonRepr, FloatsAsPythonPrintsThem) {
  EXPECT_EQ(float_repr(5e-324), "5e-324");
  EXPECT_EQ(float_repr(1e22), "1e+22");
  EXPECT_EQ(float_repr(1e16), "1e+16");
  EXPECT_EQ(float_repr(9999999999999998.0), "9999999999999998.0");
  EXPECT_EQ(float_repr(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(float_repr(1.0 / 3), "0.3333333333333333");
  EXPECT_EQ(float_repr(-1e-7), "-1e-07");
  EXPECT_EQ(float_repr(123e-20), "1.23e-18");
  EXPECT_EQ(float_repr(1180591620717411303424.0), "1.1805916207174113e+21");  // 2**70
}

TEST(PythonRepr, StrEscapesWhatIsNotPrintable) {
  std::string out;
  // Python: repr("a\x85b\xa0\u200b\u3000\U0001f600\U000e0001")
  append_str_repr(out, "a\xc2\x85" "b\xc2\xa0\xe2\x80\x8b\xe3\x80\x80\xf0\x9f\x98\x80\xf3\xa0\x80\x81");
  EXPECT_EQ(out, "'a\\x85b\\xa0\\u200b\\u3000\xf0\x9f\x98\x80\\U000e0001'");
  out.clear();
  append_str_repr(out, "\xff");  // not UTF-8: only a blob built elsewhere has this
  EXPECT_EQ(out, "'\\xff'");
  EXPECT_TRUE(is_printable_non_ascii(0xE9));     // é
  EXPECT_FALSE(is_printable_non_ascii(0x3000));  // ideographic space (Zs)
  EXPECT_FALSE(is_printable_non_ascii(0x10FFFF));
}

TEST(PythonRepr, BytesEscapeEverythingButPrintableAscii) {
  std::string out;
  append_bytes_repr(out, std::string("\x00\x7f\x80'\"\\", 6));
  EXPECT_EQ(out, "b'\\x00\\x7f\\x80\\'\"\\\\'");  // Python: b'\x00\x7f\x80\'"\\'
  out.clear();
  append_bytes_repr(out, "it's");
  EXPECT_EQ(out, "b\"it's\"");
}

TEST(PythonRepr, DatesAndOffsets) {
  std::string out;
  append_date_repr(out, Date{2001, 2, 3});
  EXPECT_EQ(out, "datetime.date(2001, 2, 3)");
  DateTime t;
  t.date = Date{2001, 12, 14};
  t.microsecond = 5;
  t.utc_offset_minutes = 24 * 60 - 1;
  out.clear();
  append_datetime_repr(out, t);
  EXPECT_EQ(out,
            "datetime.datetime(2001, 12, 14, 0, 0, 0, 5, tzinfo=datetime.timezone(datetime.timedelta(seconds=86340)))");
}

// ----- through the flattener and the view ----------------------------------------------------------------------------

TEST(PythonRepr, ReprOfStringsEscapesAsPython) {
  EXPECT_EQ(yaml_repr_of("\"it's\""), "\"it's\"");
  EXPECT_EQ(yaml_repr_of("'say \"hi\"'"), "'say \"hi\"'");
  EXPECT_EQ(yaml_repr_of("\"both ' and \\\"\""), "'both \\' and \"'");
  EXPECT_EQ(yaml_repr_of("\"t\\tn\\nr\\rb\\\\ z\\0 d\\x7f e\\x1b\""), "'t\\tn\\nr\\rb\\\\ z\\x00 d\\x7f e\\x1b'");
  EXPECT_EQ(yaml_repr_of("\"\\u00e9 \\u00a0 \\u00ad \\u200b \\u2028 \\ue000 \\U0001F600 \\x85\""),
            "'\xc3\xa9 \\xa0 \\xad \\u200b \\u2028 \\ue000 \xf0\x9f\x98\x80 \\x85'");
  EXPECT_EQ(yaml_repr_of("\"\\U000E0001 \\u0378\""), "'\\U000e0001 \\u0378'");  // non-printable and unassigned
  EXPECT_EQ(yaml_repr_of("!!binary J3F1b3RlJyAi"), "b'\\'quote\\' \"'");
}

TEST(PythonRepr, ReprOfFloatsMatchesPython) {
  const std::pair<const char*, const char*> cases[] = {{"1.0", "1.0"},
                                                       {"0.1", "0.1"},
                                                       {"-0.0", "-0.0"},
                                                       {"10000000000000000.0", "1e+16"},
                                                       {"1000000000000000.0", "1000000000000000.0"},
                                                       {"0.0001", "0.0001"},
                                                       {"0.00001", "1e-05"},
                                                       {"1.5e+300", "1.5e+300"},
                                                       {"123456789.0", "123456789.0"},
                                                       {"3.14159265358979", "3.14159265358979"},
                                                       {"1.7976931348623157e+308", "1.7976931348623157e+308"},
                                                       {"1.8e+308", "inf"},
                                                       {"2.5e-300", "2.5e-300"},
                                                       {"123456789012345678.0", "1.2345678901234568e+17"}};
  for (const auto& [source, expected] : cases) EXPECT_EQ(yaml_repr_of(source), expected) << source;
}

}  // namespace
}  // namespace sotcheck::pyyaml
