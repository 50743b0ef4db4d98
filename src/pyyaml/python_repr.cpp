#include "sotcheck/pyyaml/python_repr.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>

#include "sotcheck/pyyaml/unicode_printable.hpp"
#include "sotcheck/util/utf8.hpp"

namespace sotcheck::pyyaml {
namespace {

void append_hex(std::string& out, std::uint32_t v, int digits) {
  static constexpr char k_hex[] = "0123456789abcdef";
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) out.push_back(k_hex[(v >> shift) & 0xF]);
}

/// Python chooses '"' only when the text has a ' and no ".
char repr_quote(std::string_view s) {
  return s.find('\'') != std::string_view::npos && s.find('"') == std::string_view::npos ? '"' : '\'';
}

/// datetime.timedelta repr for a whole number of minutes, normalised as Python does (days may be negative,
/// seconds never are).
std::string timedelta_repr(int minutes) {
  std::int64_t seconds = std::int64_t{minutes} * 60;
  std::int64_t days = seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400);
  seconds -= days * 86400;
  std::string out = "datetime.timedelta(";
  if (days == 0 && seconds == 0) return out + "0)";
  if (days != 0) out += "days=" + std::to_string(days);
  if (seconds != 0) out += (days != 0 ? ", seconds=" : "seconds=") + std::to_string(seconds);
  return out + ")";
}

}  // namespace

void append_str_repr(std::string& out, std::string_view s) {
  const char quote = repr_quote(s);
  out.push_back(quote);
  for (std::size_t i = 0; i < s.size();) {
    // Copy runs of printable ASCII that need no escape in one go: nearly all chart text.
    std::size_t run = i;
    while (run < s.size() && s[run] >= 0x20 && s[run] < 0x7F && s[run] != quote && s[run] != '\\') ++run;
    if (run != i) {
      out.append(s.data() + i, run - i);
      i = run;
      continue;
    }
    std::uint32_t cp = 0;
    const std::size_t n = util::decode_utf8(s, i, &cp);
    if (n == 0) {
      out += "\\x";
      append_hex(out, static_cast<unsigned char>(s[i]), 2);
      i += 1;
      continue;
    }
    if (cp == static_cast<unsigned char>(quote) || cp == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(cp));
    } else if (cp == '\t') {
      out += "\\t";
    } else if (cp == '\n') {
      out += "\\n";
    } else if (cp == '\r') {
      out += "\\r";
    } else if (cp < 0x20 || cp == 0x7F) {
      out += "\\x";
      append_hex(out, cp, 2);
    } else if (cp < 0x7F || is_printable_non_ascii(cp)) {
      out.append(s.substr(i, n));
    } else if (cp <= 0xFF) {
      out += "\\x";
      append_hex(out, cp, 2);
    } else if (cp <= 0xFFFF) {
      out += "\\u";
      append_hex(out, cp, 4);
    } else {
      out += "\\U";
      append_hex(out, cp, 8);
    }
    i += n;
  }
  out.push_back(quote);
}

void append_bytes_repr(std::string& out, std::string_view s) {
  const char quote = repr_quote(s);
  out += 'b';
  out.push_back(quote);
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == static_cast<unsigned char>(quote) || c == '\\') {
      out.push_back('\\');
      out.push_back(ch);
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c < 0x20 || c >= 0x7F) {
      out += "\\x";
      append_hex(out, c, 2);
    } else {
      out.push_back(ch);
    }
  }
  out.push_back(quote);
}

void append_float_repr(std::string& out, double d) {
  if (std::isnan(d)) {
    out += "nan";
    return;
  }
  if (std::isinf(d)) {
    out += d < 0 ? "-inf" : "inf";
    return;
  }
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  const std::string_view sci(buf, static_cast<std::size_t>(res.ptr - buf));
  const std::size_t e_pos = sci.find('e');
  std::string_view mantissa = sci.substr(0, e_pos);
  int exponent = 0;
  std::from_chars(sci.data() + e_pos + 1 + (sci[e_pos + 1] == '+' ? 1 : 0), sci.data() + sci.size(), exponent);
  if (!mantissa.empty() && mantissa[0] == '-') {
    out.push_back('-');
    mantissa.remove_prefix(1);
  }
  std::string digits;
  for (char c : mantissa)
    if (c != '.') digits.push_back(c);
  const int decpt = exponent + 1;  // digits are d1 d2 ... with the point after position decpt
  const int ndigits = static_cast<int>(digits.size());
  if (decpt > -4 && decpt <= 16) {
    if (decpt <= 0) {
      out += "0.";
      out.append(static_cast<std::size_t>(-decpt), '0');
      out += digits;
    } else if (decpt >= ndigits) {
      out += digits;
      out.append(static_cast<std::size_t>(decpt - ndigits), '0');
      out += ".0";
    } else {
      out.append(digits, 0, static_cast<std::size_t>(decpt));
      out.push_back('.');
      out.append(digits, static_cast<std::size_t>(decpt));
    }
    return;
  }
  out.push_back(digits[0]);
  if (ndigits > 1) {
    out.push_back('.');
    out.append(digits, 1);
  }
  out.push_back('e');
  out.push_back(exponent < 0 ? '-' : '+');
  const int magnitude = exponent < 0 ? -exponent : exponent;
  if (magnitude < 10) out.push_back('0');
  out += std::to_string(magnitude);
}

void append_date_repr(std::string& out, const Date& d) {
  out += "datetime.date(" + std::to_string(d.year) + ", " + std::to_string(d.month) + ", " + std::to_string(d.day) +
         ")";
}

void append_datetime_repr(std::string& out, const DateTime& t) {
  // Python drops a zero microsecond, then a zero second (only when the microsecond was dropped).
  out += "datetime.datetime(" + std::to_string(t.date.year) + ", " + std::to_string(t.date.month) + ", " +
         std::to_string(t.date.day) + ", " + std::to_string(t.hour) + ", " + std::to_string(t.minute);
  if (t.second != 0 || t.microsecond != 0) out += ", " + std::to_string(t.second);
  if (t.microsecond != 0) out += ", " + std::to_string(t.microsecond);
  if (t.utc_offset_minutes) {
    // datetime.timezone(timedelta(0)) is the utc singleton in CPython, whatever the source spelled.
    out += *t.utc_offset_minutes == 0 ? ", tzinfo=datetime.timezone.utc"
                                      : ", tzinfo=datetime.timezone(" + timedelta_repr(*t.utc_offset_minutes) + ")";
  }
  out += ")";
}

}  // namespace sotcheck::pyyaml
