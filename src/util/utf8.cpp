#include "sotcheck/util/utf8.hpp"

#include <cstdio>
#include <cstring>

namespace sotcheck::util {

namespace {

/// The bytes a sequence starting with `lead` takes (0: not a lead byte) and
/// the range its second byte must fall in, which is how the shortest-form,
/// no-surrogate and <= U+10FFFF rules show up byte-wise (RFC 3629's table).
struct Lead {
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;
};

Lead classify(unsigned char lead) {
  Lead out;
  if (lead >= 0xC2 && lead <= 0xDF) {
    out.length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    out.length = 3;
    if (lead == 0xE0) out.low = 0xA0;   // shorter forms are overlong
    if (lead == 0xED) out.high = 0x9F;  // ED A0..BF are surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    out.length = 4;
    if (lead == 0xF0) out.low = 0x90;   // overlong
    if (lead == 0xF4) out.high = 0x8F;  // beyond U+10FFFF
  }
  return out;
}

bool continues(const Lead& lead, std::size_t k, unsigned char byte) {
  return k == 1 ? byte >= lead.low && byte <= lead.high : byte >= 0x80 && byte <= 0xBF;
}

}  // namespace

std::size_t decode_utf8(std::string_view text, std::size_t i, std::uint32_t* code_point) {
  const std::size_t length = utf8_sequence_length(text, i);
  if (length == 0) return 0;
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  std::uint32_t value = length == 1 ? byte(i) : byte(i) & (0x7Fu >> length);
  for (std::size_t k = 1; k < length; ++k) value = (value << 6) | (byte(i + k) & 0x3Fu);
  *code_point = value;
  return length;
}

std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  if (byte(i) < 0x80) return 1;
  const Lead lead = classify(byte(i));
  if (lead.length == 0 || i + lead.length > text.size()) return 0;
  for (std::size_t k = 1; k < lead.length; ++k)
    if (!continues(lead, k, byte(i + k))) return 0;
  return lead.length;
}

std::size_t ascii_prefix_length(std::string_view text) {
  std::size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, text.data() + i, 8);
    if (word & 0x8080808080808080ull) break;
  }
  while (i < text.size() && static_cast<unsigned char>(text[i]) < 0x80) ++i;
  return i;
}

bool is_valid_utf8(std::string_view text) { return !first_utf8_error(text); }

std::optional<Utf8Error> first_utf8_error(std::string_view text) {
  const auto* b = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = ascii_prefix_length(text);
  while (i < n) {
    if (b[i] < 0x80) {
      i += ascii_prefix_length(text.substr(i));
      continue;
    }
    const Lead lead = classify(b[i]);
    if (lead.length == 0) return Utf8Error{i, i + 1, Utf8Error::Reason::invalid_start};
    for (std::size_t k = 1; k < lead.length; ++k) {
      // Python checks each byte that is there before it complains about the end.
      if (i + k >= n) return Utf8Error{i, n, Utf8Error::Reason::unexpected_end};
      if (!continues(lead, k, b[i + k])) return Utf8Error{i, i + k, Utf8Error::Reason::invalid_continuation};
    }
    i += lead.length;
  }
  return std::nullopt;
}

std::string_view utf8_error_reason(Utf8Error::Reason reason) {
  switch (reason) {
    case Utf8Error::Reason::invalid_start: return "invalid start byte";
    case Utf8Error::Reason::invalid_continuation: return "invalid continuation byte";
    case Utf8Error::Reason::unexpected_end: return "unexpected end of data";
  }
  return "invalid start byte";
}

std::string utf8_error_text(std::string_view text, const Utf8Error& error) {
  return utf8_error_text(static_cast<unsigned char>(text[error.start]), error);
}

std::string utf8_error_text(unsigned char first_byte, const Utf8Error& error) {
  const std::string_view why = utf8_error_reason(error.reason);
  char buf[160];
  if (error.end - error.start <= 1) {
    std::snprintf(buf, sizeof buf, "'utf-8' codec can't decode byte 0x%02x in position %zu: %.*s", first_byte,
                  error.start, static_cast<int>(why.size()), why.data());
  } else {
    std::snprintf(buf, sizeof buf, "'utf-8' codec can't decode bytes in position %zu-%zu: %.*s", error.start,
                  error.end - 1, static_cast<int>(why.size()), why.data());
  }
  return buf;
}

std::optional<std::string> utf8_decode_error(std::string_view text) {
  const auto error = first_utf8_error(text);
  if (!error) return std::nullopt;
  return utf8_error_text(text, *error);
}

}  // namespace sotcheck::util
