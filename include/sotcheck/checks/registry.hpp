#pragma once
/// The fixed set of check primitives, by the name the catalog uses (`kind:`).

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sotcheck/checks/check.hpp"
#include "sotcheck/checks/params.hpp"

namespace sotcheck::checks {

/// Builds a check from its parameters (the `check:` map minus `kind`). Reports
/// problems through `params` and may return nullptr when they are fatal.
using CheckFactory = std::unique_ptr<Check> (*)(Params& params);

struct PrimitiveInfo {
  std::string_view kind;
  CheckFactory factory;
};

/// Every primitive this build knows, in a stable order.
const std::vector<PrimitiveInfo>& primitives();
CheckFactory find_primitive(std::string_view kind);

// Factories, one per primitive (defined next to their evaluators).
std::unique_ptr<Check> make_dir_count(Params& params);
std::unique_ptr<Check> make_each_has_path(Params& params);
std::unique_ptr<Check> make_child_sets_identical(Params& params);
std::unique_ptr<Check> make_dir_name_policy(Params& params);
// Path and content primitives (paths.cpp, content_match.cpp, content_regex_absent.cpp; parameters in
// text_read.hpp, text_predicate.hpp, quantifier.hpp and the catalog docs).
std::unique_ptr<Check> make_path_exists(Params& params);            ///< P5
std::unique_ptr<Check> make_glob_count(Params& params);             ///< P6
std::unique_ptr<Check> make_content_match(Params& params);          ///< P7
std::unique_ptr<Check> make_content_regex_absent(Params& params);   ///< P8
std::unique_ptr<Check> make_yaml_files_field(Params& params);        ///< P9 (yaml_files_field.cpp)
std::unique_ptr<Check> make_contract_field_present(Params& params);  ///< P10 (contract_field_present.cpp)
std::unique_ptr<Check> make_shard_path_ratio(Params& params);        ///< P11 (shard_path_ratio.cpp)
std::unique_ptr<Check> make_glob_ratio(Params& params);             ///< P12
std::unique_ptr<Check> make_grouped_children(Params& params);       ///< P13
std::unique_ptr<Check> make_all_of(Params& params);
std::unique_ptr<Check> make_any_of(Params& params);
std::unique_ptr<Check> make_count_at_least(Params& params);

}  // namespace sotcheck::checks
