#pragma once
/// Which file is the SoT contract of an image and how it loaded
/// (docs/reference-compatibility.md#rc-21): computed once per run and shared
/// by every `contract_field_present` rule with the same contract spec.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sotcheck/snapshot/yaml_flat.hpp"

namespace sotcheck::checks {

struct ContractResolution {
  enum class State { no_files, load_error, ok };
  State state = State::no_files;
  std::string file;      ///< absolute path of the selected file
  std::string relative;  ///< the same, repository-relative (for findings)
  std::string error;     ///< load_error
  std::optional<snapshot::YamlView> view;  ///< ok: the document, valid while the image lives
  std::vector<std::uint32_t> unreadable;   ///< unreadable entries the resolution touched (access_journal.hpp)
};

}  // namespace sotcheck::checks
