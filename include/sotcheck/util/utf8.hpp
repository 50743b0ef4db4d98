#pragma once
/// UTF-8, decoded the one way sotcheck decodes it: strictly (no overlongs, no
/// surrogates, nothing above U+10FFFF), with Python's exact wording for the
/// first error, because reports reproduce Python's UnicodeDecodeError text.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sotcheck::util {

/// The length (1-4) of the well-formed sequence at text[i] with its code point
/// in *code_point, or 0 when the sequence there is not well formed.
std::size_t decode_utf8(std::string_view text, std::size_t i, std::uint32_t* code_point);

/// The length (1-4) of the well-formed sequence at text[i], or 0: decode_utf8
/// without the code point, for scanners that only keep or drop bytes.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i);

/// How many bytes `text` starts with that are ASCII (below 0x80); most
/// repository text is all ASCII, so decoders skip this prefix a word at a time.
std::size_t ascii_prefix_length(std::string_view text);

/// True when all of `text` is well-formed UTF-8.
bool is_valid_utf8(std::string_view text);

/// Python's view of the first decode error: bytes [start, end) could not be
/// decoded for `reason`.
struct Utf8Error {
  enum class Reason { invalid_start, invalid_continuation, unexpected_end };
  std::size_t start = 0;
  std::size_t end = 0;
  Reason reason = Reason::invalid_start;
};

/// The first error Python's strict UTF-8 decoder reports for `text`, if any.
std::optional<Utf8Error> first_utf8_error(std::string_view text);

/// "invalid start byte", "invalid continuation byte", "unexpected end of data".
std::string_view utf8_error_reason(Utf8Error::Reason reason);

/// Python's UnicodeDecodeError text: "'utf-8' codec can't decode byte 0xe9 in
/// position 8: invalid continuation byte", or "... can't decode bytes in
/// position 5-6: ..." when the error spans several bytes. `text` is the input
/// the error came from (its first byte is named).
std::string utf8_error_text(std::string_view text, const Utf8Error& error);

/// The same text when only the error and the byte at error.start are known
/// (a scan recorded them and dropped the bytes).
std::string utf8_error_text(unsigned char first_byte, const Utf8Error& error);

/// utf8_error_text of the first error, or nothing when `text` decodes.
std::optional<std::string> utf8_decode_error(std::string_view text);

}  // namespace sotcheck::util
