#include "sotcheck/cli/rules_command.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <set>

#include "sotcheck/catalog/describe.hpp"
#include "sotcheck/cli/cli.hpp"
#include "sotcheck/cli/validate.hpp"
#include "sotcheck/util/edit_distance.hpp"

namespace sotcheck::cli {
namespace {

using json = nlohmann::ordered_json;

json rule_summary(const catalog::Rule& rule) {
  return {{"id", rule.id},
          {"family", rule.family},
          {"severity", catalog::severity_name(rule.severity)},
          {"batch", rule.batch},
          {"title", rule.title},
          {"rationale", rule.rationale},
          {"fix", rule.fix},
          {"example", rule.example},
          {"depends_on", rule.depends_on}};
}

/// The rule as machines read it: text, and per profile the check block, message and evidence keys.
json rule_machine_form(const catalog::Rule& rule) {
  json shown = rule_summary(rule);
  shown["source"] = "rules/" + rule.source_file + ":" + std::to_string(rule.source_line);
  for (checks::Profile p : {checks::Profile::strict, checks::Profile::reference}) {
    const auto& compiled = rule.for_profile(p);
    json evidence = json::array();
    for (const auto& e : compiled.evidence) evidence.push_back(e.key);
    shown["profiles"][std::string(catalog::profile_name(p))] = {{"checks", catalog::describe_check(rule, p)},
                                                                {"check", compiled.check_spec},
                                                                {"message", compiled.message.text()},
                                                                {"evidence_keys", evidence},
                                                                {"report_only", compiled.report_only}};
  }
  return shown;
}

/// The closest ids to a mistyped one (at most three, within a third of its length).
std::vector<std::string> closest_ids(const catalog::Catalog& catalog, const std::string& wanted) {
  std::vector<std::string> ids;
  for (const auto& rule : catalog.rules) ids.push_back(rule.id);
  return util::closest_matches(wanted, ids, 3, util::Case::insensitive);
}

std::string rule_text(const catalog::Rule& rule) {
  std::string out = rule.id + ": " + rule.title + "\n";
  out += "  severity " + std::string(catalog::severity_name(rule.severity)) + ", family " + rule.family + ", batch " +
         std::to_string(rule.batch);
  if (!rule.depends_on.empty()) {
    out += ", after";
    for (const auto& d : rule.depends_on) out += " " + d;
  }
  out += "\n\n";
  const std::string strict = catalog::describe_check(rule, checks::Profile::strict);
  const std::string reference = catalog::describe_check(rule, checks::Profile::reference);
  out += "What it checks:\n  " + strict + "\n\n";
  if (strict == reference) {
    out += "Profiles: strict and reference check the same thing.\n\n";
  } else {
    out += "Profiles: that is the strict profile (the default). The reference profile, which reproduces the\n"
           "reference validator (docs/reference-compatibility.md), checks instead:\n  " +
           reference + "\n\n";
  }
  out += "Why it matters:\n  " + rule.rationale + "\n\n";
  out += "How to fix:\n  " + rule.fix + "\n";
  if (!rule.example.empty()) out += "\nExample that passes:\n  " + rule.example + "\n";
  return out;
}

}  // namespace

int rules_list_command(const RulesOptions& options) {
  const auto catalog = load_catalog_for(options.catalog_dir);
  if (!catalog) return k_exit_usage;
  std::set<std::string> families;
  std::set<int> batches;
  for (const auto& rule : catalog->rules) {
    families.insert(rule.family);
    batches.insert(rule.batch);
  }
  if (!options.family.empty() && !families.count(options.family)) {
    std::string known;
    for (const auto& f : families) known += " " + f;
    std::fprintf(stderr, "sotcheck: error: no family '%s' in the catalog; families:%s\n", options.family.c_str(),
                 known.c_str());
    return k_exit_usage;
  }
  if (options.batch >= 0 && !batches.count(options.batch)) {
    std::fprintf(stderr, "sotcheck: error: no batch %d in the catalog (batches 0..%d)\n", options.batch,
                 batches.empty() ? 0 : *batches.rbegin());
    return k_exit_usage;
  }
  std::optional<catalog::Severity> severity;
  if (!options.severity.empty()) {
    severity = catalog::parse_severity(options.severity);
    if (!severity) {
      std::fprintf(stderr, "sotcheck: error: unknown severity '%s' (CRITICAL, HIGH, MEDIUM, LOW, INFO)\n",
                   options.severity.c_str());
      return k_exit_usage;
    }
  }
  json list = json::array();
  std::string text;
  std::size_t count = 0;
  for (const auto& rule : catalog->rules) {
    if (!options.family.empty() && rule.family != options.family) continue;
    if (options.batch >= 0 && rule.batch != options.batch) continue;
    if (severity && rule.severity != *severity) continue;
    json entry = rule_summary(rule);
    entry["check"] = rule.for_profile(checks::Profile::strict).check_spec;
    list.push_back(std::move(entry));
    char line[512];
    std::snprintf(line, sizeof line, "%-16s %-9s %5d  %-12s %s\n", rule.id.c_str(),
                  std::string(catalog::severity_name(rule.severity)).c_str(), rule.batch, rule.family.c_str(),
                  rule.title.c_str());
    text += line;
    ++count;
  }
  if (options.format == "json") {
    std::printf("%s\n", list.dump(2).c_str());
  } else {
    std::printf("%-16s %-9s %5s  %-12s %s\n", "ID", "SEVERITY", "BATCH", "FAMILY", "TITLE");
    std::fputs(text.c_str(), stdout);
    std::printf("%zu of %zu rules\n", count, catalog->rules.size());
  }
  return k_exit_clean;
}

int rules_show_command(const RulesOptions& options) {
  const auto catalog = load_catalog_for(options.catalog_dir);
  if (!catalog) return k_exit_usage;
  const catalog::Rule* rule = catalog->find(options.id);
  if (rule == nullptr) {
    std::string hint;
    for (const auto& id : closest_ids(*catalog, options.id)) hint += (hint.empty() ? " did you mean " : ", ") + id;
    std::fprintf(stderr, "sotcheck: error: no rule '%s' in the catalog%s%s\n", options.id.c_str(), hint.c_str(),
                 hint.empty() ? " (sotcheck rules list shows them all)" : "?");
    return k_exit_usage;
  }
  if (options.format == "json") {
    std::printf("%s\n", rule_machine_form(*rule).dump(2).c_str());
  } else {
    std::fputs(rule_text(*rule).c_str(), stdout);
  }
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
