#include "sotcheck/pyyaml/timestamp.hpp"

#include "ascii_text.hpp"

namespace sotcheck::pyyaml {
namespace {

using detail::is_digit;

/// Reads min_digits..max_digits ASCII digits at s[i] into value; false on fewer or more.
bool read_digits(std::string_view s, std::size_t& i, std::size_t min_digits, std::size_t max_digits, int& value) {
  std::size_t n = 0;
  value = 0;
  while (i < s.size() && is_digit(s[i]) && n < max_digits + 1) value = value * 10 + (s[i++] - '0'), ++n;
  return n >= min_digits && n <= max_digits;
}

bool is_leap(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) {
  static constexpr int k_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : k_days[month - 1];
}

/// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

}  // namespace

bool match_timestamp(std::string_view text, Timestamp& out) {
  const std::string_view s = detail::without_final_newline(text);
  DateTime& t = out.value;
  std::size_t i = 0;
  if (!read_digits(s, i, 4, 4, t.date.year) || i >= s.size() || s[i++] != '-') return false;
  const std::size_t month_start = i;
  if (!read_digits(s, i, 1, 2, t.date.month)) return false;
  const bool two_digit_month = i - month_start == 2;
  if (i >= s.size() || s[i++] != '-') return false;
  const std::size_t day_start = i;
  if (!read_digits(s, i, 1, 2, t.date.day)) return false;
  out.two_digit_date = two_digit_month && i - day_start == 2;
  if (i == s.size()) return true;
  if (s[i] == 'T' || s[i] == 't') {
    ++i;
  } else if (s[i] == ' ' || s[i] == '\t') {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  } else {
    return false;
  }
  out.has_time = true;
  if (!read_digits(s, i, 1, 2, t.hour) || i >= s.size() || s[i++] != ':') return false;
  if (!read_digits(s, i, 2, 2, t.minute) || i >= s.size() || s[i++] != ':') return false;
  if (!read_digits(s, i, 2, 2, t.second)) return false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    int scale = 100000;
    while (i < s.size() && is_digit(s[i])) {
      // Python keeps the first six fraction digits and pads: ".1" is 100000 microseconds.
      if (scale > 0) t.microsecond += (s[i] - '0') * scale;
      scale /= 10;
      ++i;
    }
  }
  std::size_t tz = i;
  while (tz < s.size() && (s[tz] == ' ' || s[tz] == '\t')) ++tz;
  if (tz < s.size() && s[tz] == 'Z') {
    t.utc_offset_minutes = 0;
    i = tz + 1;
  } else if (tz < s.size() && (s[tz] == '+' || s[tz] == '-')) {
    const bool negative = s[tz] == '-';
    i = tz + 1;
    int hours = 0;
    int minutes = 0;
    if (!read_digits(s, i, 1, 2, hours)) return false;
    if (i < s.size() && s[i] == ':') {
      ++i;
      if (!read_digits(s, i, 2, 2, minutes)) return false;
    }
    t.utc_offset_minutes = (negative ? -1 : 1) * (hours * 60 + minutes);
  }
  return i == s.size();
}

std::string timestamp_range_error(const DateTime& value, bool has_time) {
  const Date& d = value.date;
  if (d.year < 1 || d.year > 9999) return "year " + std::to_string(d.year) + " is out of range";
  if (d.month < 1 || d.month > 12) return "month must be in 1..12";
  if (d.day < 1 || d.day > days_in_month(d.year, d.month)) return "day is out of range for month";
  if (!has_time) return "";
  if (value.hour > 23) return "hour must be in 0..23";
  if (value.minute > 59) return "minute must be in 0..59";
  if (value.second > 59) return "second must be in 0..59";
  const int offset = value.utc_offset_minutes.value_or(0);
  if (offset <= -1440 || offset >= 1440)
    return "offset must be a timedelta strictly between -timedelta(hours=24) and timedelta(hours=24)";
  return "";
}

std::int64_t utc_microseconds(const DateTime& value) {
  const std::int64_t days = days_from_civil(value.date.year, value.date.month, value.date.day);
  const std::int64_t seconds = days * 86400 + value.hour * 3600 + value.minute * 60 + value.second -
                               std::int64_t{value.utc_offset_minutes.value_or(0)} * 60;
  return seconds * 1'000'000 + value.microsecond;
}

}  // namespace sotcheck::pyyaml
