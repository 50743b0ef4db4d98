// TextPredicate (text_predicate.hpp): parsing from the catalog, evaluation on
// one text, and the canonical text that names it as a fused-scan probe.

#include "sotcheck/checks/text_predicate.hpp"

#include <algorithm>
#include <initializer_list>

#include "sotcheck/checks/literal_search.hpp"
#include "sotcheck/util/strings.hpp"

namespace sotcheck::checks {

namespace {

bool scalar_bool(const ParamNode& node, bool* value) {
  if (!node.is_scalar() || node.tag() == "!") return false;  // a quoted "true" is text, not a constant
  const auto parsed = node.to_bool();
  if (parsed) *value = *parsed;
  return parsed.has_value();
}

void check_map_keys(Params& params, const ParamNode& node, std::initializer_list<const char*> allowed) {
  for (const auto& kv : node) {
    const std::string key = kv.first.scalar();
    bool ok = false;
    for (const char* a : allowed) ok = ok || key == a;
    if (!ok) params.error("unknown key '" + key + "' in a text predicate", kv.first);
  }
}

bool flag_of(Params& params, const ParamNode& node, const char* key) {
  const ParamNode v = node[key];
  if (!v.is_defined() || v.is_null()) return false;
  bool value = false;
  if (!scalar_bool(v, &value)) params.error(std::string("'") + key + "' must be true or false", v);
  return value;
}

}  // namespace

std::size_t TextPredicate::parse_node(Params& params, const ParamNode& node, bool* ok) {
  Node out;
  bool constant = false;
  if (scalar_bool(node, &constant)) {
    out.kind = Node::Kind::constant;
    out.value = constant;
    m_nodes.push_back(std::move(out));
    return m_nodes.size() - 1;
  }
  const auto fail = [&](const std::string& message, const ParamNode& at) {
    params.error(message, at);
    *ok = false;
    m_nodes.push_back(Node{});
    return m_nodes.size() - 1;
  };
  if (!node.is_map()) {
    return fail("a text predicate is a map (contains, regex, all, any, not, at_least) or true/false", node);
  }
  const auto children_of = [&](const ParamNode& list, const char* what) {
    std::vector<std::size_t> children;
    if (!list.is_sequence()) {
      params.error(std::string("'") + what + "' must be a list of text predicates", list);
      *ok = false;
      return children;
    }
    for (const auto& child : list) children.push_back(parse_node(params, child, ok));
    return children;
  };
  if (node["contains"]) {
    check_map_keys(params, node, {"contains", "ci", "word"});
    if (!node["contains"].is_scalar()) return fail("'contains' must be a string", node["contains"]);
    out.kind = Node::Kind::literal;
    out.literal = node["contains"].scalar();
    out.ci = flag_of(params, node, "ci");
    out.word = flag_of(params, node, "word");
    if (out.literal.empty()) return fail("'contains' must not be empty", node["contains"]);
    if (out.ci && std::any_of(out.literal.begin(), out.literal.end(), [](char c) { return c >= 'A' && c <= 'Z'; }))
      return fail("a case-insensitive literal is compared with the lower-cased text, so it must be lowercase: '" +
                      out.literal + "'",
                  node["contains"]);
  } else if (node["regex"]) {
    check_map_keys(params, node, {"regex", "icase"});
    if (!node["regex"].is_scalar()) return fail("'regex' must be a string", node["regex"]);
    RE2::Options options;
    options.set_log_errors(false);
    options.set_case_sensitive(!flag_of(params, node, "icase"));
    auto re = std::make_shared<RE2>(node["regex"].scalar(), options);
    if (!re->ok()) return fail("invalid regex '" + node["regex"].scalar() + "': " + re->error(), node["regex"]);
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
    const auto k = node["at_least"].to_integer();
    if (!k) return fail("'at_least' must be an integer", node["at_least"]);
    out.k = *k;
    out.children = children_of(node["of"], "of");
  } else {
    return fail("a text predicate needs one of: contains, regex, all, any, not, at_least", node);
  }
  m_nodes.push_back(std::move(out));
  return m_nodes.size() - 1;
}

std::shared_ptr<const TextPredicate> TextPredicate::parse(Params& params, const ParamNode& node) {
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
    out.push_back(util::to_lower_ascii(m_nodes[i].literal));
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

}  // namespace sotcheck::checks
