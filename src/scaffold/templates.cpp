// Lookup in the embedded template table (cmake/EmbedTemplates.cmake writes the table, sorted by name).

#include <algorithm>
#include <stdexcept>
#include <string>

#include "embedded_templates.hpp"

namespace sotcheck::scaffold::detail {

std::string_view template_text(std::string_view name) {
  const auto templates = embedded_templates();
  const auto found = std::lower_bound(templates.begin(), templates.end(), name,
                                      [](const EmbeddedTemplate& entry, std::string_view key) { return entry.name < key; });
  if (found == templates.end() || found->name != name)
    throw std::logic_error("scaffold: no template " + std::string(name) + " in src/scaffold/templates/");
  return found->text;
}

std::vector<EmbeddedTemplate> templates_under(std::string_view prefix) {
  std::vector<EmbeddedTemplate> found;
  for (const auto& entry : embedded_templates())
    if (entry.name.starts_with(prefix)) found.push_back(entry);
  return found;
}

}  // namespace sotcheck::scaffold::detail
