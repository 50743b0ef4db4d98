#include "sotcheck/catalog/compiled_catalog.hpp"

#include <yaml-cpp/yaml.h>

#include <cstring>
#include <mutex>
#include <stdexcept>
#include <string_view>

#include "resolved_checks.hpp"
#include "sotcheck/checks/params.hpp"
#include "sotcheck/checks/registry.hpp"

namespace sotcheck::catalog {
namespace {

using json = nlohmann::ordered_json;
using util::Diagnostics;

// The layout: a flat byte stream read front to back, with no document model
// in between (a JSON/CBOR DOM of the whole catalog cost more than the rest of
// the load). Integers are LEB128 varints (signed ones zigzag-encoded), strings a
// length then bytes, lists a count then items.
//   magic "SOTC", version
//   profiles: per profile, do_not_descend, query_excluded_dirs (lists of strings)
//   batches:  count, then per batch: id, name, depends_on (ints), rules (strings), source_line
//   rules:    count, then per rule: id, title, rationale, fix, example, family, severity, batch,
//             depends_on (strings), source_file, source_line, then per profile:
//             alias_target, then the profile's form as a length-prefixed record (so a load can
//             step over it and build it on first use): check node (absent for an alias),
//             check_spec (JSON value), message source, report_only, evidence (count, then
//             key, kind, name, k, literal)
//   node:     0 null | 1 plain scalar: text | 2 tagged scalar: tag, text | 3 sequence: items
//             | 4 map: pairs of key text and value node
//   JSON:     0 null | 1 false | 2 true | 3 signed integer | 4 unsigned integer | 5 double (8 bytes)
//             | 6 string | 7 array | 8 object (pairs of key and value)
constexpr char k_magic[4] = {'S', 'O', 'T', 'C'};

enum NodeTag : std::uint8_t { node_null, node_plain, node_tagged, node_sequence, node_map };
enum JsonTag : std::uint8_t { json_null, json_false, json_true, json_int, json_uint, json_double, json_string,
                              json_array, json_object };

class Writer {
 public:
  void byte(std::uint8_t b) { m_out.push_back(b); }
  void varint(std::uint64_t v) {
    while (v >= 0x80) {
      byte(static_cast<std::uint8_t>(v | 0x80));
      v >>= 7;
    }
    byte(static_cast<std::uint8_t>(v));
  }
  void signed_varint(std::int64_t v) {
    varint((static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63));
  }
  void string(std::string_view s) {
    varint(s.size());
    m_out.insert(m_out.end(), s.begin(), s.end());
  }
  void strings(const std::vector<std::string>& list) {
    varint(list.size());
    for (const auto& s : list) string(s);
  }
  void node(const checks::ParamNode& n) {
    switch (n.type()) {
      case checks::ParamNode::Type::scalar:
        if (n.tag().empty()) {
          byte(node_plain);
        } else {
          byte(node_tagged);
          string(n.tag());
        }
        string(n.scalar());
        return;
      case checks::ParamNode::Type::sequence:
        byte(node_sequence);
        varint(n.size());
        for (const checks::ParamNode& item : n) node(item);
        return;
      case checks::ParamNode::Type::map:
        byte(node_map);
        varint(n.size());
        for (const auto& kv : n) {
          string(kv.first.scalar());
          node(kv.second);
        }
        return;
      default: byte(node_null);
    }
  }
  void value(const json& j) {
    switch (j.type()) {
      case json::value_t::boolean: byte(j.get<bool>() ? json_true : json_false); return;
      case json::value_t::number_integer: byte(json_int); signed_varint(j.get<std::int64_t>()); return;
      case json::value_t::number_unsigned: byte(json_uint); varint(j.get<std::uint64_t>()); return;
      case json::value_t::number_float: {
        byte(json_double);
        const double d = j.get<double>();
        std::uint8_t raw[sizeof d];
        std::memcpy(raw, &d, sizeof d);
        m_out.insert(m_out.end(), raw, raw + sizeof d);
        return;
      }
      case json::value_t::string: byte(json_string); string(j.get_ref<const std::string&>()); return;
      case json::value_t::array:
        byte(json_array);
        varint(j.size());
        for (const json& item : j) value(item);
        return;
      case json::value_t::object:
        byte(json_object);
        varint(j.size());
        for (const auto& [key, item] : j.items()) {
          string(key);
          value(item);
        }
        return;
      default: byte(json_null);
    }
  }
  /// Appends `record` (another Writer's bytes) after its length.
  void record(const std::vector<std::uint8_t>& bytes) {
    varint(bytes.size());
    m_out.insert(m_out.end(), bytes.begin(), bytes.end());
  }
  std::vector<std::uint8_t> take() { return std::move(m_out); }

 private:
  std::vector<std::uint8_t> m_out;
};

/// Reads what Writer wrote; any overrun or unknown tag throws Damaged.
class Reader {
 public:
  struct Damaged : std::runtime_error {
    using std::runtime_error::runtime_error;
  };
  explicit Reader(std::span<const std::uint8_t> in) : m_in(in) {}
  std::uint8_t byte() {
    if (m_pos >= m_in.size()) throw Damaged("truncated");
    return m_in[m_pos++];
  }
  std::uint64_t varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      const std::uint8_t b = byte();
      v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return v;
    }
    throw Damaged("overlong integer");
  }
  std::int64_t signed_varint() {
    const std::uint64_t v = varint();
    return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
  }
  int integer() { return static_cast<int>(signed_varint()); }
  std::size_t count() {
    const std::uint64_t n = varint();
    if (n > m_in.size() - m_pos) throw Damaged("count beyond the end");  // every item takes at least a byte
    return static_cast<std::size_t>(n);
  }
  std::string_view view() {
    const std::size_t n = count();
    const std::string_view s(reinterpret_cast<const char*>(m_in.data() + m_pos), n);
    m_pos += n;
    return s;
  }
  std::string string() { return std::string(view()); }
  std::vector<std::string> strings() {
    std::vector<std::string> out(count());
    for (auto& s : out) s = string();
    return out;
  }
  /// Decodes the next node into `tree` (which the caller made empty), its root first.
  checks::ParamTree::Index node_into(checks::ParamTree& tree) {
    switch (byte()) {
      case node_null: return tree.add_null();
      case node_plain: return tree.add_scalar(string());
      case node_tagged: {
        std::string tag = string();
        return tree.add_scalar(string(), std::move(tag));
      }
      case node_sequence: {
        const checks::ParamTree::Index list = tree.add_sequence();
        for (std::size_t n = count(); n > 0; --n) {
          const checks::ParamTree::Index item = node_into(tree);
          tree.append_item(list, item);
        }
        return list;
      }
      case node_map: {
        const checks::ParamTree::Index map = tree.add_map();
        for (std::size_t n = count(); n > 0; --n) {
          const checks::ParamTree::Index key = tree.add_scalar(string());
          const checks::ParamTree::Index value = node_into(tree);
          tree.append_entry(map, key, value);
        }
        return map;
      }
      default: throw Damaged("unknown node tag");
    }
  }
  /// Steps over a node, checking its shape as node() would, building nothing.
  void skip_node() {
    switch (byte()) {
      case node_null: return;
      case node_plain: view(); return;
      case node_tagged: view(); view(); return;
      case node_sequence: skip_items(false, [this] { skip_node(); }); return;
      case node_map: skip_items(true, [this] { skip_node(); }); return;
      default: throw Damaged("unknown node tag");
    }
  }
  /// Steps over a JSON value as value() would read it.
  void skip_value() {
    switch (byte()) {
      case json_null: case json_false: case json_true: return;
      case json_int: case json_uint: varint(); return;
      case json_double:
        if (m_in.size() - m_pos < sizeof(double)) throw Damaged("truncated");
        m_pos += sizeof(double);
        return;
      case json_string: view(); return;
      case json_array: skip_items(false, [this] { skip_value(); }); return;
      case json_object: skip_items(true, [this] { skip_value(); }); return;
      default: throw Damaged("unknown value tag");
    }
  }
  /// Steps over a counted list of items, each after its key when `keyed` (a map).
  template <typename SkipItem>
  void skip_items(bool keyed, SkipItem skip_item) {
    for (std::size_t n = count(); n > 0; --n) {
      if (keyed) view();
      skip_item();
    }
  }
  /// The next length-prefixed record's bytes; the reader moves past them.
  std::span<const std::uint8_t> record() {
    const std::size_t n = count();
    const auto bytes = m_in.subspan(m_pos, n);
    m_pos += n;
    return bytes;
  }
  json value() {
    switch (byte()) {
      case json_null: return nullptr;
      case json_false: return false;
      case json_true: return true;
      case json_int: return signed_varint();
      case json_uint: return varint();
      case json_double: {
        if (m_in.size() - m_pos < sizeof(double)) throw Damaged("truncated");
        double d = 0;
        std::memcpy(&d, m_in.data() + m_pos, sizeof d);
        m_pos += sizeof d;
        return d;
      }
      case json_string: return string();
      case json_array: {
        json list = json::array();
        const std::size_t n = count();
        list.get_ref<json::array_t&>().reserve(n);
        for (std::size_t i = 0; i < n; ++i) list.push_back(value());
        return list;
      }
      case json_object: {
        json map = json::object();
        for (std::size_t n = count(); n > 0; --n) {
          std::string key = string();
          map.emplace(std::move(key), value());
        }
        return map;
      }
      default: throw Damaged("unknown value tag");
    }
  }
  bool at_end() const { return m_pos == m_in.size(); }
  std::size_t position() const { return m_pos; }

 private:
  std::span<const std::uint8_t> m_in;
  std::size_t m_pos = 0;
};

std::vector<std::uint8_t> encode(const Catalog& catalog, const ResolvedCheckNodes& resolved) {
  Writer w;
  for (char c : k_magic) w.byte(static_cast<std::uint8_t>(c));
  w.varint(k_compiled_catalog_version);
  for (const ProfileSettings& p : catalog.profiles) {
    w.strings(p.do_not_descend);
    w.strings(p.query_excluded_dirs);
  }
  w.varint(catalog.batches.size());
  for (const BatchSpec& b : catalog.batches) {
    w.signed_varint(b.id);
    w.string(b.name);
    w.varint(b.depends_on.size());
    for (int d : b.depends_on) w.signed_varint(d);
    w.strings(b.rules);
    w.signed_varint(b.source_line);
  }
  w.varint(catalog.rules.size());
  for (size_t i = 0; i < catalog.rules.size(); ++i) {
    const Rule& r = catalog.rules[i];
    for (const std::string* s : {&r.id, &r.title, &r.rationale, &r.fix, &r.example, &r.family}) w.string(*s);
    w.signed_varint(static_cast<int>(r.severity));
    w.signed_varint(r.batch);
    w.strings(r.depends_on);
    w.string(r.source_file);
    w.signed_varint(r.source_line);
    for (size_t p = 0; p < k_profile_count; ++p) {
      const CompiledRule& c = r.compiled[p];
      w.string(c.alias_target);
      Writer form;
      // Stored as the tree the YAML loader hands the factory (ParamTree::from_yaml), so both loads
      // give the factories the same parameters.
      if (c.alias_target.empty()) form.node(checks::ParamTree::from_yaml(resolved[i][p]).root());
      form.value(c.check_spec);
      form.string(c.message.text());
      form.byte(c.report_only ? 1 : 0);
      form.varint(c.evidence.size());
      for (const auto& e : c.evidence) {
        form.string(e.key);
        form.signed_varint(static_cast<int>(e.kind));
        form.string(e.name);
        form.signed_varint(e.k);
        form.value(e.literal);
      }
      w.record(form.take());
    }
  }
  return w.take();
}

/// Steps over one profile's form, checking its shape as build_form reads it,
/// so a damaged blob is refused when it is loaded rather than when a rule is first used.
void check_form(std::span<const std::uint8_t> form, bool alias) {
  Reader in(form);
  if (!alias) in.skip_node();
  in.skip_value();
  in.view();
  in.byte();
  for (std::size_t n = in.count(); n > 0; --n) {
    in.view();
    const std::int64_t kind = in.signed_varint();
    if (kind < 0 || kind > static_cast<int>(checks::EvidenceItem::Kind::empty_when_passed))
      throw Reader::Damaged("bad evidence kind");
    in.view();
    in.varint();
    in.skip_value();
  }
  if (!in.at_end()) throw Reader::Damaged("trailing bytes in a rule");
}

/// A check that cannot be built: evaluating it is an ERROR verdict naming why.
/// Only a compiled catalog that disagrees with this build's primitives gets
/// here (the load already checked the blob's shape).
class UnbuildableCheck final : public checks::Check {
 public:
  explicit UnbuildableCheck(std::string why) : m_why(std::move(why)) {}
  checks::Outputs evaluate(const checks::EvalContext&) const override { throw std::runtime_error(m_why); }

 private:
  std::string m_why;
};

/// The blob a compiled catalog was loaded from: the embedded bytes (static)
/// or a copy of the caller's, shared by every deferred rule.
struct BlobBytes {
  std::vector<std::uint8_t> owned;
  std::span<const std::uint8_t> bytes;
  std::array<checks::ProfileContext, k_profile_count> contexts;  ///< filled by decode from the profiles
};

/// One rule of a compiled catalog whose per-profile forms are built from the
/// blob on first use (model.hpp DeferredCompiledRule).
class DeferredRule final : public DeferredCompiledRule {
 public:
  struct Form {
    std::string alias_target;
    std::span<const std::uint8_t> bytes;
    std::shared_ptr<const DeferredRule> alias;  ///< the target's forms, for an alias
  };
  DeferredRule(std::shared_ptr<const BlobBytes> blob, const Rule& rule) : m_blob(std::move(blob)) {
    m_id = rule.id;
    m_source_file = rule.source_file;
    m_source_line = rule.source_line;
  }
  std::array<Form, k_profile_count> forms;

  const CompiledRule& get(Profile p) const override {
    const auto i = static_cast<size_t>(p);
    std::call_once(m_once[i], [&] { build(p, m_built[i]); });
    return m_built[i];
  }

 private:
  void build(Profile p, CompiledRule& out) const;

  std::shared_ptr<const BlobBytes> m_blob;  // keeps the forms' bytes alive
  std::string m_id, m_source_file;
  int m_source_line = 0;
  mutable std::array<std::once_flag, k_profile_count> m_once;
  mutable std::array<CompiledRule, k_profile_count> m_built;
};

/// Rebuilds one profile's form: the check with its primitive's factory, as
/// the YAML loader does, then the message and evidence.
void DeferredRule::build(Profile p, CompiledRule& out) const {
  const Form& form = forms[static_cast<size_t>(p)];
  Diagnostics diagnostics;
  try {
    Reader in(form.bytes);
    out.alias_target = form.alias_target;
    if (form.alias) {
      out.check = form.alias->get(p).check;  // an alias evaluates its target's check
    } else {
      checks::ParamTree parameters;
      parameters.reserve(form.bytes.size() / 4 + 4);  // a node takes a few bytes: the tree rarely regrows
      in.node_into(parameters);
      const checks::ParamNode check = parameters.root();
      const std::string& kind = check["kind"].scalar();
      const checks::CheckFactory factory = checks::find_primitive(kind);
      if (factory == nullptr) {
        diagnostics.add(m_source_file, m_source_line, m_id + ": unknown check primitive '" + kind + "'");
      } else {
        checks::Params params(check, m_source_file, diagnostics, m_source_line);
        params.set_profile(m_blob->contexts[static_cast<size_t>(p)]);
        params.string("kind");
        out.check = factory(params);
        params.finish();
      }
    }
    // Decoded when something reads it (`rules show`, SARIF's help text); a run's checks never do.
    const std::size_t spec_start = in.position();
    in.skip_value();
    const auto spec_bytes = form.bytes.subspan(spec_start, in.position() - spec_start);
    out.check_spec = CheckSpec::deferred([blob = m_blob, spec_bytes] { return Reader(spec_bytes).value(); });
    auto message = checks::MessageTemplate::parse(in.string());
    if (!message) {
      diagnostics.add(m_source_file, m_source_line, m_id + ": " + message.error());
    } else {
      out.message = std::move(*message);
    }
    out.report_only = in.byte() != 0;
    out.evidence.resize(in.count());
    for (checks::EvidenceItem& e : out.evidence) {
      e.key = in.string();
      e.kind = static_cast<checks::EvidenceItem::Kind>(in.integer());  // range checked by check_form
      e.name = in.string();
      e.k = in.signed_varint();
      e.literal = in.value();
    }
  } catch (const std::exception& e) {
    // An exception from a primitive given a shape it did not expect.
    diagnostics.add(m_source_file, m_source_line, m_id + ": " + e.what());
  }
  if (!diagnostics.empty())
    out.check = std::make_shared<UnbuildableCheck>("the compiled catalog's rule " + m_id + " (" +
                                                   std::string(profile_name(p)) +
                                                   ") does not build: " + diagnostics.to_string());
}

util::Result<Catalog> decode(Reader& in, const std::shared_ptr<BlobBytes>& blob, std::string origin,
                             Diagnostics& diagnostics, const ProfilesReady& profiles_ready) {
  Catalog catalog;
  catalog.origin = std::move(origin);
  for (size_t p = 0; p < k_profile_count; ++p) {
    ProfileSettings& settings = catalog.profiles[p];
    settings.do_not_descend = in.strings();
    settings.query_excluded_dirs = in.strings();
    blob->contexts[p] = profile_context(static_cast<Profile>(p), settings);
  }
  if (profiles_ready) profiles_ready(catalog.profiles);
  catalog.batches.resize(in.count());
  for (BatchSpec& b : catalog.batches) {
    b.id = in.integer();
    b.name = in.string();
    b.depends_on.resize(in.count());
    for (int& d : b.depends_on) d = in.integer();
    b.rules = in.strings();
    b.source_line = in.integer();
  }
  catalog.rules.resize(in.count());
  std::vector<std::shared_ptr<DeferredRule>> deferred;
  deferred.reserve(catalog.rules.size());
  for (Rule& rule : catalog.rules) {
    for (std::string* s : {&rule.id, &rule.title, &rule.rationale, &rule.fix, &rule.example, &rule.family})
      *s = in.string();
    const int severity = in.integer();
    if (severity < 0 || severity > static_cast<int>(Severity::info)) throw Reader::Damaged("bad severity");
    rule.severity = static_cast<Severity>(severity);
    rule.batch = in.integer();
    rule.depends_on = in.strings();
    rule.source_file = in.string();
    rule.source_line = in.integer();
    auto lazy = std::make_shared<DeferredRule>(blob, rule);
    for (DeferredRule::Form& form : lazy->forms) {
      form.alias_target = in.string();
      form.bytes = in.record();
      check_form(form.bytes, !form.alias_target.empty());
    }
    deferred.push_back(lazy);
    rule.deferred = std::move(lazy);
  }
  if (!in.at_end()) throw Reader::Damaged("trailing bytes");
  // An alias evaluates its target's check (the YAML loader copies it the same way).
  for (size_t r = 0; r < catalog.rules.size(); ++r)
    for (size_t p = 0; p < k_profile_count; ++p) {
      DeferredRule::Form& form = deferred[r]->forms[p];
      if (form.alias_target.empty()) continue;
      const auto index = catalog.index_of(form.alias_target);
      if (!index || !deferred[*index]->forms[p].alias_target.empty()) {
        const Rule& rule = catalog.rules[r];
        diagnostics.add(rule.source_file, rule.source_line,
                        rule.id + ": alias target " + form.alias_target + " is missing from the compiled catalog");
        continue;
      }
      form.alias = deferred[*index];
    }
  if (!diagnostics.empty()) return util::make_error("invalid compiled catalog");
  return catalog;
}

/// Loads `blob.bytes`, which the catalog keeps (its rules are built from them on first use).
util::Result<Catalog> load_blob(std::shared_ptr<BlobBytes> blob, std::string origin, Diagnostics& diagnostics,
                                const ProfilesReady& profiles_ready) {
  // The embedded blob was written by this build's own compiler; anything else
  // (a stale or damaged blob) is refused with a message rather than trusted.
  try {
    Reader in(blob->bytes);
    bool magic_ok = true;
    for (char c : k_magic) magic_ok = magic_ok && in.byte() == static_cast<std::uint8_t>(c);
    if (!magic_ok || in.varint() != static_cast<std::uint64_t>(k_compiled_catalog_version)) {
      diagnostics.add(origin, 0, "not a compiled catalog of version " + std::to_string(k_compiled_catalog_version));
      return util::make_error("invalid compiled catalog");
    }
    return decode(in, blob, origin, diagnostics, profiles_ready);
  } catch (const std::exception& e) {
    diagnostics.add(origin, 0, std::string("damaged compiled catalog: ") + e.what());
    return util::make_error("invalid compiled catalog");
  }
}

}  // namespace

util::Result<std::vector<std::uint8_t>> compile_catalog(const std::vector<SourceFile>& files,
                                                        Diagnostics& diagnostics) {
  ResolvedCheckNodes resolved;
  auto catalog = load_catalog_capturing(files, "compiled", diagnostics, {}, &resolved);
  if (!catalog) return util::make_error(catalog.error());
  return encode(*catalog, resolved);
}

util::Result<std::vector<std::uint8_t>> compile_catalog_directory(const std::string& directory,
                                                                  Diagnostics& diagnostics) {
  auto files = read_catalog_directory(directory, diagnostics);
  if (!files) return util::make_error(files.error());
  return compile_catalog(*files, diagnostics);
}

util::Result<Catalog> load_compiled_catalog(std::span<const std::uint8_t> blob, std::string origin,
                                            Diagnostics& diagnostics, const ProfilesReady& profiles_ready) {
  auto owned = std::make_shared<BlobBytes>();
  owned->owned.assign(blob.begin(), blob.end());
  owned->bytes = owned->owned;
  return load_blob(std::move(owned), std::move(origin), diagnostics, profiles_ready);
}

util::Result<Catalog> load_static_compiled_catalog(std::span<const std::uint8_t> blob, std::string origin,
                                                   Diagnostics& diagnostics, const ProfilesReady& profiles_ready) {
  auto shared = std::make_shared<BlobBytes>();
  shared->bytes = blob;
  return load_blob(std::move(shared), std::move(origin), diagnostics, profiles_ready);
}

}  // namespace sotcheck::catalog
