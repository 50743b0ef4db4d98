// Reading a file of the image as text under a rule's TextRead (text_read.hpp):
// every way a read fails, worded as Python's open()/read() would word it.

#include "sotcheck/checks/text_read.hpp"

#include <cstring>

#include "sotcheck/snapshot/access_journal.hpp"

namespace sotcheck::checks {
namespace {

std::string quoted(std::string_view path) { return "'" + std::string(path) + "'"; }

/// A strict read of a scanned file whose bytes the image does not keep: the error from the scan's facts.
std::optional<std::string> stored_decode_failure(const snapshot::ImageView& image, std::uint32_t entry) {
  const auto [position_key, detail_key] = decode_failure_probe_keys();
  const auto position_id = image.probe_id(position_key);
  const auto detail_id = image.probe_id(detail_key);
  if (!position_id || !detail_id) return std::nullopt;
  const auto position = image.probe_value(entry, *position_id);
  const auto detail = image.probe_value(entry, *detail_id);
  if (!position || !detail) return std::nullopt;
  return decode_failure_text(*position, *detail);
}

/// Why `entry` has no bytes to decode, or nothing when it has them.
std::optional<std::string> unreadable_reason(const snapshot::ImageView& image, std::uint32_t entry,
                                             const TextRead& read) {
  const std::string_view path = image.path(entry);
  if (!image.is_file_following_links(entry)) {
    switch (image.followed_kind(entry)) {
      case snapshot::EntryKind::directory: return "[Errno 21] Is a directory: " + quoted(path);
      case snapshot::EntryKind::missing: return "[Errno 2] No such file or directory: " + quoted(path);
      default: return "not a regular file: " + quoted(path);
    }
  }
  const snapshot::EntryRecord& record = image.entry(entry);
  if (record.flags & snapshot::k_flag_too_large)
    return "file is larger than the --max-file-size cap (" + std::to_string(record.size) + " bytes): " + quoted(path);
  if (record.flags & snapshot::k_flag_read_error)
    return "[Errno " + std::to_string(record.error) + "] " + std::strerror(record.error) + ": " + quoted(path);
  if (record.flags & snapshot::k_flag_content_loaded) return std::nullopt;
  // Read and content-scanned, but the bytes were not kept (only probe values were needed): a strict read of
  // a file that is not UTF-8 fails with the scan's facts; anything else is a catalog/engine bug, as is a
  // file the snapshot never read (it loads exactly what content_queries() ask for).
  if ((record.flags & snapshot::k_flag_text_scanned) && (record.flags & snapshot::k_flag_text_not_utf8) &&
      read.errors == TextRead::Errors::strict) {
    if (auto failure = stored_decode_failure(image, entry)) return *failure + ": " + quoted(path);
  }
  return std::string(record.flags & snapshot::k_flag_text_scanned
                         ? "file content was scanned but not kept in the snapshot: "
                         : "file content was not loaded into the snapshot: ") +
         quoted(path);
}

}  // namespace

void read_text(const snapshot::ImageView& image, std::uint32_t entry, const TextRead& read, TextFile* out) {
  out->ok = false;
  out->ascii = false;
  out->text = {};
  out->storage.clear();
  out->error.clear();
  // A file that could not be read, or a link not followed out of the tree, makes the rule's verdict an ERROR
  // (evaluate_rule), whatever the check makes of the error text below.
  if (image.entry(entry).flags & (snapshot::k_flag_read_error | snapshot::k_flag_unreadable))
    snapshot::note_if_unreadable(image, entry);
  if (auto reason = unreadable_reason(image, entry, read)) {
    out->error = std::move(*reason);
    return;
  }
  const std::string_view bytes = image.content(entry);
  // The locale encoding is UTF-8 on every platform sotcheck supports (Linux), so both encodings decode alike.
  if (read.errors == TextRead::Errors::ignore) {
    decode_text_lenient(bytes, out);
  } else if (!decode_text_strict(bytes, out)) {
    out->error += ": " + quoted(image.path(entry));
  }
}

bool scanned_text_usable(const snapshot::ImageView& image, std::uint32_t entry, const TextRead& read) {
  const std::uint16_t flags = image.entry(entry).flags;
  if (!(flags & snapshot::k_flag_text_scanned)) return false;
  return !(flags & snapshot::k_flag_text_not_utf8) || read.errors == TextRead::Errors::ignore;
}

TextRead TextRead::parse(Params& params, const std::string& key) {
  TextRead read;
  const ParamNode node = params.node(key);
  if (!node.is_defined()) return read;
  if (!node.is_map()) {
    params.error("'" + key + "' must be a map {encoding, errors, on_failure}", node);
    return read;
  }
  Params sub(node, params.file(), params.diagnostics(), params.fallback_line());
  sub.set_profile(params.profile());
  read.encoding = sub.choice("encoding", {"utf8", "locale"}, "utf8") == "locale" ? Encoding::locale : Encoding::utf8;
  read.errors = sub.choice("errors", {"ignore", "strict"}, "ignore") == "strict" ? Errors::strict : Errors::ignore;
  const std::string failure = sub.choice("on_failure", {"skip", "abort", "report"}, "skip");
  read.on_failure = failure == "abort" ? OnFailure::abort : failure == "report" ? OnFailure::report : OnFailure::skip;
  sub.finish();
  return read;
}

}  // namespace sotcheck::checks
