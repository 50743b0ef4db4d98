#include "sotcheck/catalog/compiled_catalog.hpp"

#include <yaml-cpp/yaml.h>

#include <cstring>
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
//   profiles: per profile, do_not_descend (list of strings)
//   batches:  count, then per batch: id, name, depends_on (ints), rules (strings), source_line
//   rules:    count, then per rule: id, title, rationale, fix, example, family, severity, batch,
//             depends_on (strings), source_file, source_line, then per profile:
//             alias_target, check node (absent for an alias), check_spec (JSON value),
//             message source, report_only, evidence (count, then key, kind, name, k, literal)
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
  void node(const YAML::Node& n) {
    switch (n.Type()) {
      case YAML::NodeType::Scalar:
        if (n.Tag().empty() || n.Tag() == "?") {
          byte(node_plain);
        } else {
          byte(node_tagged);
          string(n.Tag());
        }
        string(n.Scalar());
        return;
      case YAML::NodeType::Sequence:
        byte(node_sequence);
        varint(n.size());
        for (const auto& item : n) node(item);
        return;
      case YAML::NodeType::Map:
        byte(node_map);
        varint(n.size());
        for (const auto& kv : n) {
          string(kv.first.Scalar());
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
  YAML::Node node() {
    switch (byte()) {
      case node_null: return YAML::Node(YAML::NodeType::Null);
      case node_plain: return YAML::Node(string());
      case node_tagged: {
        const std::string tag = string();
        YAML::Node scalar(string());
        scalar.SetTag(tag);
        return scalar;
      }
      case node_sequence: {
        YAML::Node seq(YAML::NodeType::Sequence);
        for (std::size_t n = count(); n > 0; --n) seq.push_back(node());
        return seq;
      }
      case node_map: {
        YAML::Node map(YAML::NodeType::Map);
        for (std::size_t n = count(); n > 0; --n) {
          const std::string key = string();
          map[key] = node();
        }
        return map;
      }
      default: throw Damaged("unknown node tag");
    }
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

 private:
  std::span<const std::uint8_t> m_in;
  std::size_t m_pos = 0;
};

std::vector<std::uint8_t> encode(const Catalog& catalog, const ResolvedCheckNodes& resolved) {
  Writer w;
  for (char c : k_magic) w.byte(static_cast<std::uint8_t>(c));
  w.varint(k_compiled_catalog_version);
  for (const ProfileSettings& p : catalog.profiles) w.strings(p.do_not_descend);
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
      if (c.alias_target.empty()) w.node(resolved[i][p]);
      w.value(c.check_spec);
      w.string(c.message.text());
      w.byte(c.report_only ? 1 : 0);
      w.varint(c.evidence.size());
      for (const auto& e : c.evidence) {
        w.string(e.key);
        w.signed_varint(static_cast<int>(e.kind));
        w.string(e.name);
        w.signed_varint(e.k);
        w.value(e.literal);
      }
    }
  }
  return w.take();
}

/// Rebuilds one rule's check with its primitive's factory, as the YAML loader does.
void build_check(const YAML::Node& check, const Rule& rule, Profile profile, CompiledRule& out,
                 Diagnostics& diagnostics) {
  const std::string kind = check.IsMap() && check["kind"] ? check["kind"].Scalar() : "";
  const checks::CheckFactory factory = checks::find_primitive(kind);
  if (factory == nullptr) {
    diagnostics.add(rule.source_file, rule.source_line, rule.id + ": unknown check primitive '" + kind + "'");
    return;
  }
  checks::Params params(check, rule.source_file, diagnostics, rule.source_line);
  params.set_profile(profile);
  params.string("kind");
  out.check = factory(params);
  params.finish();
}

util::Result<Catalog> decode(Reader& in, std::string origin, Diagnostics& diagnostics,
                             const ProfilesReady& profiles_ready) {
  Catalog catalog;
  catalog.origin = std::move(origin);
  for (ProfileSettings& p : catalog.profiles) p.do_not_descend = in.strings();
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
    for (size_t p = 0; p < k_profile_count; ++p) {
      CompiledRule& compiled = rule.compiled[p];
      compiled.alias_target = in.string();
      if (compiled.alias_target.empty()) build_check(in.node(), rule, static_cast<Profile>(p), compiled, diagnostics);
      compiled.check_spec = in.value();
      auto message = checks::MessageTemplate::parse(in.string());
      if (!message) {
        diagnostics.add(rule.source_file, rule.source_line, rule.id + ": " + message.error());
      } else {
        compiled.message = std::move(*message);
      }
      compiled.report_only = in.byte() != 0;
      compiled.evidence.resize(in.count());
      for (checks::EvidenceItem& e : compiled.evidence) {
        e.key = in.string();
        const int kind = in.integer();
        if (kind < 0 || kind > static_cast<int>(checks::EvidenceItem::Kind::empty_when_passed))
          throw Reader::Damaged("bad evidence kind");
        e.kind = static_cast<checks::EvidenceItem::Kind>(kind);
        e.name = in.string();
        e.k = in.signed_varint();
        e.literal = in.value();
      }
    }
  }
  if (!in.at_end()) throw Reader::Damaged("trailing bytes");
  // An alias evaluates its target's check (the YAML loader copies it the same way).
  for (Rule& rule : catalog.rules)
    for (size_t p = 0; p < k_profile_count; ++p) {
      CompiledRule& compiled = rule.compiled[p];
      if (compiled.alias_target.empty()) continue;
      const auto index = catalog.index_of(compiled.alias_target);
      if (!index) {
        diagnostics.add(rule.source_file, rule.source_line,
                        rule.id + ": alias target " + compiled.alias_target + " is missing from the compiled catalog");
        continue;
      }
      compiled.check = catalog.rules[*index].compiled[p].check;
    }
  if (!diagnostics.empty()) return util::make_error("invalid compiled catalog");
  return catalog;
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
  // The embedded blob was written by this build's own compiler; anything else
  // (a stale or damaged blob) is refused with a message rather than trusted.
  try {
    Reader in(blob);
    bool magic_ok = true;
    for (char c : k_magic) magic_ok = magic_ok && in.byte() == static_cast<std::uint8_t>(c);
    if (!magic_ok || in.varint() != static_cast<std::uint64_t>(k_compiled_catalog_version)) {
      diagnostics.add(origin, 0, "not a compiled catalog of version " + std::to_string(k_compiled_catalog_version));
      return util::make_error("invalid compiled catalog");
    }
    return decode(in, origin, diagnostics, profiles_ready);
  } catch (const std::exception& e) {
    // Reader::Damaged, or a YAML exception from a primitive given a shape it did not expect.
    diagnostics.add(origin, 0, std::string("damaged compiled catalog: ") + e.what());
    return util::make_error("invalid compiled catalog");
  }
}

}  // namespace sotcheck::catalog
