#pragma once
/// A check's parameters as a small read-only tree: what a primitive's factory
/// reads (through Params) instead of a yaml-cpp node. Both catalog loads fill
/// one: the YAML loader converts the rule's resolved `check:` node
/// (ParamTree::from_yaml, keeping every position for error lines), the
/// compiled catalog decodes its stored form straight into one, with no
/// yaml-cpp node in between (yaml-cpp's shared node memory and its linear,
/// copying key search were most of building a rule's check).
///
/// The shape follows YAML's: undefined (an absent key), null, scalar (its text
/// and tag; "!" marks a quoted scalar, so a quoted "true" stays text), sequence,
/// map (keys are scalars, in document order). Converting a scalar to a number or
/// a boolean follows yaml-cpp's rules exactly (to_integer, to_bool, to_double), so
/// the two loads and the earlier yaml-cpp reading accept the same texts.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace YAML {
class Node;
}  // namespace YAML

namespace sotcheck::checks {

class ParamTree;

/// Where a node was in its catalog file, 0-based like yaml-cpp's marks; -1 when
/// unknown (the compiled catalog keeps no positions; errors use the rule's line).
struct ParamMark {
  int line = -1;
  int column = -1;
};

class ParamNode;

/// What iterating a node yields: for a sequence, the item itself (it is a
/// ParamNode); for a map, the entry as `first` (key) and `second` (value).
struct ParamItem;

/// A handle to one node of a ParamTree (valid while the tree lives). A
/// default-constructed handle, or a lookup that finds nothing, is undefined.
class ParamNode {
 public:
  enum class Type : std::uint8_t { undefined, null, scalar, sequence, map };
  class Iterator;

  ParamNode() = default;

  Type type() const;
  bool is_defined() const { return type() != Type::undefined; }
  bool is_null() const { return type() == Type::null; }
  bool is_scalar() const { return type() == Type::scalar; }
  bool is_sequence() const { return type() == Type::sequence; }
  bool is_map() const { return type() == Type::map; }
  explicit operator bool() const { return is_defined(); }

  /// A scalar's text; empty for any other node.
  const std::string& scalar() const;
  /// A scalar's tag: "" for a plain scalar, "!" for a quoted one, else the explicit tag.
  const std::string& tag() const;
  ParamMark mark() const;
  /// Items of a sequence, entries of a map, 0 otherwise.
  std::size_t size() const;

  /// A map's value under `key`; undefined when absent or when this is not a map.
  ParamNode operator[](std::string_view key) const;
  /// A sequence's item at `index`; undefined when out of range or not a sequence.
  ParamNode item(std::size_t index) const;

  Iterator begin() const;
  Iterator end() const;

  /// yaml-cpp's scalar conversions (as<long long>, as<bool>, as<double>): nullopt
  /// for a text it would refuse, and for anything but a scalar.
  std::optional<long long> to_integer() const;
  std::optional<bool> to_bool() const;
  std::optional<double> to_double() const;

 private:
  friend class ParamTree;
  ParamNode(const ParamTree* tree, std::uint32_t index) : m_tree(tree), m_index(index) {}
  const ParamTree* m_tree = nullptr;
  std::uint32_t m_index = 0;
};

struct ParamItem : ParamNode {
  ParamNode first;   ///< a map entry's key (undefined for a sequence item)
  ParamNode second;  ///< a map entry's value (undefined for a sequence item)
};

class ParamNode::Iterator {
 public:
  ParamItem operator*() const;
  /// For `node.begin()->first` (a one-key map's key).
  struct Arrow {
    ParamItem item;
    const ParamItem* operator->() const { return &item; }
  };
  Arrow operator->() const { return Arrow{**this}; }
  Iterator& operator++();
  bool operator==(const Iterator& other) const { return m_index == other.m_index; }
  bool operator!=(const Iterator& other) const { return m_index != other.m_index; }

 private:
  friend class ParamNode;
  Iterator(const ParamTree* tree, std::uint32_t index, bool map) : m_tree(tree), m_index(index), m_map(map) {}
  const ParamTree* m_tree = nullptr;
  std::uint32_t m_index = 0;
  bool m_map = false;
};

/// Owns the nodes. Built once (by a loader, or by a factory that wraps a
/// parameter in a map of its own), then read through ParamNode handles.
class ParamTree {
 public:
  using Index = std::uint32_t;
  static constexpr Index k_none = 0xffffffffu;

  ParamTree() = default;
  ParamTree(const ParamTree&) = delete;
  ParamTree& operator=(const ParamTree&) = delete;
  ParamTree(ParamTree&&) = default;
  ParamTree& operator=(ParamTree&&) = default;

  /// The tree of a yaml-cpp node, positions included.
  static ParamTree from_yaml(const YAML::Node& node);

  /// The first node added is the root (undefined while the tree is empty).
  ParamNode root() const { return m_records.empty() ? ParamNode() : ParamNode(this, 0); }
  ParamNode node(Index index) const { return ParamNode(this, index); }

  Index add_null(ParamMark mark = {});
  Index add_scalar(std::string text, std::string tag = {}, ParamMark mark = {});
  Index add_sequence(ParamMark mark = {});
  Index add_map(ParamMark mark = {});
  /// A deep copy of `node` (of any tree), positions included.
  Index add_copy(const ParamNode& node);
  /// Appends `item` to the sequence `parent`.
  void append_item(Index parent, Index item);
  /// Appends the entry `key` (a scalar) -> `value` to the map `parent`.
  void append_entry(Index parent, Index key, Index value);
  void reserve(std::size_t nodes) { m_records.reserve(nodes); }

 private:
  friend class ParamNode;
  struct Record {
    ParamNode::Type type = ParamNode::Type::undefined;
    ParamMark mark;
    std::string text;
    std::string tag;
    Index first = k_none;  ///< first item, or first entry's value
    Index last = k_none;
    Index next = k_none;  ///< the next sibling in the parent
    Index key = k_none;   ///< a map entry's key node (on the value's record)
    std::uint32_t count = 0;
  };
  Index add(ParamNode::Type type, ParamMark mark);
  void link(Index parent, Index child);
  std::vector<Record> m_records;
};

/// Line (1-based) of a node, 0 if unknown.
int line_of(const ParamNode& node);

/// A text that is equal for two nodes exactly when their trees are (types,
/// tags, texts, keys in order; positions ignored): what FactoryMemo keys on.
std::string fingerprint(const ParamNode& node);

}  // namespace sotcheck::checks
