#pragma once
/// Private to src/scaffold: the template files of src/scaffold/templates/, embedded at build time by
/// cmake/EmbedTemplates.cmake. A template is the exact bytes of a generated file with `@name@` placeholders,
/// which the generators fill (fill() in plan.hpp); docs/scaffold.md describes the layout of the directory.

#include <span>
#include <string_view>
#include <vector>

namespace sotcheck::scaffold::detail {

struct EmbeddedTemplate {
  std::string_view name;  ///< path below src/scaffold/templates/, '/'-separated
  std::string_view text;  ///< the file's bytes
};

/// Every template, sorted byte-wise by name (generated source).
std::span<const EmbeddedTemplate> embedded_templates();

/// The text of the template `name`. A missing name is a bug in the scaffold, not an input error: it throws
/// std::logic_error naming the template.
std::string_view template_text(std::string_view name);

/// The templates whose names start with `prefix`, in name order.
std::vector<EmbeddedTemplate> templates_under(std::string_view prefix);

}  // namespace sotcheck::scaffold::detail
