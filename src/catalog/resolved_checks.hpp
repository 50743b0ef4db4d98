#pragma once
/// Inside the catalog module only: the loader's view that the catalog
/// compiler (compiled_catalog.cpp) needs, the check node of every rule after
/// profile selection, which is exactly what a primitive's factory reads.

#include <yaml-cpp/yaml.h>

#include <array>
#include <string>
#include <vector>

#include "sotcheck/catalog/loader.hpp"

namespace sotcheck::catalog {

/// One entry per loaded rule, in catalog order: its `check:` node under each profile.
using ResolvedCheckNodes = std::vector<std::array<YAML::Node, k_profile_count>>;

/// load_catalog that also hands back every rule's resolved check nodes.
util::Result<Catalog> load_catalog_capturing(const std::vector<SourceFile>& files, std::string origin,
                                             util::Diagnostics& diagnostics, const ProfilesReady& profiles_ready,
                                             ResolvedCheckNodes* resolved);

/// Every *.yaml of `directory`, read but not parsed.
util::Result<std::vector<SourceFile>> read_catalog_directory(const std::string& directory,
                                                             util::Diagnostics& diagnostics);

}  // namespace sotcheck::catalog
