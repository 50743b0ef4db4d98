#pragma once
/// The rule catalog compiled into the executable (generated from rules/*.yaml
/// by cmake/EmbedCatalog.cmake).

#include <string>
#include <vector>

namespace sotcheck::catalog {

struct EmbeddedFile {
  const char* name;
  const char* text;
};

const std::vector<EmbeddedFile>& embedded_catalog_files();

}  // namespace sotcheck::catalog
