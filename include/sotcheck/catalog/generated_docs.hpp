#pragma once
/// The documentation generated from code and catalog, so it cannot drift:
/// docs/catalog-format.md (from the primitives' declarations) and
/// docs/rules/<family>.md (from every rule's text and check). A unit test
/// compares them with the committed files (SOTCHECK_UPDATE_GOLDEN=1 rewrites).

#include <map>
#include <string>

#include "sotcheck/catalog/model.hpp"

namespace sotcheck::catalog {

/// docs/catalog-format.md.
std::string render_catalog_format_doc();

/// docs/rules/<file name> -> page text, one page per family, plus README.md (the index).
std::map<std::string, std::string> render_rule_pages(const Catalog& catalog);

}  // namespace sotcheck::catalog
