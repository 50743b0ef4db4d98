#pragma once
/// The compiled catalog: a loaded catalog in a compact binary form that loads
/// without parsing YAML. The build compiles rules/*.yaml into it with the
/// ordinary loader (tools/compile_catalog.cpp) and embeds the bytes, so a run
/// of the embedded catalog skips the YAML parse and the profile resolution.
/// `--catalog DIR` still loads the YAML (docs/ARCHITECTURE.md, "The embedded catalog").
///
/// What it holds per rule and profile: the rule's texts and metadata, the
/// resolved `check:` node (scalars keep their YAML tag, so a quoted "true" stays
/// text), the message template's source, the evidence items. Loading reads the
/// texts and checks the shape of every rule's forms, but builds a form (the
/// check, with its primitive's own factory as the YAML loader does, message and
/// evidence) only when Rule::for_profile first asks for it: a run builds the
/// rules of its own profile, a process-pool worker those of its batches.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "sotcheck/catalog/loader.hpp"

namespace sotcheck::catalog {

/// Bumped whenever the layout changes; a blob of another version is refused.
inline constexpr int k_compiled_catalog_version = 2;

/// Loads the YAML catalog in `files` and compiles it. On a catalog problem
/// returns an error and fills `diagnostics`, like load_catalog.
util::Result<std::vector<std::uint8_t>> compile_catalog(const std::vector<SourceFile>& files,
                                                        util::Diagnostics& diagnostics);
/// Reads every *.yaml in `directory` and compiles it.
util::Result<std::vector<std::uint8_t>> compile_catalog_directory(const std::string& directory,
                                                                  util::Diagnostics& diagnostics);

/// Loads a compiled catalog (the catalog keeps a copy of `blob`). `profiles_ready` as in load_catalog.
util::Result<Catalog> load_compiled_catalog(std::span<const std::uint8_t> blob, std::string origin,
                                            util::Diagnostics& diagnostics, const ProfilesReady& profiles_ready = {});
/// The same for bytes that outlive every catalog loaded from them (the embedded blob): not copied.
util::Result<Catalog> load_static_compiled_catalog(std::span<const std::uint8_t> blob, std::string origin,
                                                   util::Diagnostics& diagnostics,
                                                   const ProfilesReady& profiles_ready = {});

}  // namespace sotcheck::catalog
