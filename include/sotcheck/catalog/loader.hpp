#pragma once
/// Loading and validating the catalog. Every problem in every file is
/// collected (with file and line) before the loader gives up, so a rule author
/// fixes them all in one round.
///
/// Layout of a catalog directory:
///   catalog.yaml   the rule files in catalog order, and the two profiles' settings
///   batches.yaml   the nine batches: id, name, depends_on (batch ids), rules (ids)
///   <family>.yaml  `family: X` and `rules: [...]`, one file per family
///
/// Profiles are data: anywhere in a rule, a map `{strict: A, reference: B}`
/// stands for A under strict and B under reference, and the string
/// "$profile.NAME" stands for the profile's setting NAME (catalog.yaml `vars`).

#include <array>
#include <functional>
#include <string>
#include <vector>

#include "sotcheck/catalog/model.hpp"
#include "sotcheck/util/diagnostics.hpp"
#include "sotcheck/util/result.hpp"

namespace sotcheck::catalog {

struct SourceFile {
  std::string name;  ///< file name, used in diagnostics
  std::string text;
};

/// Called once catalog.yaml's profile settings are known, before the rule
/// files are parsed (most of the load time), so a caller can start work that
/// needs only the settings (validate starts the walk). Not called when
/// catalog.yaml itself is broken.
using ProfilesReady = std::function<void(const std::array<ProfileSettings, k_profile_count>&)>;

/// Loads from in-memory files. On any problem returns an error and fills
/// `diagnostics`; the caller prints them and exits 2.
util::Result<Catalog> load_catalog(const std::vector<SourceFile>& files, std::string origin,
                                   util::Diagnostics& diagnostics, const ProfilesReady& profiles_ready = {});
/// Reads every *.yaml in `directory` and loads it.
util::Result<Catalog> load_catalog_directory(const std::string& directory, util::Diagnostics& diagnostics,
                                             const ProfilesReady& profiles_ready = {});
/// The catalog built into the executable.
util::Result<Catalog> load_embedded_catalog(util::Diagnostics& diagnostics, const ProfilesReady& profiles_ready = {});

}  // namespace sotcheck::catalog
