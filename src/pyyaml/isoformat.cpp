#include "sotcheck/pyyaml/isoformat.hpp"

#include <cstdio>
#include <cstdlib>

namespace sotcheck::pyyaml {
namespace {

void append_two(std::string& out, int v) {
  out.push_back(static_cast<char>('0' + v / 10 % 10));
  out.push_back(static_cast<char>('0' + v % 10));
}

}  // namespace

void append_iso_date(std::string& out, const Date& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-", d.year);
  out += buf;
  append_two(out, d.month);
  out.push_back('-');
  append_two(out, d.day);
}

void append_iso_datetime(std::string& out, const DateTime& t, char sep) {
  append_iso_date(out, t.date);
  out.push_back(sep);
  append_two(out, t.hour);
  out.push_back(':');
  append_two(out, t.minute);
  out.push_back(':');
  append_two(out, t.second);
  if (t.microsecond != 0) {
    char buf[16];
    std::snprintf(buf, sizeof buf, ".%06d", t.microsecond);
    out += buf;
  }
  if (t.utc_offset_minutes) {
    const int m = *t.utc_offset_minutes;
    out.push_back(m < 0 ? '-' : '+');
    append_two(out, std::abs(m) / 60);
    out.push_back(':');
    append_two(out, std::abs(m) % 60);
  }
}

}  // namespace sotcheck::pyyaml
