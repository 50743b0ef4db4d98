#pragma once
// A file's YAML document as the image holds it (parsed once while the image
// was built), or why there is none, worded as Python's open() would word it.

#include <cstdint>
#include <string>

#include "sotcheck/checks/finding.hpp"
#include "sotcheck/snapshot/image_view.hpp"

namespace sotcheck::checks {

/// The parsed document of an entry, or why it cannot be had.
struct Loaded {
  const snapshot::YamlView* view = nullptr;
  std::string error;
};

Loaded load_document(const snapshot::ImageView& image, std::uint32_t entry);

/// The finding for a file that could not be read as YAML, at the position the error names, if any.
Finding unreadable_yaml(const std::string& rel, const std::string& error);

}  // namespace sotcheck::checks
