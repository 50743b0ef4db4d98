#include "sotcheck/cli/rules_command.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>

#include "sotcheck/cli/cli.hpp"
#include "sotcheck/cli/validate.hpp"

namespace sotcheck::cli {
namespace {

using json = nlohmann::ordered_json;

json rule_summary(const catalog::Rule& rule) {
  return {{"id", rule.id},
          {"family", rule.family},
          {"severity", catalog::severity_name(rule.severity)},
          {"batch", rule.batch},
          {"title", rule.title},
          {"depends_on", rule.depends_on}};
}

}  // namespace

int rules_list_command(const RulesOptions& options) {
  const auto catalog = load_catalog_for(options.catalog_dir);
  if (!catalog) return k_exit_usage;
  json list = json::array();
  std::string text;
  for (const auto& rule : catalog->rules) {
    if (!options.family.empty() && rule.family != options.family) continue;
    if (options.batch >= 0 && rule.batch != options.batch) continue;
    list.push_back(rule_summary(rule));
    char line[512];
    std::snprintf(line, sizeof line, "%-16s %-9s batch %d  %-12s %s\n", rule.id.c_str(),
                  std::string(catalog::severity_name(rule.severity)).c_str(), rule.batch, rule.family.c_str(),
                  rule.title.c_str());
    text += line;
  }
  if (options.format == "json") {
    std::printf("%s\n", list.dump(2).c_str());
  } else {
    std::fputs(text.c_str(), stdout);
  }
  return k_exit_clean;
}

int rules_show_command(const RulesOptions& options) {
  const auto catalog = load_catalog_for(options.catalog_dir);
  if (!catalog) return k_exit_usage;
  const catalog::Rule* rule = catalog->find(options.id);
  if (rule == nullptr) {
    std::fprintf(stderr, "sotcheck: error: no rule '%s' in the catalog\n", options.id.c_str());
    return k_exit_usage;
  }
  json shown = rule_summary(*rule);
  shown["source"] = rule->source_file + ":" + std::to_string(rule->source_line);
  for (checks::Profile p : {checks::Profile::strict, checks::Profile::reference}) {
    const auto& compiled = rule->for_profile(p);
    json evidence = json::array();
    for (const auto& e : compiled.evidence) evidence.push_back(e.key);
    shown["profiles"][std::string(catalog::profile_name(p))] = {
        {"message", compiled.message.text()}, {"evidence_keys", evidence}, {"report_only", compiled.report_only}};
  }
  std::printf("%s\n", shown.dump(2).c_str());
  return k_exit_clean;
}

int rules_check_command(const RulesOptions& options) {
  const std::string dir = options.check_dir.empty() ? options.catalog_dir : options.check_dir;
  const auto catalog = load_catalog_for(dir);
  if (!catalog) return k_exit_usage;
  std::printf("catalog %s is valid: %zu rules in %zu batches\n", catalog->origin.c_str(), catalog->rules.size(),
              catalog->batches.size());
  return k_exit_clean;
}

}  // namespace sotcheck::cli
