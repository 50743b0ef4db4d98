#include "sotcheck/pyyaml/tags.hpp"

#include <utility>

namespace sotcheck::pyyaml {

namespace {
constexpr std::string_view k_yaml_tag_prefix = "tag:yaml.org,2002:";
}  // namespace

Tag classify_tag(std::string_view tag) {
  if (!tag.starts_with(k_yaml_tag_prefix)) return Tag::unknown;
  const std::string_view name = tag.substr(k_yaml_tag_prefix.size());
  static constexpr std::pair<std::string_view, Tag> k_tags[] = {
      {"str", Tag::str},       {"null", Tag::null},      {"bool", Tag::boolean},
      {"int", Tag::integer},   {"float", Tag::floating}, {"timestamp", Tag::timestamp},
      {"binary", Tag::binary}, {"map", Tag::map},        {"seq", Tag::seq},
      {"set", Tag::set},       {"omap", Tag::omap},      {"pairs", Tag::pairs},
      {"merge", Tag::merge},   {"value", Tag::value}};
  for (const auto& [n, t] : k_tags)
    if (n == name) return t;
  return Tag::unknown;
}

Tag tag_of_implicit(Implicit resolved) {
  switch (resolved) {
    case Implicit::null:
      return Tag::null;
    case Implicit::boolean:
      return Tag::boolean;
    case Implicit::integer:
      return Tag::integer;
    case Implicit::floating:
      return Tag::floating;
    case Implicit::timestamp:
      return Tag::timestamp;
    case Implicit::merge:
      return Tag::merge;
    case Implicit::value:
      return Tag::value;
    case Implicit::yaml:
      return Tag::unknown;
    case Implicit::string:
      break;
  }
  return Tag::str;
}

std::string no_constructor(std::string_view tag) {
  return "could not determine a constructor for the tag '" + std::string(tag) + "'";
}

std::string unsupported_tag(std::string_view tag) {
  return "the tag '" + std::string(tag) +
         "' builds a Python set or list of pairs, which sotcheck does not model; use a mapping or a sequence";
}

}  // namespace sotcheck::pyyaml
