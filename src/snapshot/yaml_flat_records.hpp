#pragma once
/// How a YAML blob's records hold their values (yaml_flat.hpp), shared by the builder (yaml_flat.cpp) and
/// the reader (yaml_flat_view.cpp); private to the snapshot module.

#include <bit>
#include <cstdint>
#include <limits>

#include "alignment.hpp"
#include "sotcheck/pyyaml/timestamp.hpp"
#include "sotcheck/snapshot/yaml_flat.hpp"

namespace sotcheck::snapshot::yaml_records {

inline std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) {
  std::uint64_t r = 0;
  return __builtin_add_overflow(a, b, &r) ? std::numeric_limits<std::uint64_t>::max() : r;
}

inline bool is_collection(const YamlNodeRecord& r) {
  return r.kind >= static_cast<std::uint8_t>(YamlKind::sequence);
}

/// A collection's height is in `small`; a scalar's is 0.
inline std::uint32_t height_of(const YamlNodeRecord& r) {
  return is_collection(r) ? r.small : 0;
}

/// Scalar bytes below a node once every alias is expanded: a collection keeps them in `payload`.
inline std::uint64_t expanded_bytes_of(const YamlNodeRecord& r) {
  return is_collection(r) ? r.payload : r.count;
}

// Payload layout of dates and datetimes (bit offsets); dates leave the time fields zero. The UTC offset of
// an aware datetime is in `small` (int16 bits), flagged by k_yaml_flag_tz.
constexpr int k_us_shift = 0;       // 20 bits
constexpr int k_second_shift = 20;  // 6
constexpr int k_minute_shift = 26;  // 6
constexpr int k_hour_shift = 32;    // 5
constexpr int k_day_shift = 37;     // 5
constexpr int k_month_shift = 42;   // 4
constexpr int k_year_shift = 46;    // 14

/// The payload of a date or datetime (its offset is stored apart).
inline std::uint64_t pack_timestamp(const pyyaml::DateTime& t) {
  return std::uint64_t(t.microsecond) << k_us_shift | std::uint64_t(t.second) << k_second_shift |
         std::uint64_t(t.minute) << k_minute_shift | std::uint64_t(t.hour) << k_hour_shift |
         std::uint64_t(t.date.day) << k_day_shift | std::uint64_t(t.date.month) << k_month_shift |
         std::uint64_t(t.date.year) << k_year_shift;
}

/// The fields of a date or datetime payload, without offset (a naive datetime).
inline pyyaml::DateTime unpack_timestamp(std::uint64_t p) {
  pyyaml::DateTime d;
  d.microsecond = static_cast<int>((p >> k_us_shift) & 0xFFFFF);
  d.second = static_cast<int>((p >> k_second_shift) & 0x3F);
  d.minute = static_cast<int>((p >> k_minute_shift) & 0x3F);
  d.hour = static_cast<int>((p >> k_hour_shift) & 0x1F);
  d.date.day = static_cast<int>((p >> k_day_shift) & 0x1F);
  d.date.month = static_cast<int>((p >> k_month_shift) & 0xF);
  d.date.year = static_cast<int>((p >> k_year_shift) & 0x3FFF);
  return d;
}

/// The date or datetime a record holds, with its UTC offset when it has one.
inline pyyaml::DateTime datetime_of(const YamlNodeRecord& r) {
  pyyaml::DateTime t = unpack_timestamp(r.payload);
  if ((r.flags & k_yaml_flag_tz) != 0) t.utc_offset_minutes = std::bit_cast<std::int16_t>(r.small);
  return t;
}

}  // namespace sotcheck::snapshot::yaml_records
