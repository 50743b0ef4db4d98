#include "sotcheck/catalog/loader.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "resolved_checks.hpp"
#include "sotcheck/checks/params.hpp"
#include "sotcheck/checks/primitive_specs.hpp"
#include "sotcheck/checks/registry.hpp"
#include "sotcheck/util/regular_file.hpp"

namespace sotcheck::catalog {
namespace {

/// Line (1-based) of a YAML node, 0 if unknown.
int line_of(const YAML::Node& node) {
  if (!node.IsDefined()) return 0;
  const YAML::Mark mark = node.Mark();
  return mark.line >= 0 ? mark.line + 1 : 0;
}
using util::Diagnostics;

constexpr const char* k_index_file = "catalog.yaml";
constexpr const char* k_batches_file = "batches.yaml";

struct ProfileVars {
  std::map<std::string, YAML::Node> vars;
  /// catalog.yaml `queries`: named file queries ("$query.NAME"), shared by both
  /// profiles; they may hold profile maps and $profile variables themselves.
  std::map<std::string, YAML::Node> queries;
  /// The profile and its settings, as the checks' factories see them.
  checks::ProfileContext context;
};

/// True if `node` mentions "$query." anywhere (a named query may not use
/// another one: that keeps resolution a single step, with no cycles).
bool mentions_named_query(const YAML::Node& node) {
  if (node.IsScalar()) return node.Scalar().rfind("$query.", 0) == 0;
  if (node.IsMap()) {
    for (const auto& kv : node)
      if (mentions_named_query(kv.second)) return true;
  } else if (node.IsSequence()) {
    for (const auto& item : node)
      if (mentions_named_query(item)) return true;
  }
  return false;
}

bool is_reference(const YAML::Node& node) {
  if (!node.IsScalar()) return false;
  const std::string& text = node.Scalar();
  return text.rfind("$profile.", 0) == 0 || text.rfind("$query.", 0) == 0;
}

/// True if `node` holds a profile map or a $profile variable anywhere.
bool is_profile_dependent(const YAML::Node& node) {
  if (node.IsMap()) {
    bool only_profile_keys = node.size() > 0;
    for (const auto& kv : node) {
      const std::string key = kv.first.Scalar();
      if (key != "strict" && key != "reference") only_profile_keys = false;
      if (is_profile_dependent(kv.second)) return true;
    }
    return only_profile_keys;
  }
  if (node.IsSequence()) {
    for (const auto& item : node)
      if (is_profile_dependent(item)) return true;
    return false;
  }
  return is_reference(node);
}

/// Resolves the profile-dependent parts of a rule node for one profile (see
/// loader.hpp). Subtrees that do not depend on the profile are returned as they
/// are, so they keep their line numbers; the input is never modified.
/// Where select_profile creates the nodes it builds. yaml-cpp merges a
/// document's whole node set into any node that a node of that document is
/// attached to; a fresh `YAML::Node(Map)` per rebuilt map made every rule
/// copy its file's node set again (quadratic: most of the catalog load time).
/// Built nodes live in one sequence per document that shares the document's
/// node set, so attaching document nodes to them costs nothing.
class NodeArena {
 public:
  explicit NodeArena(const YAML::Node& document_node) { m_nodes.push_back(document_node); }
  YAML::Node make(YAML::NodeType::value type) {
    m_nodes.push_back(YAML::Node(type));
    return m_nodes[m_nodes.size() - 1];
  }

 private:
  YAML::Node m_nodes{YAML::NodeType::Sequence};
};

YAML::Node select_profile(const YAML::Node& node, Profile profile, const ProfileVars& vars, const std::string& file,
                          Diagnostics& diagnostics, NodeArena& arena) {
  if (!is_profile_dependent(node)) return node;
  if (node.IsMap()) {
    bool only_profile_keys = node.size() > 0;
    for (const auto& kv : node) {
      const std::string key = kv.first.Scalar();
      if (key != "strict" && key != "reference") only_profile_keys = false;
    }
    if (only_profile_keys) {
      const YAML::Node chosen = node[std::string(profile_name(profile))];
      if (!chosen.IsDefined()) {
        diagnostics.add(file, line_of(node),
                        "profile map lacks a '" + std::string(profile_name(profile)) + "' entry");
        return YAML::Node();
      }
      return select_profile(chosen, profile, vars, file, diagnostics, arena);
    }
    YAML::Node out = arena.make(YAML::NodeType::Map);
    for (const auto& kv : node) out[kv.first] = select_profile(kv.second, profile, vars, file, diagnostics, arena);
    return out;
  }
  if (node.IsSequence()) {
    YAML::Node out = arena.make(YAML::NodeType::Sequence);
    for (const auto& item : node) out.push_back(select_profile(item, profile, vars, file, diagnostics, arena));
    return out;
  }
  if (node.IsScalar() && node.Scalar().rfind("$query.", 0) == 0) {
    const std::string name = node.Scalar().substr(7);
    const auto it = vars.queries.find(name);
    if (it == vars.queries.end()) {
      diagnostics.add(file, line_of(node), "unknown named query '" + name + "' (catalog.yaml 'queries')");
      return YAML::Node();
    }
    return select_profile(YAML::Clone(it->second), profile, vars, file, diagnostics, arena);
  }
  if (node.IsScalar() && node.Scalar().rfind("$profile.", 0) == 0) {
    const std::string name = node.Scalar().substr(9);
    const auto it = vars.vars.find(name);
    if (it == vars.vars.end()) {
      diagnostics.add(file, line_of(node), "unknown profile setting '" + name + "'");
      return YAML::Node();
    }
    return YAML::Clone(it->second);
  }
  return node;
}

bool parse_text(const SourceFile& file, YAML::Node* out, Diagnostics& diagnostics) {
  try {
    *out = YAML::Load(file.text);
    return true;
  } catch (const YAML::ParserException& e) {
    const int line = e.mark.line >= 0 ? e.mark.line + 1 : 0;
    // yaml-cpp's recursion guard (DeepRecursion, whose type the shared
    // library does not export) reuses the message "bad file": say what it means.
    if (e.msg == YAML::ErrorMsg::BAD_FILE) {
      diagnostics.add(file.name, line, "invalid YAML: nested too deeply (the parser stops at a few hundred levels)");
    } else {
      diagnostics.add(file.name, line, "invalid YAML: " + e.msg);
    }
  } catch (const YAML::Exception& e) {
    diagnostics.add(file.name, 0, std::string("invalid YAML: ") + e.what());
  }
  return false;
}

void check_keys(const YAML::Node& node, const std::set<std::string>& allowed, const std::string& file,
                const std::string& what, Diagnostics& diagnostics) {
  if (!node.IsMap()) return;
  for (const auto& kv : node) {
    const std::string key = kv.first.Scalar();
    if (!allowed.count(key)) diagnostics.add(file, line_of(kv.first), "unknown key '" + key + "' in " + what);
  }
}

std::string scalar_or_empty(const YAML::Node& node) { return node.IsDefined() && node.IsScalar() ? node.Scalar() : ""; }

/// A YAML node as JSON, for `rules show --format json` and describe_check:
/// integers and booleans keep their type, other scalars are strings.
nlohmann::ordered_json yaml_to_json(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return nullptr;
  if (node.IsSequence()) {
    auto list = nlohmann::ordered_json::array();
    for (const auto& item : node) list.push_back(yaml_to_json(item));
    return list;
  }
  if (node.IsMap()) {
    auto map = nlohmann::ordered_json::object();
    for (const auto& kv : node) map[kv.first.Scalar()] = yaml_to_json(kv.second);
    return map;
  }
  long long as_int = 0;
  bool as_bool = false;
  if (node.Tag() != "!" && YAML::convert<long long>::decode(node, as_int)) return as_int;
  if (node.Tag() != "!" && YAML::convert<bool>::decode(node, as_bool)) return as_bool;
  return node.Scalar();
}

/// The output names a check declares (checks/primitive_specs.hpp): its
/// primitive's outputs, its `constants`, and for a combinator its children's
/// outputs as CHILD.output. Returns false when the kind is unknown (reported elsewhere).
bool collect_declared_outputs(const YAML::Node& check, const std::string& prefix, std::set<std::string>& out) {
  if (!check.IsMap()) return false;
  const checks::PrimitiveSpec* spec = checks::find_primitive_spec(scalar_or_empty(check["kind"]));
  if (spec == nullptr) return false;
  for (const auto& output : spec->outputs) out.insert(prefix + std::string(output.name));
  const YAML::Node constants = check[std::string(checks::k_constants_param)];
  if (constants && constants.IsMap())
    for (const auto& kv : constants) out.insert(prefix + kv.first.Scalar());
  if (spec->has_children && check["checks"] && check["checks"].IsSequence()) {
    std::size_t index = 0;
    for (const auto& child : check["checks"]) {
      const std::string name =
          child.IsMap() && child["name"] ? child["name"].Scalar() : "c" + std::to_string(index);
      out.insert(prefix + name + ".passed");  // every child's verdict
      if (!collect_declared_outputs(child, prefix + name + ".", out)) return false;
      ++index;
    }
  }
  return true;
}

std::string joined(const std::set<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

/// Compiles what a rule does under one profile.
CompiledRule compile_for_profile(const YAML::Node& raw_rule, Profile profile, const ProfileVars& vars,
                                 const std::string& file, Diagnostics& diagnostics, NodeArena& arena,
                                 YAML::Node* resolved_check) {
  CompiledRule compiled;
  const YAML::Node rule = select_profile(raw_rule, profile, vars, file, diagnostics, arena);
  const YAML::Node check = rule["check"];
  if (resolved_check != nullptr) *resolved_check = check;
  const int check_line = line_of(raw_rule["check"]) ? line_of(raw_rule["check"]) : line_of(raw_rule);
  if (!check.IsDefined() || !check.IsMap()) {
    diagnostics.add(file, line_of(raw_rule), "rule has no 'check' map");
    return compiled;
  }
  compiled.check_spec = yaml_to_json(check);
  const std::string kind = scalar_or_empty(check["kind"]);
  const checks::CheckFactory factory = checks::find_primitive(kind);
  // What the factory reads: the same tree the compiled catalog decodes its stored form into.
  const checks::ParamTree parameters = checks::ParamTree::from_yaml(check);
  if (kind == "alias") {
    // Resolved once every rule is loaded (resolve_aliases).
    checks::Params params(parameters.root(), file, diagnostics, check_line);
    params.string("kind");
    compiled.alias_target = params.string_or("target", "");
    if (compiled.alias_target.empty()) params.error("alias needs a 'target' rule id");
    params.finish();
    return compiled;
  }
  if (factory == nullptr) {
    diagnostics.add(file, check_line, kind.empty() ? "check has no 'kind'" : "unknown check primitive '" + kind + "'");
  } else {
    checks::Params params(parameters.root(), file, diagnostics, check_line);
    params.set_profile(vars.context);
    params.string("kind");
    compiled.check = factory(params);
    params.finish();
  }
  compiled.report_only = rule["report_only"].IsDefined() && rule["report_only"].as<bool>(false);

  const std::string message = scalar_or_empty(rule["message"]);
  if (message.empty()) diagnostics.add(file, line_of(raw_rule), "rule has no 'message'");
  auto parsed = checks::MessageTemplate::parse(message);
  if (!parsed) {
    diagnostics.add(file, line_of(rule["message"]), parsed.error());
  } else {
    compiled.message = std::move(*parsed);
  }

  std::set<std::string> declared;
  const bool outputs_known = collect_declared_outputs(check, "", declared);
  const auto check_name = [&](const std::string& name, const YAML::Node& at, const std::string& where) {
    if (!outputs_known || name == "passed" || declared.count(name)) return;
    diagnostics.add(file, line_of(at) ? line_of(at) : line_of(raw_rule),
                    where + " uses unknown output '" + name + "' of " + kind + " (it declares: " + joined(declared) +
                        ")");
  };
  for (const auto& name : compiled.message.names()) check_name(name, raw_rule["message"], "message");

  const YAML::Node evidence = rule["evidence"];
  if (evidence.IsDefined() && !evidence.IsNull()) {
    if (!evidence.IsSequence()) {
      diagnostics.add(file, line_of(evidence), "'evidence' must be a list of one-key maps");
    } else {
      for (const auto& item : evidence) {
        if (!item.IsMap() || item.size() != 1) {
          diagnostics.add(file, line_of(item), "each evidence entry must be a one-key map 'key: expression'");
          continue;
        }
        const auto kv = *item.begin();
        const std::string key = kv.first.Scalar();
        const YAML::Node value = kv.second;
        checks::EvidenceItem e;
        e.key = key;
        if (value.IsMap() && value["literal"].IsDefined() && value.size() == 1) {
          e.kind = checks::EvidenceItem::Kind::literal;
          e.literal = value["literal"].Scalar();
        } else if (value.IsScalar()) {
          // Numbers and booleans are literals; text is an expression ({literal: ...} for text).
          const std::string& text = value.Scalar();
          long long as_int = 0;
          bool as_bool = false;
          if (YAML::convert<long long>::decode(value, as_int)) {
            e.kind = checks::EvidenceItem::Kind::literal;
            e.literal = as_int;
          } else if (YAML::convert<bool>::decode(value, as_bool)) {
            e.kind = checks::EvidenceItem::Kind::literal;
            e.literal = as_bool;
          } else {
            auto parsed_item = checks::EvidenceItem::parse_expression(key, text);
            if (!parsed_item) {
              diagnostics.add(file, line_of(value), parsed_item.error());
              continue;
            }
            e = std::move(*parsed_item);
          }
        } else if (value.IsSequence() && value.size() == 0) {
          e.kind = checks::EvidenceItem::Kind::literal;
          e.literal = nlohmann::ordered_json::array();
        } else if (value.IsNull()) {
          e.kind = checks::EvidenceItem::Kind::literal;
          e.literal = nullptr;
        } else {
          diagnostics.add(file, line_of(value), "evidence '" + key + "': unsupported value");
          continue;
        }
        if (e.kind != checks::EvidenceItem::Kind::literal) check_name(e.name, value, "evidence '" + key + "'");
        compiled.evidence.push_back(std::move(e));
      }
    }
  }
  return compiled;
}

const std::set<std::string> k_rule_keys = {"id",      "title",    "severity",    "batch",   "depends_on", "family",
                                           "check",   "message",  "evidence",    "report_only", "rationale", "fix",
                                           "example"};
const std::set<std::string> k_text_keys = {"title", "rationale", "fix", "example"};

/// Fills a text template shared by a family (`texts:` of a rule file):
/// {name} is the rule's strict check parameter `name` (lists joined), {id} its id.
std::string fill_text(const std::string& text, const Rule& rule, const std::string& file, int line,
                      Diagnostics& diagnostics) {
  const nlohmann::ordered_json& params = rule.for_profile(Profile::strict).check_spec;
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const std::size_t close = text[i] == '{' ? text.find('}', i) : std::string::npos;
    if (close == std::string::npos) {
      out += text[i];
      continue;
    }
    const std::string name = text.substr(i + 1, close - i - 1);
    if (name == "id") {
      out += rule.id;
    } else if (params.is_object() && params.contains(name) && params[name].is_string()) {
      out += params[name].get<std::string>();
    } else if (params.is_object() && params.contains(name) && params[name].is_primitive()) {
      out += params[name].dump();
    } else {
      diagnostics.add(file, line, rule.id + ": text placeholder {" + name + "} is not a parameter of its check");
    }
    i = close;
  }
  return out;
}

/// A rule's title, rationale, fix and example: its own, else its family's
/// shared template. Title, rationale and fix are required.
void resolve_text(Rule& rule, const YAML::Node& node, const YAML::Node& texts, const std::string& file,
                  Diagnostics& diagnostics) {
  const YAML::Node shared = texts && texts.IsMap() && texts[rule.family] ? texts[rule.family] : YAML::Node();
  const auto pick = [&](const char* key, std::string& out, bool required) {
    if (node[key]) {
      out = scalar_or_empty(node[key]);
    } else if (shared && shared[key]) {
      out = fill_text(scalar_or_empty(shared[key]), rule, file, line_of(shared[key]), diagnostics);
    }
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    if (required && out.empty())
      diagnostics.add(file, rule.source_line,
                      rule.id + ": missing '" + key + "' (write it on the rule or in the file's texts." + rule.family +
                          ")");
  };
  pick("title", rule.title, true);
  pick("rationale", rule.rationale, true);
  pick("fix", rule.fix, true);
  pick("example", rule.example, false);
}

void load_rule_file(const SourceFile& file, const YAML::Node& root,
                    const std::array<ProfileVars, k_profile_count>& vars, Catalog& catalog,
                    std::map<std::string, std::pair<std::string, int>>& seen_ids, Diagnostics& diagnostics,
                    ResolvedCheckNodes* resolved) {
  if (!root.IsMap()) {
    diagnostics.add(file.name, line_of(root), "a rule file must be a map with 'family' and 'rules'");
    return;
  }
  check_keys(root, {"family", "rules", "texts"}, file.name, "rule file", diagnostics);
  const YAML::Node texts = root["texts"];
  if (texts && !texts.IsMap()) diagnostics.add(file.name, line_of(texts), "'texts' must map family names to texts");
  if (texts && texts.IsMap())
    for (const auto& kv : texts) check_keys(kv.second, k_text_keys, file.name, "texts." + kv.first.Scalar(), diagnostics);
  NodeArena arena(root);  // one per document: see NodeArena
  const std::string family = scalar_or_empty(root["family"]);
  if (family.empty()) diagnostics.add(file.name, line_of(root), "rule file has no 'family'");
  const YAML::Node rules = root["rules"];
  if (!rules.IsSequence()) {
    diagnostics.add(file.name, line_of(root), "'rules' must be a list");
    return;
  }
  for (const auto& node : rules) {
    if (!node.IsMap()) {
      diagnostics.add(file.name, line_of(node), "a rule must be a map");
      continue;
    }
    check_keys(node, k_rule_keys, file.name, "rule", diagnostics);
    Rule rule;
    rule.source_file = file.name;
    rule.source_line = line_of(node);
    rule.id = scalar_or_empty(node["id"]);
    if (rule.id.empty()) {
      diagnostics.add(file.name, rule.source_line, "rule has no 'id'");
      continue;
    }
    const auto [it, inserted] = seen_ids.emplace(rule.id, std::make_pair(file.name, rule.source_line));
    if (!inserted) {
      diagnostics.add(file.name, rule.source_line,
                      "duplicate rule id '" + rule.id + "' (first defined at " + it->second.first + ":" +
                          std::to_string(it->second.second) + ")");
      continue;
    }
    rule.family = node["family"].IsDefined() ? scalar_or_empty(node["family"]) : family;
    const auto severity = parse_severity(scalar_or_empty(node["severity"]));
    if (!severity) {
      diagnostics.add(file.name, line_of(node["severity"]) ? line_of(node["severity"]) : rule.source_line,
                      rule.id + ": 'severity' must be one of CRITICAL, HIGH, MEDIUM, LOW, INFO");
    } else {
      rule.severity = *severity;
    }
    try {
      rule.batch = node["batch"].as<int>();
    } catch (const YAML::Exception&) {
      diagnostics.add(file.name, rule.source_line, rule.id + ": 'batch' must be an integer");
    }
    const YAML::Node deps = node["depends_on"];
    if (deps.IsDefined() && !deps.IsNull()) {
      if (!deps.IsSequence()) {
        diagnostics.add(file.name, line_of(deps), rule.id + ": 'depends_on' must be a list of rule ids");
      } else {
        for (const auto& d : deps) rule.depends_on.push_back(scalar_or_empty(d));
      }
    }
    std::array<YAML::Node, k_profile_count> resolved_checks;
    try {
      for (Profile p : {Profile::strict, Profile::reference})
        rule.compiled[static_cast<size_t>(p)] =
            compile_for_profile(node, p, vars[static_cast<size_t>(p)], file.name, diagnostics, arena,
                                &resolved_checks[static_cast<size_t>(p)]);
    } catch (const YAML::Exception& e) {
      // Primitives read their parameters defensively; this is the net for a
      // shape none of them anticipated, so a bad rule is a diagnostic, not a crash.
      diagnostics.add(file.name, rule.source_line, rule.id + ": malformed check: " + e.what());
    }
    resolve_text(rule, node, texts, file.name, diagnostics);
    catalog.rules.push_back(std::move(rule));
    if (resolved != nullptr) resolved->push_back(std::move(resolved_checks));
  }
}

void load_batches(const SourceFile& file, const YAML::Node& root, Catalog& catalog, Diagnostics& diagnostics) {
  const YAML::Node batches = root.IsMap() ? root["batches"] : YAML::Node();
  if (!batches.IsSequence()) {
    diagnostics.add(file.name, line_of(root), "batches.yaml must hold 'batches:', a list");
    return;
  }
  check_keys(root, {"batches"}, file.name, "batches.yaml", diagnostics);
  for (const auto& node : batches) {
    check_keys(node, {"id", "name", "depends_on", "rules"}, file.name, "batch", diagnostics);
    BatchSpec batch;
    batch.source_line = line_of(node);
    try {
      batch.id = node["id"].as<int>();
      batch.name = scalar_or_empty(node["name"]);
      if (node["depends_on"].IsDefined())
        for (const auto& d : node["depends_on"]) batch.depends_on.push_back(d.as<int>());
      if (node["rules"].IsDefined() && !node["rules"].IsNull())
        for (const auto& r : node["rules"]) batch.rules.push_back(r.as<std::string>());
    } catch (const YAML::Exception&) {
      diagnostics.add(file.name, batch.source_line, "a batch needs an integer 'id', a 'name', 'depends_on' (batch ids) "
                                                    "and 'rules' (rule ids)");
      continue;
    }
    catalog.batches.push_back(std::move(batch));
  }
}

/// Gives each alias its target's check, message and evidence. Strict adds
/// `aliased_from` to the evidence (docs/reference-compatibility.md#rc-3).
void resolve_aliases(Catalog& catalog, Diagnostics& diagnostics) {
  for (Rule& rule : catalog.rules) {
    for (Profile p : {Profile::strict, Profile::reference}) {
      CompiledRule& compiled = rule.compiled[static_cast<size_t>(p)];
      if (compiled.alias_target.empty()) continue;
      const Rule* target = catalog.find(compiled.alias_target);
      if (target == nullptr || !target->for_profile(p).alias_target.empty()) {
        diagnostics.add(rule.source_file, rule.source_line,
                        "alias " + rule.id + " targets " + compiled.alias_target +
                            ", which is not a rule or is itself an alias");
        continue;
      }
      const std::string alias_target = compiled.alias_target;
      compiled = target->for_profile(p);
      compiled.alias_target = alias_target;
      if (p == Profile::strict) {
        checks::EvidenceItem from;
        from.key = "aliased_from";
        from.literal = alias_target;
        compiled.evidence.push_back(std::move(from));
      }
    }
  }
}

/// Cross-file checks: every rule in exactly one batch, batch numbers agree,
/// dependencies point only to earlier batches (which also rules out cycles).
void validate_structure(Catalog& catalog, const std::string& batches_file, Diagnostics& diagnostics) {
  std::map<std::string, int> listed_in;
  for (size_t i = 0; i < catalog.batches.size(); ++i) {
    const BatchSpec& batch = catalog.batches[i];
    if (batch.id != static_cast<int>(i))
      diagnostics.add(batches_file, batch.source_line,
                      "batch ids must be 0, 1, 2, ... in order; found " + std::to_string(batch.id) + " at position " +
                          std::to_string(i));
    for (int dep : batch.depends_on)
      if (dep >= batch.id)
        diagnostics.add(batches_file, batch.source_line,
                        "batch " + std::to_string(batch.id) + " depends on batch " + std::to_string(dep) +
                            ", which does not run before it");
    for (const std::string& id : batch.rules) {
      const auto [it, inserted] = listed_in.emplace(id, batch.id);
      if (!inserted)
        diagnostics.add(batches_file, batch.source_line,
                        "rule " + id + " is listed in batch " + std::to_string(it->second) + " and in batch " +
                            std::to_string(batch.id));
      if (!catalog.find(id))
        diagnostics.add(batches_file, batch.source_line,
                        "batch " + std::to_string(batch.id) + " lists unknown rule " + id);
    }
  }
  for (const Rule& rule : catalog.rules) {
    const auto it = listed_in.find(rule.id);
    if (it == listed_in.end()) {
      diagnostics.add(rule.source_file, rule.source_line, "rule " + rule.id + " is in no batch of " + batches_file);
      continue;
    }
    if (it->second != rule.batch)
      diagnostics.add(rule.source_file, rule.source_line,
                      "rule " + rule.id + " says batch " + std::to_string(rule.batch) + " but " + batches_file +
                          " lists it in batch " + std::to_string(it->second));
    for (const std::string& dep : rule.depends_on) {
      const Rule* target = catalog.find(dep);
      if (target == nullptr) {
        diagnostics.add(rule.source_file, rule.source_line, "rule " + rule.id + " depends on unknown rule " + dep);
      } else if (dep == rule.id) {
        diagnostics.add(rule.source_file, rule.source_line, "rule " + rule.id + " depends on itself");
      } else if (target->batch >= rule.batch) {
        diagnostics.add(rule.source_file, rule.source_line,
                        "rule " + rule.id + " (batch " + std::to_string(rule.batch) + ") depends on " + dep +
                            " (batch " + std::to_string(target->batch) +
                            "): a dependency must run in an earlier batch");
      }
    }
  }
}

util::Result<Catalog> load_catalog_unguarded(const std::vector<SourceFile>& files, std::string origin,
                                             Diagnostics& diagnostics, const ProfilesReady& profiles_ready,
                                             ResolvedCheckNodes* resolved) {
  Catalog catalog;
  catalog.origin = std::move(origin);
  std::map<std::string, const SourceFile*> by_name;
  for (const SourceFile& f : files) by_name[f.name] = &f;

  const auto index_it = by_name.find(k_index_file);
  if (index_it == by_name.end()) {
    diagnostics.add(catalog.origin, 0, std::string("catalog has no ") + k_index_file);
    return util::make_error("invalid catalog");
  }
  YAML::Node index;
  if (!parse_text(*index_it->second, &index, diagnostics)) return util::make_error("invalid catalog");
  if (!index.IsMap()) {
    diagnostics.add(k_index_file, line_of(index), "catalog.yaml must be a map with 'files' and 'profiles'");
    return util::make_error("invalid catalog");
  }
  check_keys(index, {"files", "profiles", "queries"}, k_index_file, "catalog.yaml", diagnostics);

  // Profiles: walk settings and the variables rules refer to as $profile.NAME.
  std::array<ProfileVars, k_profile_count> vars;
  const YAML::Node profiles = index["profiles"];
  for (Profile p : {Profile::strict, Profile::reference}) {
    const std::string name(profile_name(p));
    // A const map's operator[] yields an invalid node for a missing key, and
    // asking an invalid node its type throws: test presence first.
    const YAML::Node node = profiles.IsMap() && profiles[name] ? profiles[name] : YAML::Node();
    if (!node.IsMap()) {
      diagnostics.add(k_index_file, line_of(profiles), "profiles." + name + " is missing");
      continue;
    }
    check_keys(node, {"do_not_descend", "query_excluded_dirs", "vars"}, k_index_file, "profiles." + name,
               diagnostics);
    ProfileSettings& settings = catalog.profiles[static_cast<size_t>(p)];
    for (const auto& [key, list] : {std::pair{"do_not_descend", &settings.do_not_descend},
                                    std::pair{"query_excluded_dirs", &settings.query_excluded_dirs}}) {
      const YAML::Node names = node[key];
      if (!names) continue;
      if (!names.IsSequence()) {
        diagnostics.add(k_index_file, line_of(names), "profiles." + name + "." + key + " must be a list of folder names");
        continue;
      }
      for (const auto& d : names) list->push_back(scalar_or_empty(d));
    }
    if (node["vars"] && node["vars"].IsMap())
      for (const auto& kv : node["vars"]) vars[static_cast<size_t>(p)].vars[kv.first.Scalar()] = kv.second;
    vars[static_cast<size_t>(p)].context = profile_context(p, settings);
  }
  const YAML::Node queries = index["queries"];
  if (queries && !queries.IsMap()) diagnostics.add(k_index_file, line_of(queries), "'queries' must map names to file queries");
  if (queries && queries.IsMap())
    for (const auto& kv : queries) {
      if (mentions_named_query(kv.second)) {
        diagnostics.add(k_index_file, line_of(kv.first), "named query '" + kv.first.Scalar() + "' may not use another named query");
        continue;
      }
      for (ProfileVars& v : vars) v.queries[kv.first.Scalar()] = kv.second;
    }
  if (profiles_ready && diagnostics.empty()) profiles_ready(catalog.profiles);

  std::set<std::string> listed = {k_index_file, k_batches_file};
  std::map<std::string, std::pair<std::string, int>> seen_ids;
  const YAML::Node list = index["files"];
  if (!list.IsSequence()) diagnostics.add(k_index_file, line_of(index), "'files' must list the rule files in order");
  for (const auto& item : list) {
    const std::string name = scalar_or_empty(item);
    listed.insert(name);
    const auto it = by_name.find(name);
    if (it == by_name.end()) {
      diagnostics.add(k_index_file, line_of(item), "listed rule file '" + name + "' does not exist");
      continue;
    }
    YAML::Node root;
    if (parse_text(*it->second, &root, diagnostics))
      load_rule_file(*it->second, root, vars, catalog, seen_ids, diagnostics, resolved);
  }
  for (const auto& [name, file] : by_name)
    if (!listed.count(name))
      diagnostics.add(name, 0, std::string("rule file is not listed in ") + k_index_file + " 'files'");

  resolve_aliases(catalog, diagnostics);
  const auto batches_it = by_name.find(k_batches_file);
  if (batches_it == by_name.end()) {
    diagnostics.add(catalog.origin, 0, std::string("catalog has no ") + k_batches_file);
  } else {
    YAML::Node root;
    if (parse_text(*batches_it->second, &root, diagnostics)) load_batches(*batches_it->second, root, catalog, diagnostics);
    validate_structure(catalog, k_batches_file, diagnostics);
  }
  if (!diagnostics.empty()) return util::make_error("invalid catalog");
  return catalog;
}

}  // namespace

util::Result<Catalog> load_catalog_capturing(const std::vector<SourceFile>& files, std::string origin,
                                             Diagnostics& diagnostics, const ProfilesReady& profiles_ready,
                                             ResolvedCheckNodes* resolved) {
  try {
    return load_catalog_unguarded(files, origin, diagnostics, profiles_ready, resolved);
  } catch (const YAML::Exception& e) {
    // A catalog shape the loader did not anticipate is still a catalog error (exit 2).
    diagnostics.add(origin, e.mark.line >= 0 ? e.mark.line + 1 : 0, std::string("malformed catalog: ") + e.what());
    return util::make_error("invalid catalog");
  }
}

util::Result<Catalog> load_catalog(const std::vector<SourceFile>& files, std::string origin,
                                   Diagnostics& diagnostics, const ProfilesReady& profiles_ready) {
  return load_catalog_capturing(files, std::move(origin), diagnostics, profiles_ready, nullptr);
}

util::Result<std::vector<SourceFile>> read_catalog_directory(const std::string& directory,
                                                             Diagnostics& diagnostics) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(directory, ec)) {
    diagnostics.add(directory, 0, "catalog directory does not exist or is not a directory");
    return util::make_error("invalid catalog");
  }
  std::vector<SourceFile> files;
  for (const auto& entry : fs::directory_iterator(directory, ec)) {
    if (entry.path().extension() != ".yaml") continue;
    auto text = util::read_regular_file(entry.path().string(), util::k_catalog_file_size_cap);
    if (!text) {
      diagnostics.add(entry.path().string(), 0, "cannot read file: " + text.error());
      continue;
    }
    files.push_back({entry.path().filename().string(), std::move(*text)});
  }
  if (ec) diagnostics.add(directory, 0, "cannot list catalog directory: " + ec.message());
  return files;
}

util::Result<Catalog> load_catalog_directory(const std::string& directory, Diagnostics& diagnostics,
                                             const ProfilesReady& profiles_ready) {
  auto files = read_catalog_directory(directory, diagnostics);
  if (!files) return util::make_error(files.error());
  return load_catalog(*files, directory, diagnostics, profiles_ready);
}

}  // namespace sotcheck::catalog
