// Bytes to text as Python reads a file, on top of util/utf8 (the one decoder);
// see text_decoding.hpp.

#include "sotcheck/checks/text_decoding.hpp"

#include <algorithm>
#include <cstring>
#include <limits>

#include "sotcheck/checks/check.hpp"
#include "sotcheck/util/utf8.hpp"

namespace sotcheck::checks {
namespace {

/// Python's universal newlines: "\r\n" and a lone "\r" become "\n". In place; returns the new length.
std::size_t translate_newlines(char* data, std::size_t size) {
  std::size_t out = 0;
  for (std::size_t i = 0; i < size; ++i) {
    if (data[i] == '\r') {
      data[out++] = '\n';
      if (i + 1 < size && data[i + 1] == '\n') ++i;
    } else {
      data[out++] = data[i];
    }
  }
  return out;
}

/// Sets out->text to `text` with universal newlines (copying into out->storage only when a '\r' occurs).
void finish_text(std::string_view text, TextFile* out) {
  if (!text.empty() && std::memchr(text.data(), '\r', text.size()) != nullptr) {
    if (out->storage.empty() || text.data() != out->storage.data()) out->storage.assign(text);
    out->storage.resize(translate_newlines(out->storage.data(), out->storage.size()));
    text = out->storage;
  }
  out->text = text;
  out->ok = true;
}

void reset(TextFile* out) {
  out->ok = false;
  out->text = {};
  out->storage.clear();
  out->error.clear();
}

// The detail value packs the byte Python names (8 bits), the reason (2 bits) and how many bytes the error
// spans (2 bits: 1 to 3).
constexpr int k_reason_shift = 8;
constexpr int k_span_shift = 10;

}  // namespace

std::optional<std::size_t> first_invalid_utf8(std::string_view bytes) {
  const auto error = util::first_utf8_error(bytes);
  if (!error) return std::nullopt;
  return error->start;
}

std::string utf8_drop_invalid(std::string_view bytes) {
  // Dropping the lead byte of a broken sequence and re-examining the next byte is the same as Python's
  // "maximal subpart" rule here: the bytes after a lead are continuation bytes, which never start a sequence.
  std::string out;
  out.reserve(bytes.size());
  std::size_t i = 0;
  while (i < bytes.size()) {
    const std::size_t n = util::utf8_sequence_length(bytes, i);
    if (n == 0) {
      ++i;
      continue;
    }
    out.append(bytes.data() + i, n);
    i += n;
  }
  return out;
}

bool decode_text_lenient(std::string_view bytes, TextFile* out) {
  reset(out);
  out->ascii = util::ascii_prefix_length(bytes) == bytes.size();
  const bool well_formed = out->ascii || util::is_valid_utf8(bytes);
  std::string_view text = bytes;
  if (!well_formed) {
    out->storage = utf8_drop_invalid(bytes);
    text = out->storage;
  }
  finish_text(text, out);
  return well_formed;
}

bool decode_text_strict(std::string_view bytes, TextFile* out) {
  reset(out);
  out->ascii = util::ascii_prefix_length(bytes) == bytes.size();
  if (!out->ascii) {
    if (auto error = util::utf8_decode_error(bytes)) {
      out->error = std::move(*error);
      return false;
    }
  }
  finish_text(bytes, out);
  return true;
}

std::pair<std::uint64_t, std::uint64_t> decode_failure_probe_keys() {
  // The detail key names its packing, so no image of another build is misread.
  static const std::pair<std::uint64_t, std::uint64_t> keys{probe_key("text:decode_failure_position"),
                                                            probe_key("text:decode_failure_byte_reason_span")};
  return keys;
}

std::pair<std::int32_t, std::int32_t> decode_failure_probe_values(std::string_view bytes) {
  const auto error = util::first_utf8_error(bytes);
  if (!error) return {-1, -1};
  const auto position = static_cast<std::int32_t>(
      std::min<std::size_t>(error->start, static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())));
  const auto byte = static_cast<unsigned char>(bytes[error->start]);
  const auto span = static_cast<std::int32_t>(error->end - error->start);
  const std::int32_t detail =
      byte | (static_cast<std::int32_t>(error->reason) << k_reason_shift) | (span << k_span_shift);
  return {position, detail};
}

std::optional<std::string> decode_failure_text(std::int32_t position, std::int32_t detail) {
  if (position < 0 || detail < 0) return std::nullopt;
  util::Utf8Error error;
  error.start = static_cast<std::size_t>(position);
  error.end = error.start + static_cast<std::size_t>((detail >> k_span_shift) & 0x3);
  error.reason = static_cast<util::Utf8Error::Reason>((detail >> k_reason_shift) & 0x3);
  return util::utf8_error_text(static_cast<unsigned char>(detail & 0xFF), error);
}

}  // namespace sotcheck::checks
