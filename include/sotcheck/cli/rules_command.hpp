#pragma once
/// `sotcheck rules list|show|check`: the catalog for rule authors.

#include <string>

namespace sotcheck::cli {

struct RulesOptions {
  std::string catalog_dir;  ///< --catalog
  std::string format = "text";
  std::string family;
  int batch = -1;
  std::string severity;  ///< empty: every severity
  std::string id;
  std::string check_dir;
};

int rules_list_command(const RulesOptions& options);
int rules_show_command(const RulesOptions& options);
/// Loads a catalog directory (or the built-in one) and reports every problem;
/// exit 0 when valid, 2 otherwise.
int rules_check_command(const RulesOptions& options);

}  // namespace sotcheck::cli
