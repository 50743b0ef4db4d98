#pragma once
/// YAML 1.1 timestamps as PyYAML reads them (SafeConstructor.timestamp_regexp) and as Python's datetime
/// module accepts them.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sotcheck::pyyaml {

/// datetime.date.
struct Date {
  int year = 1;
  int month = 1;
  int day = 1;
};

/// datetime.datetime, naive or with a fixed UTC offset.
struct DateTime {
  Date date;
  int hour = 0;
  int minute = 0;
  int second = 0;
  int microsecond = 0;
  std::optional<int> utc_offset_minutes;  ///< empty for a naive datetime
};

/// What the timestamp pattern read from a scalar, before any range check.
struct Timestamp {
  DateTime value;
  bool has_time = false;        ///< a datetime, not a date
  bool two_digit_date = false;  ///< month and day were both written with two digits
};

/// SafeConstructor.timestamp_regexp, a superset of the implicit resolver's pattern (which also wants
/// has_time or two_digit_date): YYYY-M[M]-D[D], then optionally [Tt]|[ \t]+ H[H]:MM:SS[.fraction] and
/// [ \t]*(Z|±H[H][:MM]). The fraction keeps its first six digits as microseconds.
bool match_timestamp(std::string_view text, Timestamp& out);

/// The ValueError datetime.date, datetime.datetime or datetime.timezone would raise for these fields
/// (`has_time`: a datetime), or "" when Python accepts them.
std::string timestamp_range_error(const DateTime& value, bool has_time);

/// Microseconds since 1970-01-01T00:00Z of a datetime, its offset applied (none counts as UTC): two aware
/// datetimes are equal in Python when these are.
std::int64_t utc_microseconds(const DateTime& value);

}  // namespace sotcheck::pyyaml
