#pragma once
/// Python's repr() of the scalar values YAML loads as: str, bytes, float, datetime.date and
/// datetime.datetime (None, bool and int are one-liners for the caller).

#include <string>
#include <string_view>

#include "sotcheck/pyyaml/timestamp.hpp"

namespace sotcheck::pyyaml {

/// repr(str) of UTF-8 text: quotes as Python picks them, \t \n \r \\ escaped, other non-printable code
/// points as \xNN, \uNNNN or \UNNNNNNNN (str.isprintable, unicode_printable.hpp); a byte that is not valid
/// UTF-8 (only in a blob built elsewhere) as \xNN.
void append_str_repr(std::string& out, std::string_view s);

/// repr(bytes): b'...', printable ASCII as is, everything else escaped.
void append_bytes_repr(std::string& out, std::string_view s);

/// repr(float): the shortest round-tripping digits, laid out as CPython's float_repr_style 'short' does
/// (fixed notation for decimal exponents -4 <= e < 16, else d.ddde+XX with at least two exponent digits).
void append_float_repr(std::string& out, double d);

/// repr(datetime.date), e.g. "datetime.date(2001, 12, 14)".
void append_date_repr(std::string& out, const Date& d);

/// repr(datetime.datetime), e.g. "datetime.datetime(2001, 12, 14, 21, 59, 43, 100000,
/// tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=68400)))".
void append_datetime_repr(std::string& out, const DateTime& t);

}  // namespace sotcheck::pyyaml
