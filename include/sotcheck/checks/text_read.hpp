#pragma once
/// Reading a repository file of the image as text (docs/catalog-format.md T,
/// 3.1 TextRead), shared by the content primitives.
///
/// TextRead (YAML `read:`):
///   encoding:   utf8 | locale      # locale = the process' locale, UTF-8 on Linux (T2/T3)
///   errors:     ignore | strict    # ignore drops undecodable bytes (T1/T2); strict fails the read (T3/T4)
///   on_failure: skip | abort | report
///     skip   the file is silently left out (the reference's guarded reads)
///     abort  the evaluation throws, so the rule becomes an ERROR verdict (the
///            reference's unguarded reads, which kill its whole run, docs/reference-compatibility.md#rc-14)
///     report the file is listed in evidence `errors: [{file, error}]` and counts
///            as a violation / as not satisfying (strict, docs/reference-compatibility.md#rc-13)
/// A file fails to read when it is not a regular file (after following a
/// symlink), when its bytes were not loaded (over --max-file-size, read error),
/// or, with `errors: strict`, when it is not valid UTF-8. Text is decoded as
/// Python's read_text() does (text_decoding.hpp).

#include <cstdint>
#include <string>

#include "sotcheck/checks/params.hpp"
#include "sotcheck/checks/text_decoding.hpp"
#include "sotcheck/snapshot/image_view.hpp"

namespace sotcheck::checks {

/// How a rule reads text (docs/catalog-format.md TextRead).
struct TextRead {
  enum class Encoding { utf8, locale };
  enum class Errors { ignore, strict };
  enum class OnFailure { skip, abort, report };
  Encoding encoding = Encoding::utf8;
  Errors errors = Errors::ignore;
  OnFailure on_failure = OnFailure::skip;

  /// Parses the map at `key` (absent: utf8 / ignore / skip); reports problems through `params`.
  static TextRead parse(Params& params, const std::string& key = "read");
};

/// Reads `entry` of `image` as text under `read` (encoding, errors; on_failure is the caller's business).
/// Never throws. The result must not be moved from while `text` is used (it may point into `storage`).
void read_text(const snapshot::ImageView& image, std::uint32_t entry, const TextRead& read, TextFile* out);

/// True if the fused content scan's values stand for `entry`'s text as `read` reads it: the scan ran on the
/// file, and either the file is well-formed UTF-8 or `read` drops bad bytes (a strict read of a bad file fails,
/// and read_text words the error).
bool scanned_text_usable(const snapshot::ImageView& image, std::uint32_t entry, const TextRead& read);

}  // namespace sotcheck::checks
