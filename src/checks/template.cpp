#include "sotcheck/checks/template.hpp"

#include <regex>

#include "sotcheck/pyyaml/python_repr.hpp"

namespace sotcheck::checks {
namespace {

/// Appends repr(value): the scalars as pyyaml prints the values YAML loads as, lists and dicts around them.
void append_repr(std::string& out, const nlohmann::ordered_json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::string: pyyaml::append_str_repr(out, value.get_ref<const std::string&>()); return;
    case nlohmann::json::value_t::boolean: out += value.get<bool>() ? "True" : "False"; return;
    case nlohmann::json::value_t::null: out += "None"; return;
    case nlohmann::json::value_t::number_integer: out += std::to_string(value.get<long long>()); return;
    case nlohmann::json::value_t::number_unsigned: out += std::to_string(value.get<unsigned long long>()); return;
    case nlohmann::json::value_t::number_float: pyyaml::append_float_repr(out, value.get<double>()); return;
    case nlohmann::json::value_t::array: {
      out += '[';
      for (std::size_t i = 0; i < value.size(); ++i) {
        if (i != 0) out += ", ";
        append_repr(out, value[i]);
      }
      out += ']';
      return;
    }
    case nlohmann::json::value_t::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, item] : value.items()) {
        if (!first) out += ", ";
        first = false;
        pyyaml::append_str_repr(out, key);
        out += ": ";
        append_repr(out, item);
      }
      out += '}';
      return;
    }
    default: return;  // binary and discarded values: nothing a check outputs
  }
}

}  // namespace

std::string python_repr(const nlohmann::ordered_json& value) {
  std::string out;
  append_repr(out, value);
  return out;
}

std::string python_str(const nlohmann::ordered_json& value) {
  return value.is_string() ? value.get<std::string>() : python_repr(value);
}

util::Result<MessageTemplate> MessageTemplate::parse(const std::string& text) {
  MessageTemplate t;
  t.m_text = text;
  std::string literal;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '{' && i + 1 < text.size() && text[i + 1] == '{') {
      literal += '{';
      ++i;
      continue;
    }
    if (c == '}' && i + 1 < text.size() && text[i + 1] == '}') {
      literal += '}';
      ++i;
      continue;
    }
    if (c == '}') return util::make_error("unmatched '}' in message template \"" + text + "\"");
    if (c != '{') {
      literal += c;
      continue;
    }
    const size_t close = text.find('}', i);
    if (close == std::string::npos) return util::make_error("unterminated '{' in message template \"" + text + "\"");
    const std::string inner = text.substr(i + 1, close - i - 1);
    if (!literal.empty()) t.m_pieces.push_back({literal, "", std::nullopt, std::nullopt});
    literal.clear();
    Piece piece;
    const size_t q = inner.find('?');
    if (q == std::string::npos) {
      piece.name = inner;
    } else {
      const size_t colon = inner.find(':', q);
      if (colon == std::string::npos)
        return util::make_error("conditional placeholder {" + inner + "} needs the form {name?A:B}");
      piece.name = inner.substr(0, q);
      piece.if_true = inner.substr(q + 1, colon - q - 1);
      piece.if_false = inner.substr(colon + 1);
    }
    static const std::regex identifier("[A-Za-z_][A-Za-z0-9_.]*");
    if (!std::regex_match(piece.name, identifier))
      return util::make_error("placeholder {" + inner + "} is not an output name");
    t.m_pieces.push_back(std::move(piece));
    i = close;
  }
  if (!literal.empty()) t.m_pieces.push_back({literal, "", std::nullopt, std::nullopt});
  return t;
}

namespace {
const nlohmann::ordered_json* lookup_output(const nlohmann::ordered_json& values, const std::string& name) {
  auto it = values.find(name);
  return it == values.end() ? nullptr : &*it;
}
}  // namespace

std::string MessageTemplate::render(const nlohmann::ordered_json& values, bool passed) const {
  std::string out;
  for (const Piece& p : m_pieces) {
    if (p.name.empty()) {
      out += p.literal;
      continue;
    }
    const nlohmann::ordered_json passed_value = passed;
    const nlohmann::ordered_json* v = p.name == "passed" ? &passed_value : lookup_output(values, p.name);
    if (p.if_true) {
      const bool truthy = v != nullptr && v->is_boolean() && v->get<bool>();
      out += truthy ? *p.if_true : *p.if_false;
    } else if (v != nullptr) {
      out += python_str(*v);
    }
  }
  return out;
}

std::vector<std::string> MessageTemplate::names() const {
  std::vector<std::string> out;
  for (const Piece& p : m_pieces)
    if (!p.name.empty()) out.push_back(p.name);
  return out;
}

util::Result<EvidenceItem> EvidenceItem::parse_expression(std::string key, const std::string& expression) {
  // Catalog-time parsing of a handful of fixed shapes; std::regex is fine here
  // (it never touches repository content).
  static const std::regex name_re(R"(\s*([A-Za-z_][A-Za-z0-9_.]*)\s*)");
  static const std::regex first_re(R"(\s*first\(\s*([0-9]+)\s*,\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\)\s*)");
  static const std::regex count_re(R"(\s*count\(\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\)\s*)");
  static const std::regex empty_re(R"(\s*passed\s*\?\s*\[\]\s*:\s*([A-Za-z_][A-Za-z0-9_.]*)\s*)");
  EvidenceItem item;
  item.key = std::move(key);
  std::smatch m;
  if (std::regex_match(expression, m, first_re)) {
    item.kind = Kind::first;
    item.k = std::stoll(m[1].str());
    item.name = m[2].str();
  } else if (std::regex_match(expression, m, count_re)) {
    item.kind = Kind::count;
    item.name = m[1].str();
  } else if (std::regex_match(expression, m, empty_re)) {
    item.kind = Kind::empty_when_passed;
    item.name = m[1].str();
  } else if (std::regex_match(expression, m, name_re)) {
    item.kind = Kind::output;
    item.name = m[1].str();
  } else {
    return util::make_error("evidence '" + item.key + "': cannot read expression \"" + expression +
                            "\" (write an output name, first(k, name), count(name), \"passed ? [] : name\", "
                            "or {literal: text})");
  }
  return item;
}

nlohmann::ordered_json EvidenceItem::evaluate(const nlohmann::ordered_json& values, bool passed) const {
  if (kind == Kind::literal) return literal;
  if (kind == Kind::output && name == "passed") return passed;
  const nlohmann::ordered_json* v = lookup_output(values, name);
  if (v == nullptr) return nullptr;
  switch (kind) {
    case Kind::output: return *v;
    case Kind::count: return v->is_array() || v->is_object() ? v->size() : 0;
    case Kind::first: {
      if (!v->is_array() || static_cast<long long>(v->size()) <= k) return *v;
      nlohmann::ordered_json out = nlohmann::ordered_json::array();
      for (long long i = 0; i < k; ++i) out.push_back((*v)[static_cast<size_t>(i)]);
      return out;
    }
    case Kind::empty_when_passed: return passed ? nlohmann::ordered_json::array() : *v;
    default: return nullptr;
  }
}

}  // namespace sotcheck::checks
