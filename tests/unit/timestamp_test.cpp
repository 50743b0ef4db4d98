#include "sotcheck/pyyaml/timestamp.hpp"

#include <gtest/gtest.h>

#include <string>

#include "sotcheck/pyyaml/isoformat.hpp"
#include "sotcheck/pyyaml/python_repr.hpp"
#include "support/yaml_documents.hpp"

// YAML 1.1 timestamps: the pattern PyYAML reads, the ranges Python's datetime accepts, the instant two aware
// datetimes compare by, and their isoformat. Expected values are what Python 3.11 with PyYAML 6 prints.

namespace sotcheck::pyyaml {
namespace {

using snapshot::YamlKind;
using testing::LoadedYaml;
using testing::load_yaml;
using testing::yaml_repr_of;

std::string repr_of_timestamp(std::string_view text) {
  Timestamp t;
  if (!match_timestamp(text, t)) return "no match";
  if (const std::string error = timestamp_range_error(t.value, t.has_time); !error.empty()) return error;
  std::string out;
  if (t.has_time) {
    append_datetime_repr(out, t.value);
  } else {
    append_date_repr(out, t.value.date);
  }
  return out;
}

TEST(Timestamp, ReadsThePatternAsPyYamlDoes) {
  EXPECT_EQ(repr_of_timestamp("2001-12-14 21:59:43.1234567"), "datetime.datetime(2001, 12, 14, 21, 59, 43, 123456)");
  EXPECT_EQ(repr_of_timestamp("2001-12-14T00:00:00.000001Z"),
            "datetime.datetime(2001, 12, 14, 0, 0, 0, 1, tzinfo=datetime.timezone.utc)");
  EXPECT_EQ(repr_of_timestamp("2001-12-14 1:02:03"), "datetime.datetime(2001, 12, 14, 1, 2, 3)");
  EXPECT_EQ(repr_of_timestamp("2001-12-14t21:59:43-00:30"),
            "datetime.datetime(2001, 12, 14, 21, 59, 43, "
            "tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=84600)))");
  EXPECT_EQ(repr_of_timestamp("2001-12-14 21:59:43 +14"),
            "datetime.datetime(2001, 12, 14, 21, 59, 43, tzinfo=datetime.timezone(datetime.timedelta(seconds=50400)))");
  EXPECT_EQ(repr_of_timestamp("2001-1-1 1:00:00"), "datetime.datetime(2001, 1, 1, 1, 0)");
  EXPECT_EQ(repr_of_timestamp("0001-01-01 00:00:00"), "datetime.datetime(1, 1, 1, 0, 0)");
  EXPECT_EQ(repr_of_timestamp("10000-01-01"), "no match");  // PyYAML's regexp finds no match
  EXPECT_EQ(repr_of_timestamp("2001-12-14 21:59"), "no match");
  Timestamp t;
  ASSERT_TRUE(match_timestamp("2001-12-14", t));
  EXPECT_TRUE(t.two_digit_date);
  EXPECT_FALSE(t.has_time);
  ASSERT_TRUE(match_timestamp("2001-12-1", t = Timestamp{}));
  EXPECT_FALSE(t.two_digit_date);  // the implicit resolver leaves this one a str
}

TEST(Timestamp, RangesAreDatetimes) {
  EXPECT_EQ(repr_of_timestamp("9999-12-31"), "datetime.date(9999, 12, 31)");
  EXPECT_EQ(repr_of_timestamp("2004-02-29"), "datetime.date(2004, 2, 29)");
  EXPECT_EQ(repr_of_timestamp("1900-02-29"), "day is out of range for month");
  EXPECT_EQ(repr_of_timestamp("2001-12-14T24:00:00"), "hour must be in 0..23");
  EXPECT_EQ(repr_of_timestamp("2001-12-14T23:60:00"), "minute must be in 0..59");
  EXPECT_EQ(repr_of_timestamp("2001-12-14T21:59:43+23:59"),
            "datetime.datetime(2001, 12, 14, 21, 59, 43, tzinfo=datetime.timezone(datetime.timedelta(seconds=86340)))");
}

TEST(Timestamp, AwareDatetimesCompareAsInstants) {
  Timestamp a;
  Timestamp b;
  ASSERT_TRUE(match_timestamp("2001-12-14T05:00:00+05:00", a));
  ASSERT_TRUE(match_timestamp("2001-12-14T00:00:00Z", b));
  EXPECT_EQ(utc_microseconds(a.value), utc_microseconds(b.value));
  ASSERT_TRUE(match_timestamp("1970-01-01T00:00:00.000001Z", a));
  EXPECT_EQ(utc_microseconds(a.value), 1);
}

TEST(Timestamp, IsoformatAsPythonWritesIt) {
  Timestamp t;
  ASSERT_TRUE(match_timestamp("2001-12-14T21:59:43.5-05:45", t));
  std::string str;
  append_iso_datetime(str, t.value, ' ');
  EXPECT_EQ(str, "2001-12-14 21:59:43.500000-05:45");  // str(datetime)
  std::string iso;
  append_iso_datetime(iso, t.value, 'T');
  EXPECT_EQ(iso, "2001-12-14T21:59:43.500000-05:45");  // datetime.isoformat()
  ASSERT_TRUE(match_timestamp("0001-01-01 00:00:00Z", t = Timestamp{}));
  std::string utc;
  append_iso_datetime(utc, t.value, ' ');
  EXPECT_EQ(utc, "0001-01-01 00:00:00+00:00");
  std::string date;
  append_iso_date(date, t.value.date);
  EXPECT_EQ(date, "0001-01-01");
}

// ----- through the flattener and the view ----------------------------------------------------------------------------

TEST(Timestamp, TimestampsBecomeDatesAndDatetimes) {
  EXPECT_EQ(yaml_repr_of("2001-12-14"), "datetime.date(2001, 12, 14)");
  EXPECT_EQ(yaml_repr_of("2001-1-14"), "'2001-1-14'");  // date-only needs two-digit month and day
  EXPECT_EQ(yaml_repr_of("2001-12-14t21:59:43.10-05:00"),
            "datetime.datetime(2001, 12, 14, 21, 59, 43, 100000, "
            "tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=68400)))");
  EXPECT_EQ(yaml_repr_of("2001-12-14 21:59:43.10 -5"),
            "datetime.datetime(2001, 12, 14, 21, 59, 43, 100000, "
            "tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=68400)))");
  EXPECT_EQ(yaml_repr_of("2001-12-14T21:59:43Z"),
            "datetime.datetime(2001, 12, 14, 21, 59, 43, tzinfo=datetime.timezone.utc)");
  EXPECT_EQ(yaml_repr_of("2001-12-14T21:59:43+00:00"),
            "datetime.datetime(2001, 12, 14, 21, 59, 43, tzinfo=datetime.timezone.utc)");
  EXPECT_EQ(yaml_repr_of("2001-12-14 21:59:00"), "datetime.datetime(2001, 12, 14, 21, 59)");
  EXPECT_EQ(yaml_repr_of("2001-12-14 21:59:00.5 +5:30"),
            "datetime.datetime(2001, 12, 14, 21, 59, 0, 500000, "
            "tzinfo=datetime.timezone(datetime.timedelta(seconds=19800)))");

  const LoadedYaml d = load_yaml("d: 2001-12-14\nt: 2001-12-14t21:59:43.10-05:00\n");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.v().kind(d.at("d")), YamlKind::date);
  EXPECT_EQ(d.v().kind(d.at("t")), YamlKind::datetime);
  EXPECT_EQ(d.v().text(d.at("t")), "2001-12-14t21:59:43.10-05:00");
  EXPECT_EQ(d.v().python_type_name(d.at("d")), "<class 'datetime.date'>");
  EXPECT_EQ(d.v().python_type_name(d.at("t")), "<class 'datetime.datetime'>");
  EXPECT_EQ(d.v().datetime(d.at("t")).utc_offset_minutes, -300);
  EXPECT_EQ(d.v().to_json(d.at("d")), "2001-12-14");
  EXPECT_EQ(d.v().to_json(d.at("t")), "2001-12-14T21:59:43.100000-05:00");
  EXPECT_EQ(d.v().python_str(d.at("t")), "2001-12-14 21:59:43.100000-05:00");
}

TEST(Timestamp, ImpossibleDatesFailAsPythonsDatetimeDoes) {
  EXPECT_NE(load_yaml("v: 2001-02-29").error.find("day is out of range for month"), std::string::npos);
  EXPECT_TRUE(load_yaml("v: 2000-02-29").ok());
  EXPECT_NE(load_yaml("v: 2001-13-01").error.find("month must be in 1..12"), std::string::npos);
  EXPECT_NE(load_yaml("v: 0000-01-01").error.find("year 0 is out of range"), std::string::npos);
  EXPECT_NE(load_yaml("v: 2001-12-14T21:59:43+24:00").error.find("offset must be"), std::string::npos);
}

}  // namespace
}  // namespace sotcheck::pyyaml
