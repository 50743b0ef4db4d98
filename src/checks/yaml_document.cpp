// YAML documents of the image and their load errors (yaml_document.hpp).

#include "yaml_document.hpp"

#include <cstdio>

namespace sotcheck::checks {
namespace {

/// The position a YAML error text starts with ("line L, column C: ..."), else none.
void position_from_error(const std::string& error, Finding* f) {
  unsigned line = 0, column = 0;
  if (std::sscanf(error.c_str(), "line %u, column %u", &line, &column) == 2) {
    f->line = line;
    f->column = column;
  }
}

}  // namespace

Loaded load_document(const snapshot::ImageView& image, std::uint32_t entry) {
  Loaded out;
  const snapshot::YamlDocument doc = image.yaml(entry);
  if (doc.status == snapshot::YamlStatus::ok) {
    out.view = doc.view;
    return out;
  }
  if (doc.status == snapshot::YamlStatus::error) {
    out.error = std::string(doc.error);
    return out;
  }
  const std::string absolute = std::string(image.root_path()) + "/" + std::string(image.path(entry));
  if (image.is_dir_following_links(entry)) {
    out.error = "[Errno 21] Is a directory: '" + absolute + "'";
  } else if (!image.exists_following_links(entry)) {
    out.error = "[Errno 2] No such file or directory: '" + absolute + "'";
  } else if (!image.is_file_following_links(entry)) {
    out.error = "not a regular file: '" + absolute + "'";
  } else {
    // The plan asked for this file's YAML (yaml_queries); not finding it is a bug, said as such.
    out.error = "internal error: no YAML document in the snapshot for '" + absolute + "'";
  }
  return out;
}

Finding unreadable_yaml(const std::string& rel, const std::string& error) {
  Finding f = make_finding(rel, FindingKind::unreadable, rel + " could not be read as YAML: " + error);
  position_from_error(error, &f);
  return f;
}

}  // namespace sotcheck::checks
