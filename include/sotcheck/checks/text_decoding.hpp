#pragma once
/// Turning a file's bytes into the text Python's open(...).read() gives
/// (docs/catalog-format.md TextRead): UTF-8 through util/utf8 (the one
/// decoder), bad bytes dropped or the read failed with Python's
/// UnicodeDecodeError wording, then universal newlines (\r\n and \r -> \n).
/// The fused content scan records a file's first decode error as two probe
/// values, so a strict read of a file whose bytes the image dropped still
/// fails with the same words.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace sotcheck::checks {

/// One file's decoded text, or why it could not be read.
struct TextFile {
  bool ok = false;
  std::string_view text;  ///< points into the image or into `storage`; valid while both live
  std::string storage;    ///< holds the text when decoding changed the bytes
  std::string error;      ///< when !ok: the reason, worded like Python's OSError/UnicodeDecodeError
  bool ascii = false;     ///< when ok: every byte of `text` is ASCII (lets scanners skip Unicode special cases)
};

/// Decodes raw file bytes the way TextRead errors=ignore reads them (bad UTF-8 dropped, universal newlines)
/// into `out` (always ok); returns false if the bytes were not well-formed UTF-8. The fused content scan's reader.
bool decode_text_lenient(std::string_view bytes, TextFile* out);

/// Decodes the way TextRead errors=strict reads: on bytes that are not UTF-8, `out` is not ok and its error is
/// Python's UnicodeDecodeError text (without the file name); returns out->ok.
bool decode_text_strict(std::string_view bytes, TextFile* out);

/// Offset of the first byte of `bytes` that is not part of a well-formed UTF-8 sequence, if any.
std::optional<std::size_t> first_invalid_utf8(std::string_view bytes);

/// Python's bytes.decode("utf-8", errors="ignore"): keeps exactly the well-formed sequences.
std::string utf8_drop_invalid(std::string_view bytes);

/// The keys of the two probe values that record a file's first decode error.
std::pair<std::uint64_t, std::uint64_t> decode_failure_probe_keys();

/// The two values for `bytes` under those keys: where the error starts, and what else Python's message needs
/// (the byte there, the reason, how many bytes it spans); both -1 when `bytes` is UTF-8.
std::pair<std::int32_t, std::int32_t> decode_failure_probe_values(std::string_view bytes);

/// Python's UnicodeDecodeError text (without the file name) from the two probe values; nothing when they
/// record no error.
std::optional<std::string> decode_failure_text(std::int32_t position, std::int32_t detail);

}  // namespace sotcheck::checks
