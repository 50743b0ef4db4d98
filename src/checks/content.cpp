// Text reading, text predicates and the content primitives of docs/catalog-format.md:
// P7 `content_match` and P8 `content_regex_absent`. Literals are searched with
// memmem / an ASCII case-insensitive scan and regexes with RE2 (one RE2::Set
// pass per file for P8), each compiled once when the catalog loads; no
// std::regex ever sees repository content.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cerrno>
#include <cstring>
#include <functional>
#include <limits>
#include <stdexcept>

#include <re2/filtered_re2.h>
#include <re2/set.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "sotcheck/checks/file_error.hpp"
#include "sotcheck/checks/file_query.hpp"
#include "sotcheck/checks/registry.hpp"
#include "sotcheck/checks/text.hpp"
#include "sotcheck/snapshot/access_journal.hpp"

namespace sotcheck::checks {
namespace {

using json = nlohmann::ordered_json;

// ------------------------------------------------------------------ UTF-8

/// Length of the well-formed UTF-8 sequence starting at bytes[i] (Unicode table 3-7, which is also what
/// Python's decoder accepts: no overlongs, no surrogates, nothing above U+10FFFF), or 0.
std::size_t well_formed_length(std::string_view bytes, std::size_t i) {
  const auto at = [&](std::size_t k) { return static_cast<unsigned char>(bytes[k]); };
  const std::size_t left = bytes.size() - i;
  const unsigned char b0 = at(i);
  if (b0 < 0x80) return 1;
  const auto cont = [](unsigned char b) { return b >= 0x80 && b <= 0xBF; };
  if (b0 >= 0xC2 && b0 <= 0xDF) return left >= 2 && cont(at(i + 1)) ? 2 : 0;
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    if (left < 3) return 0;
    const unsigned char b1 = at(i + 1);
    const unsigned char lo = b0 == 0xE0 ? 0xA0 : 0x80;
    const unsigned char hi = b0 == 0xED ? 0x9F : 0xBF;
    return b1 >= lo && b1 <= hi && cont(at(i + 2)) ? 3 : 0;
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    if (left < 4) return 0;
    const unsigned char b1 = at(i + 1);
    const unsigned char lo = b0 == 0xF0 ? 0x90 : 0x80;
    const unsigned char hi = b0 == 0xF4 ? 0x8F : 0xBF;
    return b1 >= lo && b1 <= hi && cont(at(i + 2)) && cont(at(i + 3)) ? 4 : 0;
  }
  return 0;
}

/// Skips the ASCII prefix 8 bytes at a time (most repository text is ASCII).
std::size_t ascii_prefix(std::string_view bytes) {
  std::size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, bytes.data() + i, 8);
    if (word & 0x8080808080808080ull) break;
  }
  while (i < bytes.size() && static_cast<unsigned char>(bytes[i]) < 0x80) ++i;
  return i;
}

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

std::string quoted(std::string_view path) {
  return "'" + std::string(path) + "'";
}

// ------------------------------------------------------------ literal search

inline bool is_word_byte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
inline unsigned char lower_ascii(unsigned char c) {
  return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

bool equal_ci(const char* p, std::string_view needle_lower) {
  for (std::size_t j = 0; j < needle_lower.size(); ++j)
    if (lower_ascii(static_cast<unsigned char>(p[j])) != static_cast<unsigned char>(needle_lower[j])) return false;
  return true;
}

std::size_t find_cs(std::string_view hay, std::string_view needle, std::size_t from) {
  if (from > hay.size()) return std::string_view::npos;
  if (needle.empty()) return from;
  const void* hit = ::memmem(hay.data() + from, hay.size() - from, needle.data(), needle.size());
  return hit == nullptr ? std::string_view::npos : static_cast<std::size_t>(static_cast<const char*>(hit) - hay.data());
}

bool bounded(std::string_view text, std::size_t pos, std::size_t length) {
  const bool left = pos == 0 || !is_word_byte(static_cast<unsigned char>(text[pos - 1]));
  const bool right = pos + length >= text.size() || !is_word_byte(static_cast<unsigned char>(text[pos + length]));
  return left && right;
}

/// Decodes file bytes into `out->text` (Python's open(..., errors=...) then read(): UTF-8, universal newlines).
/// On a strict decode failure sets out->error to Python's UnicodeDecodeError text (without the file name) and
/// returns false. `well_formed`, if given, tells whether the bytes were valid UTF-8.
bool decode(std::string_view bytes, TextRead::Errors errors, TextFile* out, bool* well_formed = nullptr);

}  // namespace

// =============================================================== text reading

std::optional<std::size_t> first_invalid_utf8(std::string_view bytes) {
  std::size_t i = ascii_prefix(bytes);
  while (i < bytes.size()) {
    if (static_cast<unsigned char>(bytes[i]) < 0x80) {
      i += ascii_prefix(bytes.substr(i));
      continue;
    }
    const std::size_t n = well_formed_length(bytes, i);
    if (n == 0) return i;
    i += n;
  }
  return std::nullopt;
}

std::string utf8_drop_invalid(std::string_view bytes) {
  // Dropping the lead byte of a broken sequence and re-examining the next byte is the same as Python's
  // "maximal subpart" rule here: the bytes after a lead are continuation bytes, which never start a sequence.
  std::string out;
  out.reserve(bytes.size());
  std::size_t i = 0;
  while (i < bytes.size()) {
    const std::size_t n = well_formed_length(bytes, i);
    if (n == 0) {
      ++i;
      continue;
    }
    out.append(bytes.data() + i, n);
    i += n;
  }
  return out;
}

std::optional<DecodeFailure> first_decode_failure(std::string_view bytes) {
  const auto bad = first_invalid_utf8(bytes);
  if (!bad) return std::nullopt;
  DecodeFailure failure;
  failure.position = *bad;
  failure.byte = static_cast<unsigned char>(bytes[*bad]);
  if (failure.byte >= 0xC2 && failure.byte <= 0xF4) {
    // A lead byte whose sequence is cut by the end of the data, or broken by a bad byte.
    const std::size_t need = failure.byte <= 0xDF ? 2 : failure.byte <= 0xEF ? 3 : 4;
    bool prefix_ok = true;
    for (std::size_t k = 1; k < need && *bad + k < bytes.size(); ++k) {
      const unsigned char b = static_cast<unsigned char>(bytes[*bad + k]);
      if (b < 0x80 || b > 0xBF) prefix_ok = false;
    }
    failure.reason = prefix_ok && *bad + need > bytes.size() ? DecodeFailure::unexpected_end
                                                              : DecodeFailure::invalid_continuation;
  }
  return failure;
}

std::string decode_failure_text(const DecodeFailure& failure) {
  const char* reason = failure.reason == DecodeFailure::unexpected_end         ? "unexpected end of data"
                       : failure.reason == DecodeFailure::invalid_continuation ? "invalid continuation byte"
                                                                               : "invalid start byte";
  char buf[128];
  std::snprintf(buf, sizeof buf, "'utf-8' codec can't decode byte 0x%02x in position %llu: %s", failure.byte,
                static_cast<unsigned long long>(failure.position), reason);
  return buf;
}

std::pair<std::uint64_t, std::uint64_t> decode_failure_probe_keys() {
  static const std::pair<std::uint64_t, std::uint64_t> keys{probe_key("text:decode_failure_position"),
                                                            probe_key("text:decode_failure_byte_reason")};
  return keys;
}

namespace {

/// A strict read of a scanned file whose bytes the image does not keep: the error from the scan's facts.
std::optional<std::string> stored_decode_failure(const snapshot::ImageView& image, std::uint32_t entry) {
  const auto [position_key, detail_key] = decode_failure_probe_keys();
  const auto position_id = image.probe_id(position_key);
  const auto detail_id = image.probe_id(detail_key);
  if (!position_id || !detail_id) return std::nullopt;
  const auto position = image.probe_value(entry, *position_id);
  const auto detail = image.probe_value(entry, *detail_id);
  if (!position || !detail || *position < 0 || *detail < 0) return std::nullopt;
  DecodeFailure failure;
  failure.position = static_cast<std::uint64_t>(*position);
  failure.byte = static_cast<unsigned char>(*detail & 0xFF);
  failure.reason = static_cast<DecodeFailure::Reason>((*detail >> 8) & 0x3);
  return decode_failure_text(failure);
}

}  // namespace

namespace {

bool decode(std::string_view bytes, TextRead::Errors errors, TextFile* out, bool* well_formed) {
  out->ascii = ascii_prefix(bytes) == bytes.size();
  const auto bad = out->ascii ? std::nullopt : first_invalid_utf8(bytes);
  if (well_formed != nullptr) *well_formed = !bad;
  std::string_view text = bytes;
  if (bad) {
    if (errors == TextRead::Errors::strict) {
      out->error = decode_failure_text(*first_decode_failure(bytes));
      return false;
    }
    out->storage = utf8_drop_invalid(bytes);
    text = out->storage;
  }
  if (!text.empty() && std::memchr(text.data(), '\r', text.size()) != nullptr) {
    if (out->storage.empty() || text.data() != out->storage.data()) out->storage.assign(text);
    out->storage.resize(translate_newlines(out->storage.data(), out->storage.size()));
    text = out->storage;
  }
  out->text = text;
  out->ok = true;
  return true;
}

}  // namespace

void read_text(const snapshot::ImageView& image, std::uint32_t entry, const TextRead& read, TextFile* out) {
  out->ok = false;
  out->ascii = false;
  out->text = {};
  out->storage.clear();
  out->error.clear();
  const std::string_view path = image.path(entry);
  // A file that could not be read, or a link not followed out of the tree, makes the rule's verdict an ERROR
  // (evaluate_rule), whatever the check makes of the error text below.
  if (image.entry(entry).flags & (snapshot::k_flag_read_error | snapshot::k_flag_unreadable))
    snapshot::note_if_unreadable(image, entry);
  if (!image.is_file_following_links(entry)) {
    switch (image.followed_kind(entry)) {
      case snapshot::EntryKind::directory:
        out->error = "[Errno 21] Is a directory: " + quoted(path);
        break;
      case snapshot::EntryKind::missing:
        out->error = "[Errno 2] No such file or directory: " + quoted(path);
        break;
      default:
        out->error = "not a regular file: " + quoted(path);
        break;
    }
    return;
  }
  const snapshot::EntryRecord& record = image.entry(entry);
  if (record.flags & snapshot::k_flag_too_large) {
    out->error =
        "file is larger than the --max-file-size cap (" + std::to_string(record.size) + " bytes): " + quoted(path);
    return;
  }
  if (record.flags & snapshot::k_flag_read_error) {
    out->error = "[Errno " + std::to_string(record.error) + "] " + std::strerror(record.error) + ": " + quoted(path);
    return;
  }
  if (!(record.flags & snapshot::k_flag_content_loaded)) {
    // Read and content-scanned, but the bytes were not kept (only probe values were needed): a strict read of
    // a file that is not UTF-8 fails with the scan's facts; anything else is a catalog/engine bug, as is a
    // file the snapshot never read (it loads exactly what content_queries() ask for).
    if ((record.flags & snapshot::k_flag_text_scanned) && (record.flags & snapshot::k_flag_text_not_utf8) &&
        read.errors == TextRead::Errors::strict) {
      if (auto failure = stored_decode_failure(image, entry)) {
        out->error = *failure + ": " + quoted(path);
        return;
      }
    }
    out->error = std::string(record.flags & snapshot::k_flag_text_scanned
                                 ? "file content was scanned but not kept in the snapshot: "
                                 : "file content was not loaded into the snapshot: ") +
                 quoted(path);
    return;
  }
  const std::string_view bytes = image.content(entry);
  // The locale encoding is UTF-8 on every platform sotcheck supports (Linux), so both encodings decode alike.
  if (!decode(bytes, read.errors, out)) out->error += ": " + quoted(path);
}

bool decode_text_lenient(std::string_view bytes, TextFile* out) {
  out->ok = false;
  out->storage.clear();
  out->error.clear();
  bool well_formed = true;
  decode(bytes, TextRead::Errors::ignore, out, &well_formed);
  return well_formed;
}

bool scanned_text_usable(const snapshot::ImageView& image, std::uint32_t entry, const TextRead& read) {
  const std::uint16_t flags = image.entry(entry).flags;
  if (!(flags & snapshot::k_flag_text_scanned)) return false;
  return !(flags & snapshot::k_flag_text_not_utf8) || read.errors == TextRead::Errors::ignore;
}

TextRead TextRead::parse(Params& params, const std::string& key) {
  TextRead read;
  const YAML::Node node = params.node(key);
  if (!node.IsDefined()) return read;
  if (!node.IsMap()) {
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

// ============================================================ literal search

std::size_t find_ascii_ci(std::string_view hay, std::string_view needle, std::size_t from) {
  constexpr std::size_t npos = std::string_view::npos;
  const std::size_t m = needle.size();
  if (from > hay.size()) return npos;
  if (m == 0) return from;
  if (hay.size() - from < m) return npos;
  const std::size_t last_start = hay.size() - m;
  const unsigned char first = static_cast<unsigned char>(needle.front());
  const unsigned char last = static_cast<unsigned char>(needle.back());
  const auto is_lower_letter = [](unsigned char c) { return c >= 'a' && c <= 'z'; };
  std::size_t i = from;
#if defined(__SSE2__)
  // Candidate starts are where both the first and the last needle byte match (a letter matches either case:
  // OR-ing 0x20 maps only 'A'..'Z' onto 'a'..'z'); each candidate is then compared in full.
  const __m128i want_first = _mm_set1_epi8(static_cast<char>(first));
  const __m128i want_last = _mm_set1_epi8(static_cast<char>(last));
  const __m128i fold_first = _mm_set1_epi8(is_lower_letter(first) ? 0x20 : 0);
  const __m128i fold_last = _mm_set1_epi8(is_lower_letter(last) ? 0x20 : 0);
  for (; i + 15 <= last_start; i += 16) {
    const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(hay.data() + i));
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(hay.data() + i + m - 1));
    const __m128i hit = _mm_and_si128(_mm_cmpeq_epi8(_mm_or_si128(a, fold_first), want_first),
                                      _mm_cmpeq_epi8(_mm_or_si128(b, fold_last), want_last));
    unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(hit));
    while (mask != 0) {
      const unsigned bit = static_cast<unsigned>(__builtin_ctz(mask));
      if (equal_ci(hay.data() + i + bit, needle)) return i + bit;
      mask &= mask - 1;
    }
  }
#endif
  for (; i <= last_start; ++i)
    if (lower_ascii(static_cast<unsigned char>(hay[i])) == first && equal_ci(hay.data() + i, needle)) return i;
  return npos;
}

bool contains_literal(std::string_view text, std::string_view literal, bool ci, bool word) {
  std::size_t pos = 0;
  while (true) {
    pos = ci ? find_ascii_ci(text, literal, pos) : find_cs(text, literal, pos);
    if (pos == std::string_view::npos) return false;
    if (!word || bounded(text, pos, literal.size())) return true;
    ++pos;
  }
}

// ============================================================ TextPredicate

namespace {

bool scalar_bool(const YAML::Node& node, bool* value) {
  if (!node.IsScalar() || node.Tag() == "!") return false;  // a quoted "true" is text, not a constant
  return YAML::convert<bool>::decode(node, *value);
}

void check_map_keys(Params& params, const YAML::Node& node, std::initializer_list<const char*> allowed) {
  for (const auto& kv : node) {
    const std::string key = kv.first.Scalar();
    bool ok = false;
    for (const char* a : allowed) ok = ok || key == a;
    if (!ok) params.error("unknown key '" + key + "' in a text predicate", kv.first);
  }
}

bool flag_of(Params& params, const YAML::Node& node, const char* key) {
  const YAML::Node v = node[key];
  if (!v.IsDefined() || v.IsNull()) return false;
  bool value = false;
  if (!scalar_bool(v, &value)) params.error(std::string("'") + key + "' must be true or false", v);
  return value;
}

}  // namespace

std::size_t TextPredicate::parse_node(Params& params, const YAML::Node& node, bool* ok) {
  Node out;
  bool constant = false;
  if (scalar_bool(node, &constant)) {
    out.kind = Node::Kind::constant;
    out.value = constant;
    m_nodes.push_back(std::move(out));
    return m_nodes.size() - 1;
  }
  const auto fail = [&](const std::string& message, const YAML::Node& at) {
    params.error(message, at);
    *ok = false;
    m_nodes.push_back(Node{});
    return m_nodes.size() - 1;
  };
  if (!node.IsMap()) {
    return fail("a text predicate is a map (contains, regex, all, any, not, at_least) or true/false", node);
  }
  const auto children_of = [&](const YAML::Node& list, const char* what) {
    std::vector<std::size_t> children;
    if (!list.IsSequence()) {
      params.error(std::string("'") + what + "' must be a list of text predicates", list);
      *ok = false;
      return children;
    }
    for (const auto& child : list) children.push_back(parse_node(params, child, ok));
    return children;
  };
  if (node["contains"]) {
    check_map_keys(params, node, {"contains", "ci", "word"});
    if (!node["contains"].IsScalar()) return fail("'contains' must be a string", node["contains"]);
    out.kind = Node::Kind::literal;
    out.literal = node["contains"].Scalar();
    out.ci = flag_of(params, node, "ci");
    out.word = flag_of(params, node, "word");
    if (out.literal.empty()) return fail("'contains' must not be empty", node["contains"]);
    if (out.ci && std::any_of(out.literal.begin(), out.literal.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
      return fail("a case-insensitive literal is compared with the lower-cased text, so it must be lowercase: '" +
                      out.literal + "'",
                  node["contains"]);
  } else if (node["regex"]) {
    check_map_keys(params, node, {"regex", "icase"});
    if (!node["regex"].IsScalar()) return fail("'regex' must be a string", node["regex"]);
    RE2::Options options;
    options.set_log_errors(false);
    options.set_case_sensitive(!flag_of(params, node, "icase"));
    auto re = std::make_shared<RE2>(node["regex"].Scalar(), options);
    if (!re->ok()) return fail("invalid regex '" + node["regex"].Scalar() + "': " + re->error(), node["regex"]);
    out.kind = Node::Kind::regex;
    out.regex = std::move(re);
    m_uses_regex = true;
  } else if (node["all"] || node["any"]) {
    const bool all = static_cast<bool>(node["all"]);
    check_map_keys(params, node, {all ? "all" : "any"});
    out.kind = all ? Node::Kind::all : Node::Kind::any;
    out.children = children_of(node[all ? "all" : "any"], all ? "all" : "any");
  } else if (node["not"]) {
    check_map_keys(params, node, {"not"});
    out.kind = Node::Kind::negate;
    out.children.push_back(parse_node(params, node["not"], ok));
  } else if (node["at_least"]) {
    check_map_keys(params, node, {"at_least", "of"});
    out.kind = Node::Kind::at_least;
    try {
      out.k = node["at_least"].as<long long>();
    } catch (const YAML::Exception&) {
      return fail("'at_least' must be an integer", node["at_least"]);
    }
    out.children = children_of(node["of"], "of");
  } else {
    return fail("a text predicate needs one of: contains, regex, all, any, not, at_least", node);
  }
  m_nodes.push_back(std::move(out));
  return m_nodes.size() - 1;
}

std::shared_ptr<const TextPredicate> TextPredicate::parse(Params& params, const YAML::Node& node) {
  auto predicate = std::make_shared<TextPredicate>();
  bool ok = true;
  predicate->m_root = predicate->parse_node(params, node, &ok);
  if (!ok) return nullptr;
  int atoms = 0;
  for (const Node& n : predicate->m_nodes) {
    const bool ascii = std::all_of(n.literal.begin(), n.literal.end(),
                                   [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    predicate->m_atom_of.push_back(n.kind == Node::Kind::literal && ascii ? atoms++ : -1);
  }
  return predicate;
}

bool TextPredicate::constant(bool* value) const {
  const Node& root = m_nodes[m_root];
  if (root.kind != Node::Kind::constant) return false;
  *value = root.value;
  return true;
}

std::uint64_t probe_key(std::string_view canonical) {
  std::uint64_t hash = 14695981039346656037ull;
  for (const char c : canonical) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return hash;
}

std::string TextPredicate::canonical() const {
  std::string out;
  canonical_of(m_root, &out);
  return out;
}

void TextPredicate::canonical_of(std::size_t index, std::string* out) const {
  // Strings carry their length, so no literal or pattern can imitate the structure around it.
  const auto text = [out](std::string_view s) {
    *out += std::to_string(s.size());
    *out += ':';
    out->append(s);
  };
  const Node& n = m_nodes[index];
  switch (n.kind) {
    case Node::Kind::constant: *out += n.value ? "T" : "F"; return;
    case Node::Kind::literal:
      *out += n.ci ? (n.word ? "Lcw" : "Lc-") : (n.word ? "L-w" : "L--");
      text(n.literal);
      return;
    case Node::Kind::regex:
      *out += n.regex->options().case_sensitive() ? "R-" : "Ri";
      text(n.regex->pattern());
      return;
    case Node::Kind::all: *out += "A("; break;
    case Node::Kind::any: *out += "O("; break;
    case Node::Kind::negate: *out += "N("; break;
    case Node::Kind::at_least: *out += "K" + std::to_string(n.k) + "("; break;
  }
  for (std::size_t c : n.children) {
    canonical_of(c, out);
    *out += ',';
  }
  *out += ')';
}

std::string TextPredicate::describe() const {
  std::string out;
  describe_of(m_root, &out);
  return out;
}

void TextPredicate::describe_of(std::size_t index, std::string* out) const {
  const Node& n = m_nodes[index];
  switch (n.kind) {
    case Node::Kind::constant: *out += n.value ? "always true" : "always false"; return;
    case Node::Kind::literal:
      *out += "contains \"" + n.literal + "\"";
      if (n.ci) *out += " (any case)";
      if (n.word) *out += " (as a word)";
      return;
    case Node::Kind::regex:
      *out += "matches /" + n.regex->pattern() + "/";
      if (!n.regex->options().case_sensitive()) *out += "i";
      return;
    case Node::Kind::all: *out += "all of ("; break;
    case Node::Kind::any: *out += "any of ("; break;
    case Node::Kind::negate: *out += "not ("; break;
    case Node::Kind::at_least: *out += "at least " + std::to_string(n.k) + " of ("; break;
  }
  for (std::size_t i = 0; i < n.children.size(); ++i) {
    if (i) *out += ", ";
    describe_of(n.children[i], out);
  }
  *out += ')';
}

std::vector<std::string> TextPredicate::atoms() const {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < m_nodes.size(); ++i) {
    if (m_atom_of[i] < 0) continue;
    std::string lower = m_nodes[i].literal;
    for (char& c : lower) c = static_cast<char>(lower_ascii(static_cast<unsigned char>(c)));
    out.push_back(std::move(lower));
  }
  return out;
}

bool TextPredicate::evaluate(std::string_view text, const char* atoms_present) const {
  return eval(m_root, text, atoms_present);
}

bool TextPredicate::eval(std::size_t index, std::string_view text, const char* atoms_present) const {
  const Node& n = m_nodes[index];
  switch (n.kind) {
    case Node::Kind::constant:
      return n.value;
    case Node::Kind::literal:
      if (atoms_present != nullptr && m_atom_of[index] >= 0) {
        // Present case-insensitively somewhere: the answer for a plain `ci` literal; the other forms still
        // confirm (case, word bounds). Absent: absent under every form.
        if (!atoms_present[m_atom_of[index]]) return false;
        if (n.ci && !n.word) return true;
      }
      return contains_literal(text, n.literal, n.ci, n.word);
    case Node::Kind::regex:
      return RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *n.regex);
    case Node::Kind::all:
      for (std::size_t c : n.children)
        if (!eval(c, text, atoms_present)) return false;
      return true;
    case Node::Kind::any:
      for (std::size_t c : n.children)
        if (eval(c, text, atoms_present)) return true;
      return false;
    case Node::Kind::negate:
      return !eval(n.children.front(), text, atoms_present);
    case Node::Kind::at_least: {
      long long hits = 0;
      long long left = static_cast<long long>(n.children.size());
      for (std::size_t c : n.children) {
        if (hits >= n.k || hits + left < n.k) break;
        if (eval(c, text, atoms_present)) ++hits;
        --left;
      }
      return hits >= n.k;
    }
  }
  return false;
}

// ================================================================ Ratio / Quantifier

std::optional<Ratio> Ratio::parse(std::string_view text) {
  Ratio r;
  bool seen_digit = false, seen_point = false;
  for (char c : text) {
    if (c == '.' && !seen_point) {
      seen_point = true;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    seen_digit = true;
    if (r.numerator > 100000000ll || r.denominator > 100000000ll) return std::nullopt;  // 9 significant digits
    r.numerator = r.numerator * 10 + (c - '0');
    if (seen_point) r.denominator *= 10;
  }
  if (!seen_digit) return std::nullopt;
  return r;
}

bool Ratio::reached(std::size_t value, std::size_t total) const {
  // value / total >= numerator / denominator  <=>  value * denominator >= numerator * total (all non-negative).
  unsigned long long lhs = 0, rhs = 0;
  const bool overflow =
      __builtin_mul_overflow(static_cast<unsigned long long>(value), static_cast<unsigned long long>(denominator),
                             &lhs) ||
      __builtin_mul_overflow(static_cast<unsigned long long>(total), static_cast<unsigned long long>(numerator), &rhs);
  if (!overflow) return lhs >= rhs;
  // Beyond 64 bits (never with real file counts): long double keeps 64 mantissa bits, enough for the decision.
  return static_cast<long double>(value) * denominator >= static_cast<long double>(total) * numerator;
}

Quantifier Quantifier::parse(Params& params, const std::string& key) {
  Quantifier q;
  const YAML::Node node = params.node(key);
  if (!node.IsDefined()) return q;
  const auto bad = [&](const std::string& message, const YAML::Node& at) { params.error(message, at); };
  const auto empty_of = [&](const YAML::Node& map) {
    const YAML::Node e = map["empty"];
    if (!e.IsDefined()) return;
    if (e.IsScalar() && (e.Scalar() == "pass" || e.Scalar() == "fail")) {
      q.empty_passes = e.Scalar() == "pass";
    } else {
      bad("'empty' must be pass or fail", e);
    }
  };
  if (node.IsScalar()) {
    const std::string& s = node.Scalar();
    if (s == "any") {
      q.kind = Kind::any;
    } else if (s == "all") {
      q.kind = Kind::all;
    } else if (s == "none") {
      q.kind = Kind::none;
    } else {
      bad("quantifier '" + s + "': expected any, all, none, {count_ge: k} or {ratio_ge: {...}}", node);
    }
    return q;
  }
  if (!node.IsMap()) {
    bad("'" + key + "' must be any, all, none, {count_ge: k} or {ratio_ge: {...}}", node);
    return q;
  }
  if (node["count_ge"]) {
    q.kind = Kind::count_ge;
    for (const auto& kv : node)
      if (kv.first.Scalar() != "count_ge" && kv.first.Scalar() != "empty")
        bad("unknown key '" + kv.first.Scalar() + "' in count_ge", kv.first);
    empty_of(node);
    try {
      q.k = node["count_ge"].as<long long>();
    } catch (const YAML::Exception&) {
      bad("'count_ge' must be an integer", node["count_ge"]);
    }
    return q;
  }
  if (node["ratio_ge"]) {
    q.kind = Kind::ratio_ge;
    for (const auto& kv : node)
      if (kv.first.Scalar() != "ratio_ge") bad("unknown key '" + kv.first.Scalar() + "' in a quantifier", kv.first);
    const YAML::Node r = node["ratio_ge"];
    if (!r.IsMap() || !r["x"].IsScalar()) {
      bad("ratio_ge needs {x: number, denominator: found|sampled, empty: pass|fail}", r);
      return q;
    }
    for (const auto& kv : r) {
      const std::string k = kv.first.Scalar();
      if (k != "x" && k != "denominator" && k != "empty") bad("unknown key '" + k + "' in ratio_ge", kv.first);
    }
    const auto ratio = Ratio::parse(r["x"].Scalar());
    if (!ratio) {
      bad("ratio_ge x must be a non-negative decimal number", r["x"]);
    } else {
      q.ratio = *ratio;
    }
    if (r["denominator"]) {
      const std::string d = r["denominator"].IsScalar() ? r["denominator"].Scalar() : "";
      if (d != "found" && d != "sampled") bad("'denominator' must be found or sampled", r["denominator"]);
      q.denominator_found = d != "sampled";
    }
    empty_of(r);
    if (!q.empty_passes) bad("ratio_ge needs 'empty: pass' or 'empty: fail'", r);
    return q;
  }
  bad("'" + key + "' must be any, all, none, {count_ge: k} or {ratio_ge: {...}}", node);
  return q;
}

std::string Ratio::percent_text() const {
  // Exact in tenths of a percent for every ratio the catalog can write (a decimal over a power of ten).
  const long double percent = 100.0L * static_cast<long double>(numerator) / static_cast<long double>(denominator);
  char buf[64];
  const long long tenths = std::llround(static_cast<double>(percent * 10.0L));
  if (tenths % 10 == 0) {
    std::snprintf(buf, sizeof buf, "%lld %%", tenths / 10);
  } else {
    std::snprintf(buf, sizeof buf, "%lld.%lld %%", tenths / 10, tenths % 10);
  }
  return buf;
}

std::string Quantifier::requirement() const {
  switch (kind) {
    case Kind::any: return "at least one file";
    case Kind::all: return "every file";
    case Kind::none: return "no file";
    case Kind::count_ge: return k == 1 ? "at least one file" : "at least " + std::to_string(k) + " files";
    case Kind::ratio_ge: return "at least " + ratio.percent_text() + " of the files";
  }
  return "every file";
}

bool Quantifier::passed(std::size_t found, std::size_t sampled, std::size_t matched, std::size_t violating) const {
  if (found == 0 && empty_passes) return *empty_passes;
  switch (kind) {
    case Kind::any:
      return matched >= 1;
    case Kind::all:
      return violating == 0;
    case Kind::none:
      return matched == 0;
    case Kind::count_ge:
      return static_cast<long long>(matched) >= k;
    case Kind::ratio_ge: {
      const std::size_t total = denominator_found ? found : sampled;
      if (total == 0) return empty_passes.value_or(false);
      return ratio.reached(matched, total);
    }
  }
  return false;
}

// ================================================================ primitives

namespace {

/// Columns at or past this are stored as unknown in a packed content position.
constexpr long long k_column_span = 1024;

/// 1-based line and column (in code points) of byte `offset` of `text`.
std::pair<std::size_t, std::size_t> line_and_column(std::string_view text, std::size_t offset) {
  const std::string_view before = text.substr(0, offset);
  const std::size_t line = 1 + static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n'));
  const std::size_t start = before.rfind('\n') == std::string_view::npos ? 0 : before.rfind('\n') + 1;
  std::size_t column = 1;
  for (std::size_t i = start; i < offset; ++i)
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++column;
  return {line, column};
}

/// A reported read failure ({"file", "error"} as handle_read_failure records it) as a finding.
Finding unreadable_finding(const json& error) {
  const std::string file = error.at("file").get<std::string>();
  return make_finding(file, FindingKind::unreadable,
                      file + " could not be read: " + error.at("error").get<std::string>());
}

/// What a read failure does under `read` (skip / abort / report); returns true if it was reported.
bool handle_read_failure(const TextRead& read, std::string_view path, const std::string& error, json& errors) {
  switch (read.on_failure) {
    case TextRead::OnFailure::skip:
      return false;
    case TextRead::OnFailure::abort:
      throw FileError(error, std::string(path));
    case TextRead::OnFailure::report:
      errors.push_back({{"file", std::string(path)}, {"error", error}});
      return true;
  }
  return false;
}

}  // namespace

json parse_constants(Params& params) {
  json out = json::object();
  const YAML::Node node = params.node("constants");
  if (!node.IsDefined()) return out;
  if (!node.IsMap()) {
    params.error("'constants' must be a map of output names to values", node);
    return out;
  }
  std::function<json(const YAML::Node&)> convert = [&](const YAML::Node& n) -> json {
    if (n.IsSequence()) {
      json list = json::array();
      for (const auto& item : n) list.push_back(convert(item));
      return list;
    }
    if (!n.IsScalar()) {
      params.error("constants hold scalars or lists of scalars", n);
      return nullptr;
    }
    if (n.Tag() != "!") {
      long long i = 0;
      bool b = false;
      if (YAML::convert<long long>::decode(n, i)) return i;
      if (YAML::convert<bool>::decode(n, b)) return b;
    }
    return n.Scalar();
  };
  for (const auto& kv : node) out[kv.first.Scalar()] = convert(kv.second);
  return out;
}

void add_constants(const json& constants, json& values) {
  for (const auto& [key, value] : constants.items()) values[key] = value;
}

namespace {

// ------------------------------------------------------------ P7 content_match

struct Part {
  std::shared_ptr<const FileQuery> query;
  std::shared_ptr<const TextPredicate> predicate;       // null: every file qualifies
  std::shared_ptr<const TextPredicate> flag_predicate;  // null: true
  bool needs_text = true;
  bool predicate_value = true;  // when !needs_text
  bool flag_value = true;       // when !needs_text
  std::uint64_t predicate_key = 0, flag_key = 0;  // fused-scan probe names (non-constant predicates)
};

std::uint64_t match_probe_key(const TextPredicate& predicate) {
  return probe_key("content_match:" + predicate.canonical());
}

/// A part predicate's value on `entry` without reading its text: absent (true), constant, or the fused scan's.
std::optional<bool> known_value(const snapshot::ImageView& image, std::uint32_t entry, const TextPredicate* predicate,
                                std::optional<std::uint32_t> probe) {
  if (predicate == nullptr) return true;
  bool value = false;
  if (predicate->constant(&value)) return value;
  if (!probe) return std::nullopt;
  const auto scanned = image.probe_value(entry, *probe);
  if (!scanned) return std::nullopt;
  return *scanned != 0;
}

class ContentMatch final : public Check {
 public:
  std::vector<Part> parts;
  TextRead read;
  Quantifier quantifier;
  bool join_text = false;
  bool stop_at_first = false;
  bool pass_on_flag = false;
  json constants;

  Outputs evaluate(const EvalContext& context) const override {
    const auto& image = context.image;
    std::size_t found = 0, sampled = 0, matched = 0, violating = 0;
    bool flag = false;
    json found_files = json::array(), matched_files = json::array(), violating_files = json::array();
    json errors = json::array();
    std::string joined;
    bool joined_any = false;
    TextFile file;
    bool stop = false;
    for (const Part& part : parts) {
      const FileQuery::Matches m = part.query->run(image);
      // The fused scan's ids for this part's predicates (join_text reads whole texts, so it never uses them).
      std::optional<std::uint32_t> predicate_probe, flag_probe;
      if (!join_text && part.predicate) predicate_probe = image.probe_id(part.predicate_key);
      if (!join_text && part.flag_predicate) flag_probe = image.probe_id(part.flag_key);
      found += m.found.size();
      for (std::uint32_t e : m.found) found_files.push_back(std::string(image.path(e)));
      for (std::size_t i = 0; i < m.sampled && !stop; ++i) {
        const std::uint32_t entry = m.found[i];
        const std::string_view path = image.path(entry);
        ++sampled;
        bool satisfied = part.predicate_value;
        bool flagged = part.flag_value;
        std::optional<bool> scanned_satisfied, scanned_flag;
        if (part.needs_text && !join_text && scanned_text_usable(image, entry, read)) {
          scanned_satisfied = known_value(image, entry, part.predicate.get(), predicate_probe);
          scanned_flag = known_value(image, entry, part.flag_predicate.get(), flag_probe);
        }
        if (scanned_satisfied && scanned_flag) {
          satisfied = *scanned_satisfied;
          flagged = satisfied && (flag || *scanned_flag);
        } else if (part.needs_text) {
          read_text(image, entry, read, &file);
          if (!file.ok) {
            if (handle_read_failure(read, path, file.error, errors)) {
              ++violating;
              violating_files.push_back(std::string(path));
            }
            continue;
          }
          if (join_text) {
            // One predicate over the space-joined text of all sampled files (NETWORK, HASH_ALG, DID_METHOD).
            if (joined_any) joined += ' ';
            joined.append(file.text);
            joined_any = true;
            continue;
          }
          satisfied = !part.predicate || part.predicate->evaluate(file.text);
          flagged = satisfied && (!part.flag_predicate || flag || part.flag_predicate->evaluate(file.text));
        } else {
          flagged = satisfied && flagged;
        }
        if (satisfied) {
          ++matched;
          matched_files.push_back(std::string(path));
          flag = flag || flagged;
          stop = stop_at_first;
        } else {
          ++violating;
          violating_files.push_back(std::string(path));
        }
      }
    }
    if (join_text) {
      const Part& part = parts.front();
      const bool satisfied = !part.predicate || part.predicate->evaluate(joined);
      matched = satisfied ? 1 : 0;
      flag = satisfied && (!part.flag_predicate || part.flag_predicate->evaluate(joined));
    }
    Outputs out;
    out.passed = pass_on_flag ? flag : quantifier.passed(found, sampled, matched, violating);
    if (!out.passed) out.findings = findings_of(found, sampled, matched, matched_files, violating_files, errors);
    out.values["found"] = found;
    out.values["found_files"] = std::move(found_files);
    out.values["found_any"] = found > 0;
    out.values["sampled"] = sampled;
    out.values["matched"] = matched;
    out.values["matched_files"] = std::move(matched_files);
    out.values["matched_any"] = matched > 0;
    out.values["violation_count"] = violating;
    out.values["violating"] = std::move(violating_files);
    out.values["flag"] = flag;
    out.values["error_count"] = errors.size();
    add_constants(constants, out.values);
    if (!errors.empty()) out.notes["errors"] = std::move(errors);
    return out;
  }

  void content_queries(std::vector<std::shared_ptr<const FileQuery>>* out) const override {
    for (const Part& p : parts)
      if (p.needs_text) out->push_back(p.query);
  }

 private:
  std::string queries_text() const {
    std::string out;
    for (const Part& p : parts) {
      if (!out.empty()) out += " or ";
      out += p.query->describe();
    }
    return out;
  }
  std::string predicate_text(const std::shared_ptr<const TextPredicate>& predicate) const {
    return predicate ? predicate->describe() : std::string("exists");
  }

  /// Why the rule failed, file by file: the files that fall short (or, for `none`, the files that match);
  /// what was looked for when nothing was found.
  std::vector<Finding> findings_of(std::size_t found, std::size_t sampled, std::size_t matched,
                                   const json& matched_files, const json& violating_files, const json& errors) const {
    std::vector<Finding> out;
    const Part& first = parts.front();
    const std::string wanted = predicate_text(first.predicate);
    const std::string tally = std::to_string(matched) + "/" + std::to_string(sampled) + " files";
    if (pass_on_flag) {
      Finding f = make_finding(queries_text(), found == 0 ? FindingKind::missing : FindingKind::invalid_value,
                               found == 0 ? "no file matches " + queries_text()
                                          : "no file matching " + queries_text() + " has text that " +
                                                predicate_text(first.flag_predicate));
      f.expected = predicate_text(first.flag_predicate);
      out.push_back(std::move(f));
      return out;
    }
    if (quantifier.matches_offend()) {
      for (const auto& file : matched_files) {
        const std::string path = file.get<std::string>();
        Finding f = make_finding(path, FindingKind::forbidden_content,
                                 path + " has text that " + wanted + ": expected no file to");
        f.identity = wanted;
        out.push_back(std::move(f));
      }
    } else {
      for (const auto& file : violating_files) {
        const std::string path = file.get<std::string>();
        const bool read_failure = std::any_of(errors.begin(), errors.end(), [&](const json& e) { return e.at("file") == path; });
        if (read_failure) continue;  // said below, with the reason
        Finding f = make_finding(path, quantifier.kind == Quantifier::Kind::all ? FindingKind::invalid_value
                                                                                : FindingKind::below_threshold,
                                 path + " has no text that " + wanted + " (" + tally + " do; needs " +
                                     quantifier.requirement() + ")");
        f.expected = wanted;
        out.push_back(std::move(f));
      }
    }
    for (const auto& e : errors) out.push_back(unreadable_finding(e));
    if (out.empty()) {
      // Nothing to blame file by file: no file was found, or the joined text of the sample fell short.
      Finding f = make_finding(queries_text(), found == 0 ? FindingKind::missing : FindingKind::below_threshold,
                               found == 0 ? "no file matches " + queries_text()
                                          : "the files matching " + queries_text() + " fall short: " + tally +
                                                " have text that " + wanted + "; needs " + quantifier.requirement());
      f.expected = wanted;
      out.push_back(std::move(f));
    }
    return out;
  }

 public:

  // With join_text the predicate runs on the joined sample, so the bytes are needed; otherwise every part's
  // predicates are probes.
  void unprobed_content_queries(std::vector<std::shared_ptr<const FileQuery>>* out) const override {
    if (join_text) content_queries(out);
  }

  void content_probes(std::vector<ContentProbe>* out) const override {
    if (join_text) return;
    for (const Part& p : parts) {
      if (!p.needs_text) continue;
      for (const auto& [predicate, key] : {std::pair{p.predicate, p.predicate_key}, std::pair{p.flag_predicate, p.flag_key}}) {
        bool constant = false;
        if (!predicate || predicate->constant(&constant)) continue;
        out->push_back({p.query, key, predicate->atoms(), [predicate = predicate](const ProbeText& file) {
                          return predicate->evaluate(file.text, file.atoms_present) ? std::int32_t{1} : std::int32_t{0};
                        }});
      }
    }
  }
};

/// Parses one part (query, predicate, flag_predicate) from `params`.
bool parse_part(Params& params, Part* part) {
  part->query = FileQuery::parse(params, "query");
  const YAML::Node predicate = params.node("predicate");
  if (predicate.IsDefined()) part->predicate = TextPredicate::parse(params, predicate);
  const YAML::Node flag = params.node("flag_predicate");
  if (flag.IsDefined()) part->flag_predicate = TextPredicate::parse(params, flag);
  if (!part->query || (predicate.IsDefined() && !part->predicate) || (flag.IsDefined() && !part->flag_predicate))
    return false;
  const bool predicate_constant = !part->predicate || part->predicate->constant(&part->predicate_value);
  const bool flag_constant = !part->flag_predicate || part->flag_predicate->constant(&part->flag_value);
  part->needs_text = !(predicate_constant && flag_constant);
  if (part->predicate) part->predicate_key = match_probe_key(*part->predicate);
  if (part->flag_predicate) part->flag_key = match_probe_key(*part->flag_predicate);
  return true;
}

// ------------------------------------------------------- P8 content_regex_absent

struct AbsentRegex {
  std::string pattern;  // the text evidence prints (the reference's regex source)
  std::optional<std::string> description;
  std::unique_ptr<RE2> re;  // fallback when the set's DFA gives up
};

class ContentRegexAbsent final : public Check {
 public:
  std::shared_ptr<const FileQuery> query;
  TextRead read;
  std::vector<AbsentRegex> regexes;
  std::unique_ptr<RE2::Set> set;
  // Literal prefilter (RE2's FilteredRE2): the lowercase atoms some regex needs. A file that holds none of the
  // atoms a regex requires cannot match it, so most files are settled by a few fast literal scans instead of a
  // full DFA pass (CP011 in strict reads ~90 MB on a large tree).
  std::unique_ptr<re2::FilteredRE2> filter;
  std::vector<std::string> atoms;
  json constants;
  std::uint64_t scan_key = 0;  // fused-scan probe name: the regex list and its case mode

  /// Builds the prefilter; leaves it off when some regex has no atoms or an atom is not ASCII.
  void build_filter(const RE2::Options& options) {
    auto f = std::make_unique<re2::FilteredRE2>(3);
    for (const AbsentRegex& r : regexes) {
      int id = 0;
      if (f->Add(r.re->pattern(), options, &id) != RE2::NoError) return;
    }
    f->Compile(&atoms);
    std::vector<int> always;
    f->AllPotentials({}, &always);
    const bool ascii = std::all_of(atoms.begin(), atoms.end(), [](const std::string& a) {
      return !a.empty() && std::all_of(a.begin(), a.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    });
    if (always.empty() && ascii) filter = std::move(f);
  }

  /// Candidate regexes for `text` (sorted ids), or nullopt when the prefilter cannot decide. `atoms_present`
  /// (one flag per atom, from the fused scan) saves the atom searches.
  std::optional<std::vector<int>> candidates(std::string_view text, bool ascii, const char* atoms_present) const {
    if (!filter) return std::nullopt;
    // RE2's case folding maps U+212A (Kelvin) to 'k' and U+017F (long s) to 's'; the ASCII atom scan would miss
    // those, so a file holding either takes the full scan.
    if (!ascii && (find_cs(text, "\xE2\x84\xAA", 0) != std::string_view::npos ||
                   find_cs(text, "\xC5\xBF", 0) != std::string_view::npos))
      return std::nullopt;
    std::vector<int> present;
    for (std::size_t i = 0; i < atoms.size(); ++i)
      if (atoms_present != nullptr ? atoms_present[i] != 0 : find_ascii_ci(text, atoms[i]) != std::string_view::npos)
        present.push_back(static_cast<int>(i));
    std::vector<int> potential;
    filter->AllPotentials(present, &potential);
    std::sort(potential.begin(), potential.end());
    return potential;
  }

  /// Index of the first regex (in list order) that matches `text` (`ascii`: it holds only ASCII), or -1.
  int first_match(std::string_view text, bool ascii, const char* atoms_present = nullptr) const {
    const re2::StringPiece piece(text.data(), text.size());
    if (const auto ids = candidates(text, ascii, atoms_present)) {
      for (int id : *ids)
        if (RE2::PartialMatch(piece, *regexes[static_cast<std::size_t>(id)].re)) return id;
      return -1;
    }
    std::vector<int> hits;
    RE2::Set::ErrorInfo info{};
    if (set->Match(piece, &hits, &info)) return *std::min_element(hits.begin(), hits.end());
    if (info.kind == RE2::Set::kNoError) return -1;
    // The DFA ran out of memory (huge hostile file): test one by one, which RE2 completes with its NFA.
    for (std::size_t i = 0; i < regexes.size(); ++i)
      if (RE2::PartialMatch(piece, *regexes[i].re)) return static_cast<int>(i);
    return -1;
  }

  /// The fused scan's value for a file: -1 when no regex matches, else the first matching regex and where its
  /// first match starts, packed by pack_hit() (positions cost only in the rare files that match).
  std::int32_t scan(std::string_view text, bool ascii, const char* atoms_present = nullptr) const {
    const int id = first_match(text, ascii, atoms_present);
    if (id < 0) return -1;
    re2::StringPiece match;
    const re2::StringPiece piece(text.data(), text.size());
    if (!regexes[static_cast<std::size_t>(id)].re->Match(piece, 0, piece.size(), RE2::UNANCHORED, &match, 1))
      return pack_hit(id, 0, 0);  // the set matched but the single regex could not say where (DFA budget)
    const auto offset = static_cast<std::size_t>(match.data() - text.data());
    const auto [line, column] = line_and_column(text, offset);
    return pack_hit(id, line, column);
  }

  /// Packs (regex, line, column) into the probe's int32: id + n * (line * 1024 + column). A column past
  /// 1023 is stored as unknown (0), a position that does not fit as unknown (0, 0).
  std::int32_t pack_hit(int id, std::size_t line, std::size_t column) const {
    const auto n = static_cast<long long>(regexes.size());
    long long position = static_cast<long long>(line) * k_column_span + (column < k_column_span ? static_cast<long long>(column) : 0);
    if (position > (std::numeric_limits<std::int32_t>::max() - id) / n) position = 0;
    return static_cast<std::int32_t>(id + n * position);
  }

  struct Hit {
    int id = 0;
    std::uint32_t line = 0, column = 0;
  };
  Hit unpack_hit(std::int32_t value) const {
    const auto n = static_cast<std::int32_t>(regexes.size());
    const std::int32_t position = value / n;
    return {value % n, static_cast<std::uint32_t>(position / k_column_span),
            static_cast<std::uint32_t>(position % k_column_span)};
  }

  Outputs evaluate(const EvalContext& context) const override {
    const auto& image = context.image;
    const FileQuery::Matches m = query->run(image);
    json violations = json::array(), errors = json::array();
    std::vector<Finding> findings;
    std::size_t violation_count = 0, scanned = 0;
    TextFile file;
    const std::optional<std::uint32_t> probe = image.probe_id(scan_key);
    for (std::size_t i = 0; i < m.sampled; ++i) {
      const std::uint32_t entry = m.found[i];
      const std::string_view path = image.path(entry);
      std::optional<std::int32_t> known;
      if (probe && scanned_text_usable(image, entry, read)) known = image.probe_value(entry, *probe);
      if (!known) {
        read_text(image, entry, read, &file);
        if (!file.ok) {
          if (handle_read_failure(read, path, file.error, errors)) ++violation_count;
          continue;
        }
      }
      ++scanned;
      const std::int32_t value = known ? *known : scan(file.text, file.ascii);
      if (value < 0) continue;
      const Hit hit = unpack_hit(value);
      const AbsentRegex& r = regexes[static_cast<std::size_t>(hit.id)];
      json v = {{"file", std::string(path)}, {"pattern", r.pattern}};
      if (r.description) v["description"] = *r.description;
      violations.push_back(std::move(v));
      ++violation_count;
      Finding f = make_finding(std::string(path), FindingKind::forbidden_content,
                               std::string(path) + " holds " + (r.description ? *r.description : "forbidden content") +
                                   " (matches /" + r.pattern + "/): expected none");
      f.line = hit.line;
      f.column = hit.line != 0 ? hit.column : 0;
      f.identity = r.pattern;
      findings.push_back(std::move(f));
    }
    Outputs out;
    out.passed = violation_count == 0;
    for (const auto& e : errors) findings.push_back(unreadable_finding(e));
    if (!out.passed) out.findings = std::move(findings);
    out.values["found"] = m.found.size();
    out.values["scanned"] = scanned;
    out.values["violations"] = std::move(violations);
    out.values["violation_count"] = violation_count;
    out.values["error_count"] = errors.size();
    add_constants(constants, out.values);
    if (!errors.empty()) out.notes["errors"] = std::move(errors);
    return out;
  }

  void content_queries(std::vector<std::shared_ptr<const FileQuery>>* out) const override { out->push_back(query); }

  void unprobed_content_queries(std::vector<std::shared_ptr<const FileQuery>>* /*out*/) const override {}

  // The check outlives the scan: the catalog owns it for the whole run.
  void content_probes(std::vector<ContentProbe>* out) const override {
    out->push_back({query, scan_key, filter ? atoms : std::vector<std::string>{},
                    [this](const ProbeText& file) { return scan(file.text, file.ascii, file.atoms_present); }});
  }
};

}  // namespace

std::unique_ptr<Check> make_content_match(Params& params) {
  auto check = std::make_unique<ContentMatch>();
  bool ok = true;
  const YAML::Node parts = params.node("parts");
  const bool single = params.node("query").IsDefined();
  if (parts.IsDefined() == single) {
    params.error("content_match needs either 'query' (with 'predicate', 'flag_predicate') or 'parts'");
    return nullptr;
  }
  if (single) {
    Part part;
    ok = parse_part(params, &part);
    check->parts.push_back(std::move(part));
  } else {
    if (!parts.IsSequence() || parts.size() == 0) {
      params.error("'parts' must be a non-empty list of {query, predicate, flag_predicate}", parts);
      return nullptr;
    }
    for (const auto& node : parts) {
      Params sub(node, params.file(), params.diagnostics(), line_of(node) ? line_of(node) : params.fallback_line());
      sub.set_profile(params.profile());
      Part part;
      ok = parse_part(sub, &part) && ok;
      sub.finish();
      check->parts.push_back(std::move(part));
    }
  }
  check->read = TextRead::parse(params);
  check->quantifier = Quantifier::parse(params);
  check->join_text = params.boolean_or("join_text", false);
  check->stop_at_first = params.boolean_or("stop_at_first", false);
  check->pass_on_flag = params.choice("pass_on", {"quantifier", "flag"}, "quantifier") == "flag";
  check->constants = parse_constants(params);
  if (check->join_text && check->parts.size() != 1) {
    params.error("join_text works on a single query");
    ok = false;
  }
  if (!ok) return nullptr;
  return check;
}

std::unique_ptr<Check> make_content_regex_absent(Params& params) {
  auto check = std::make_unique<ContentRegexAbsent>();
  check->query = FileQuery::parse(params, "query");
  check->read = TextRead::parse(params);
  const bool icase = params.boolean_or("icase", false);
  if (!params.boolean_or("one_per_file", true)) params.error("content_regex_absent supports only one_per_file: true");
  check->constants = parse_constants(params);
  RE2::Options options;
  options.set_log_errors(false);
  options.set_case_sensitive(!icase);
  check->set = std::make_unique<RE2::Set>(options, RE2::UNANCHORED);
  const YAML::Node list = params.node("regexes");
  bool ok = static_cast<bool>(check->query);
  if (!list.IsSequence() || list.size() == 0) {
    params.error("content_regex_absent needs 'regexes', a non-empty list of {regex, pattern, description}", list);
    return nullptr;
  }
  for (const auto& node : list) {
    Params sub(node, params.file(), params.diagnostics(), line_of(node) ? line_of(node) : params.fallback_line());
    AbsentRegex r;
    const auto text = sub.string("regex");
    r.pattern = sub.string_or("pattern", text.value_or(""));
    if (auto d = sub.string("description", false)) r.description = *d;
    sub.finish();
    if (!text) {
      ok = false;
      continue;
    }
    r.re = std::make_unique<RE2>(*text, options);
    std::string error;
    if (!r.re->ok() || check->set->Add(*text, &error) < 0) {
      sub.error("invalid regex '" + *text + "': " + (r.re->ok() ? error : r.re->error()), node["regex"]);
      ok = false;
      continue;
    }
    check->regexes.push_back(std::move(r));
  }
  if (ok && !check->set->Compile()) {
    params.error("the regexes could not be compiled together (RE2::Set out of memory)", list);
    ok = false;
  }
  if (!ok) return nullptr;
  check->build_filter(options);
  // "at:" names the packed (regex, line, column) value of scan(), so no image of another build is misread.
  std::string canonical = std::string("content_regex_absent:at:") + (icase ? "i" : "-");
  for (const AbsentRegex& r : check->regexes) canonical += std::to_string(r.re->pattern().size()) + ":" + r.re->pattern();
  check->scan_key = probe_key(canonical);
  return check;
}

}  // namespace sotcheck::checks
