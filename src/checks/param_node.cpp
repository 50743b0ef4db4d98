// ParamNode and ParamTree (param_node.hpp): a check's parameters as a flat
// vector of records; children are linked lists (first/next), so a tree is
// built front to back, in one pass, without knowing sizes ahead.

#include "sotcheck/checks/param_node.hpp"

#include <yaml-cpp/yaml.h>

#include <utility>

namespace sotcheck::checks {
namespace {

const std::string k_empty;

/// yaml-cpp's own conversion of `text`, so numbers and booleans read exactly as
/// they did when factories read yaml-cpp nodes (hex, octal, "yes"/"off", ...).
template <typename T>
std::optional<T> convert_scalar(const std::string& text) {
  T value{};
  if (YAML::convert<T>::decode(YAML::Node(text), value)) return value;
  return std::nullopt;
}

ParamMark mark_of(const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  return ParamMark{mark.line, mark.column};
}

ParamTree::Index copy_yaml(ParamTree& tree, const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar: {
      const std::string& tag = node.Tag();
      return tree.add_scalar(node.Scalar(), tag == "?" ? std::string() : tag, mark_of(node));
    }
    case YAML::NodeType::Sequence: {
      const ParamTree::Index list = tree.add_sequence(mark_of(node));
      for (const auto& item : node) tree.append_item(list, copy_yaml(tree, item));
      return list;
    }
    case YAML::NodeType::Map: {
      const ParamTree::Index map = tree.add_map(mark_of(node));
      for (const auto& kv : node) {
        const ParamTree::Index key = tree.add_scalar(kv.first.Scalar(), {}, mark_of(kv.first));
        tree.append_entry(map, key, copy_yaml(tree, kv.second));
      }
      return map;
    }
    case YAML::NodeType::Null:
      return tree.add_null(mark_of(node));
    case YAML::NodeType::Undefined:
      break;
  }
  return tree.add_null();  // only the root can be undefined; from_yaml handles it
}

}  // namespace

ParamNode::Type ParamNode::type() const {
  return m_tree == nullptr ? Type::undefined : m_tree->m_records[m_index].type;
}

const std::string& ParamNode::scalar() const {
  return is_scalar() ? m_tree->m_records[m_index].text : k_empty;
}

const std::string& ParamNode::tag() const {
  return m_tree == nullptr ? k_empty : m_tree->m_records[m_index].tag;
}

ParamMark ParamNode::mark() const {
  return m_tree == nullptr ? ParamMark{} : m_tree->m_records[m_index].mark;
}

std::size_t ParamNode::size() const {
  const Type t = type();
  return t == Type::sequence || t == Type::map ? m_tree->m_records[m_index].count : 0;
}

ParamNode ParamNode::operator[](std::string_view key) const {
  if (!is_map()) return {};
  const auto& records = m_tree->m_records;
  for (ParamTree::Index i = records[m_index].first; i != ParamTree::k_none; i = records[i].next)
    if (records[records[i].key].text == key) return ParamNode(m_tree, i);
  return {};
}

ParamNode ParamNode::item(std::size_t index) const {
  if (!is_sequence()) return {};
  const auto& records = m_tree->m_records;
  ParamTree::Index i = records[m_index].first;
  for (; i != ParamTree::k_none && index > 0; --index) i = records[i].next;
  return i == ParamTree::k_none ? ParamNode() : ParamNode(m_tree, i);
}

ParamNode::Iterator ParamNode::begin() const {
  const Type t = type();
  if (t != Type::sequence && t != Type::map) return end();
  return Iterator(m_tree, m_tree->m_records[m_index].first, t == Type::map);
}

ParamNode::Iterator ParamNode::end() const {
  return Iterator(m_tree, ParamTree::k_none, false);
}

std::optional<long long> ParamNode::to_integer() const {
  if (!is_scalar()) return std::nullopt;
  // The common case read directly: a plain decimal ("0", "-12"), no leading zero (yaml-cpp reads octal
  // there), short enough not to overflow. Anything else takes yaml-cpp's own stream conversion.
  const std::string& text = scalar();
  const std::size_t digits_from = !text.empty() && text[0] == '-' ? 1 : 0;
  const std::size_t digits = text.size() - digits_from;
  if (digits >= 1 && digits <= 18 && (digits == 1 || text[digits_from] != '0') &&
      text.find_first_not_of("0123456789", digits_from) == std::string::npos) {
    long long value = 0;
    for (std::size_t i = digits_from; i < text.size(); ++i) value = value * 10 + (text[i] - '0');
    return digits_from == 1 ? -value : value;
  }
  return convert_scalar<long long>(text);
}

std::optional<bool> ParamNode::to_bool() const {
  if (!is_scalar()) return std::nullopt;
  return convert_scalar<bool>(scalar());
}

std::optional<double> ParamNode::to_double() const {
  if (!is_scalar()) return std::nullopt;
  return convert_scalar<double>(scalar());
}

ParamItem ParamNode::Iterator::operator*() const {
  ParamItem item;
  const ParamNode node(m_tree, m_index);
  if (m_map) {
    item.first = ParamNode(m_tree, m_tree->m_records[m_index].key);
    item.second = node;
  } else {
    static_cast<ParamNode&>(item) = node;
  }
  return item;
}

ParamNode::Iterator& ParamNode::Iterator::operator++() {
  m_index = m_tree->m_records[m_index].next;
  return *this;
}

ParamTree ParamTree::from_yaml(const YAML::Node& node) {
  ParamTree tree;
  if (node.IsDefined()) copy_yaml(tree, node);
  return tree;
}

ParamTree::Index ParamTree::add(ParamNode::Type type, ParamMark mark) {
  Record& record = m_records.emplace_back();
  record.type = type;
  record.mark = mark;
  return static_cast<Index>(m_records.size() - 1);
}

ParamTree::Index ParamTree::add_null(ParamMark mark) {
  return add(ParamNode::Type::null, mark);
}

ParamTree::Index ParamTree::add_scalar(std::string text, std::string tag, ParamMark mark) {
  const Index index = add(ParamNode::Type::scalar, mark);
  m_records[index].text = std::move(text);
  m_records[index].tag = std::move(tag);
  return index;
}

ParamTree::Index ParamTree::add_sequence(ParamMark mark) {
  return add(ParamNode::Type::sequence, mark);
}

ParamTree::Index ParamTree::add_map(ParamMark mark) {
  return add(ParamNode::Type::map, mark);
}

ParamTree::Index ParamTree::add_copy(const ParamNode& node) {
  switch (node.type()) {
    case ParamNode::Type::scalar:
      return add_scalar(node.scalar(), node.tag(), node.mark());
    case ParamNode::Type::sequence: {
      const Index list = add_sequence(node.mark());
      for (const ParamNode& item : node) append_item(list, add_copy(item));
      return list;
    }
    case ParamNode::Type::map: {
      const Index map = add_map(node.mark());
      for (const auto& kv : node) {
        const Index key = add_copy(kv.first);
        append_entry(map, key, add_copy(kv.second));
      }
      return map;
    }
    case ParamNode::Type::null:
    case ParamNode::Type::undefined:
      break;
  }
  return add_null(node.mark());
}

void ParamTree::link(Index parent, Index child) {
  Record& p = m_records[parent];
  if (p.last == k_none) {
    p.first = child;
  } else {
    m_records[p.last].next = child;
  }
  p.last = child;
  ++p.count;
}

void ParamTree::append_item(Index parent, Index item) {
  link(parent, item);
}

void ParamTree::append_entry(Index parent, Index key, Index value) {
  m_records[value].key = key;
  link(parent, value);
}

namespace {

void append_fingerprint(const ParamNode& node, std::string* out) {
  // Every text carries its length, so no text can imitate the structure around it.
  const auto text = [out](const std::string& s) {
    *out += std::to_string(s.size());
    *out += ':';
    *out += s;
  };
  switch (node.type()) {
    case ParamNode::Type::scalar:
      *out += 's';
      text(node.tag());
      text(node.scalar());
      return;
    case ParamNode::Type::sequence:
      *out += '[';
      for (const ParamNode& item : node) append_fingerprint(item, out);
      *out += ']';
      return;
    case ParamNode::Type::map:
      *out += '{';
      for (const auto& kv : node) {
        text(kv.first.scalar());
        append_fingerprint(kv.second, out);
      }
      *out += '}';
      return;
    case ParamNode::Type::null:
      *out += 'n';
      return;
    case ParamNode::Type::undefined:
      *out += 'u';
      return;
  }
}

}  // namespace

std::string fingerprint(const ParamNode& node) {
  std::string out;
  append_fingerprint(node, &out);
  return out;
}

int line_of(const ParamNode& node) {
  const ParamMark mark = node.mark();
  return mark.line >= 0 ? mark.line + 1 : 0;
}

}  // namespace sotcheck::checks
