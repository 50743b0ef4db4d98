#include "sotcheck/catalog/describe.hpp"

#include "sotcheck/checks/primitive_specs.hpp"

namespace sotcheck::catalog {
namespace {

using json = nlohmann::ordered_json;

std::string describe_spec(const json& check);

std::string plain(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_array()) {
    std::string out;
    for (const auto& item : value) out += (out.empty() ? "" : ", ") + ("`" + plain(item) + "`");
    return out;
  }
  return value.dump();
}

/// A file query in words: its patterns and the filters that narrow them.
std::string describe_query(const json& query) {
  if (!query.is_object()) return plain(query);
  std::string out = query.contains("patterns") ? plain(query["patterns"]) : "(no pattern)";
  if (query.contains("matrix_name_regex"))
    out += " (only under roots and shards named like `" + plain(query["matrix_name_regex"]) + "`)";
  if (query.contains("entry_kind") && query["entry_kind"] != "any") out += " (" + plain(query["entry_kind"]) + "s only)";
  if (query.contains("sample") && query["sample"] != "all") out += " (the first " + plain(query["sample"]) + " in walk order)";
  for (const char* key : {"exclude_names", "exclude_name_contains", "exclude_path_contains"})
    if (query.contains(key) && !query[key].empty()) out += " (" + std::string(key) + ": " + plain(query[key]) + ")";
  return out;
}

std::string describe_children(const json& children) {
  if (!children.is_array()) return plain(children);
  std::string out;
  std::size_t index = 0;
  for (const auto& child : children) {
    const std::string name = child.contains("name") ? plain(child["name"]) : "c" + std::to_string(index);
    out += (index ? "; " : "") + ("(" + name + ") " + describe_spec(child));
    ++index;
  }
  return out;
}

std::string describe_scope(const json& check) {
  const std::string container = check.contains("container") ? plain(check["container"]) : "";
  if (check.value("scope", "") == "shards")
    return "shard folder (NN_root/" + (container.empty() ? "" : container + "/") + "NN_shard/)";
  if (check.value("scope", "") == "roots") return "root folder (NN_root/)";
  return plain(check.value("scope", json("")));
}

std::string render_param(const checks::PrimitiveSpec& spec, const json& check, const std::string& name) {
  if (name == "scope") return describe_scope(check);
  const json& value = check[name];
  if (name == "checks") return describe_children(value);
  if (name == "op") return value == "le" ? "at most" : "at least";
  if (name == "quantifier" && value.is_string()) return value == "all" ? "all" : value == "none" ? "none" : "at least one";
  if (name == "contract" && value.is_object())
    return "the file `" + plain(value.value("exact_path", json(""))) + "` (strict), else the first of " +
           plain(value.value("patterns", json::array())) + " whose name contains `" +
           plain(value.value("prefer_name_contains", json(""))) + "`";
  for (const auto& p : spec.params)
    if (p.name == name && p.type == "query") return describe_query(value);
  if (name == "predicate" || name == "regexes") return "`" + value.dump() + "`";
  return plain(value);
}

std::string describe_spec(const json& check) {
  if (!check.is_object()) return "(no check)";
  const std::string kind = check.value("kind", "");
  const checks::PrimitiveSpec* spec = checks::find_primitive_spec(kind);
  if (spec == nullptr) return kind;
  const std::string_view tpl = spec->describe;
  std::string out;
  for (std::size_t i = 0; i < tpl.size(); ++i) {
    if (tpl[i] != '{') {
      out += tpl[i];
      continue;
    }
    const std::size_t close = tpl.find('}', i);
    const std::string_view inner = tpl.substr(i + 1, close - i - 1);
    const std::size_t bar = inner.find('|');
    const std::string name(inner.substr(0, bar));
    const bool present = check.contains(name) && !check[name].is_null();
    if (present || name == "scope")
      out += render_param(*spec, check, name);
    else if (bar != std::string_view::npos)
      out += name == "quantifier" ? std::string("at least one") : std::string(inner.substr(bar + 1));
    i = close;
  }
  return out;
}

std::string describe_compiled(const CompiledRule& compiled) {
  std::string out = describe_spec(compiled.check_spec);
  if (!compiled.alias_target.empty()) out = "the check of " + compiled.alias_target + ": " + out;
  if (compiled.report_only) out += " (reported only: the rule always passes)";
  return out;
}

}  // namespace

std::string describe_check(const Rule& rule, Profile profile) { return describe_compiled(rule.for_profile(profile)); }

std::string rule_help_markdown(const Rule& rule) {
  std::string out = "**" + rule.id + "**: " + rule.title + "\n\n";
  const std::string strict = describe_check(rule, Profile::strict);
  const std::string reference = describe_check(rule, Profile::reference);
  if (strict == reference) {
    out += "**What it checks:** " + strict + "\n\n";
  } else {
    out += "**What it checks (strict):** " + strict + "\n\n";
    out += "**What it checks (reference):** " + reference + "\n\n";
  }
  out += "**Why:** " + rule.rationale + "\n\n";
  out += "**How to fix:** " + rule.fix + "\n";
  if (!rule.example.empty()) out += "\n**Example that passes:**\n\n```\n" + rule.example + "\n```\n";
  return out;
}

std::string explain_hint(const Rule& rule) { return "run `sotcheck rules show " + rule.id + "` for what, why and how to fix"; }

}  // namespace sotcheck::catalog
