#include "sotcheck/checks/registry.hpp"

namespace sotcheck::checks {

const std::vector<PrimitiveInfo>& primitives() {
  static const std::vector<PrimitiveInfo> all = {
      {"dir_count", &make_dir_count},
      {"each_has_path", &make_each_has_path},
      {"child_sets_identical", &make_child_sets_identical},
      {"dir_name_policy", &make_dir_name_policy},
      {"path_exists", &make_path_exists},
      {"glob_count", &make_glob_count},
      {"content_match", &make_content_match},
      {"content_regex_absent", &make_content_regex_absent},
      {"yaml_files_field", &make_yaml_files_field},
      {"contract_field_present", &make_contract_field_present},
      {"shard_path_ratio", &make_shard_path_ratio},
      {"glob_ratio", &make_glob_ratio},
      {"grouped_children", &make_grouped_children},
      {"all_of", &make_all_of},
      {"any_of", &make_any_of},
      {"count_at_least", &make_count_at_least},
  };
  return all;
}

CheckFactory find_primitive(std::string_view kind) {
  for (const auto& p : primitives())
    if (p.kind == kind) return p.factory;
  return nullptr;
}

}  // namespace sotcheck::checks
