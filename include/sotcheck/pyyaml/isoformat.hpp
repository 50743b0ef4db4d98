#pragma once
/// datetime.date.isoformat() and datetime.datetime.isoformat(sep): what str() and json give for timestamps.

#include <string>

#include "sotcheck/pyyaml/timestamp.hpp"

namespace sotcheck::pyyaml {

/// "YYYY-MM-DD".
void append_iso_date(std::string& out, const Date& d);

/// "YYYY-MM-DD<sep>HH:MM:SS[.ffffff][±HH:MM]": microseconds only when non-zero, "+00:00" for UTC.
void append_iso_datetime(std::string& out, const DateTime& t, char sep);

}  // namespace sotcheck::pyyaml
