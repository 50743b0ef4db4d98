// Per-shard SoT files (chart.yaml, values.yaml, templates/) and per-implementation files (manifest.yaml, Helm
// chart, Python package, docs). Every field a CS/VG/MS/KP/MR/MD-CHART/MD-MANIFEST rule reads is written here;
// docs/scaffold.md maps each rule to its field. The texts are templates (src/scaffold/templates/shard/,
// implementation/, root/, compliance/) with `@name@` placeholders; what varies is computed and filled in here.
//
// Text hygiene, enforced by tests/unit/scaffold_test.cpp: no generated .py file contains "store" or "save"
// (CP001's PII/biometric storage regexes), and no text file assigns a quoted literal to a password/secret/
// api key/token name or mentions AWS or private keys (CP011). Every .yaml file is valid YAML 1.1 — Helm
// template expressions are only ever used inside quoted scalars — because strict DC001 parses every
// *deployment*.yaml and counts parse errors as violations.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "embedded_templates.hpp"
#include "plan.hpp"

namespace sotcheck::scaffold::detail {

std::string fill(std::string_view tpl, std::initializer_list<std::pair<std::string_view, std::string_view>> vars) {
  std::string out;
  out.reserve(tpl.size() + 256);
  std::size_t i = 0;
  while (i < tpl.size()) {
    const char c = tpl[i];
    if (c == '@') {
      const std::size_t close = tpl.find('@', i + 1);
      if (close != std::string_view::npos) {
        const std::string_view name = tpl.substr(i + 1, close - i - 1);
        bool replaced = false;
        for (const auto& [key, value] : vars) {
          if (key == name) {
            out += value;
            replaced = true;
            break;
          }
        }
        if (replaced) {
          i = close + 1;
          continue;
        }
      }
    }
    out += c;
    ++i;
  }
  return out;
}

std::string_view strip_number(std::string_view nn_name) {
  return nn_name.size() > 3 && nn_name[2] == '_' ? nn_name.substr(3) : nn_name;
}

std::string dashed(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c == '_') c = '-';
  return out;
}

std::string camel(std::string_view s) {
  std::string out;
  bool upper = true;
  for (const char c : s) {
    if (c == '_' || c == '-') {
      upper = true;
      continue;
    }
    out += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    upper = false;
  }
  return out;
}

namespace {

std::string shard_id(std::string_view root, std::string_view shard) {
  std::string id(root);
  id += '/';
  id += shard;
  return id;
}

std::string semver(Rng& rng, std::uint64_t major_lo, std::uint64_t major_hi) {
  // One draw per statement: the operands of `+` are unsequenced, GCC draws them right to left and clang
  // left to right, so the same seed gave two trees. This is GCC's order, the one the trees were written in.
  const std::uint64_t patch = rng.below(20);
  const std::uint64_t minor = rng.below(10);
  const std::uint64_t major = rng.between(major_lo, major_hi);
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
}

// Team handles only: contacts are channels, never e-mail addresses or personal data.
constexpr std::array<std::string_view, 12> k_lead_handles = {"@a-weber",  "@m-schulz", "@l-nguyen", "@k-oduya",
                                                             "@j-petrov", "@s-keller", "@r-haddad", "@t-lindqvist",
                                                             "@c-moreau", "@d-okafor", "@e-silva",  "@h-tanaka"};

constexpr std::array<std::string_view, 6> k_upcoming = {
    "offline verification of attestations", "batch revocation endpoint",
    "post-quantum signature migration",     "cross-shard audit export",
    "rate-limit tiers per tenant",          "OpenAPI 3.1 contract refresh"};

constexpr std::array<std::string_view, 4> k_cpu = {"250m", "500m", "750m", "1000m"};
constexpr std::array<std::string_view, 4> k_memory = {"256Mi", "512Mi", "768Mi", "1Gi"};

}  // namespace

namespace {

std::string_view gloss_of(std::string_view name) {
  for (const auto& unit : k_roots)
    if (unit.name == name) return unit.gloss;
  for (const auto& unit : k_shards)
    if (unit.name == name) return unit.gloss;
  return name;
}

}  // namespace

std::string sot_chart_yaml(std::string_view root, std::string_view shard, const std::vector<std::string>& impls,
                           std::uint64_t seed) {
  Rng rng(seed);
  const std::string version = semver(rng, 1, 2);
  const std::string_view lead = rng.pick(k_lead_handles);
  const std::string_view upcoming = rng.pick(k_upcoming);
  const std::string_view cpu = rng.pick(k_cpu);
  const std::string_view memory = rng.pick(k_memory);
  const std::string replicas_min = std::to_string(rng.between(2, 3));
  const std::string replicas_max = std::to_string(rng.between(4, 12));
  // MR003 counts charts with fewer than three required dependencies and CS007 wants the key present, as a
  // mapping (a Helm-style list would make MR003 fail on the file). Every shard depends on its 16_codex twin
  // (where its contracts are governed); 16_codex shards depend on 03_core.
  const std::string dependency =
      root == "16_codex" ? "03_core/shards/" + std::string(shard) : "16_codex/shards/" + std::string(shard);
  std::string available;
  for (const auto& impl : impls) available += "    - " + impl + "\n";
  const std::string team = dashed(strip_number(root));
  // Quoted versions: VG001 needs a string matching MAJOR.MINOR.PATCH, and an unquoted 1.0 would be a float.
  return fill(template_text("shard/chart.yaml"),
              {{"id", shard_id(root, shard)},
               {"gloss", gloss_of(shard)},
               {"root_gloss", gloss_of(root)},
               {"chart_name", team + "-" + dashed(strip_number(shard))},
               {"version", version},
               {"root", root},
               {"shard", shard},
               {"team", team},
               {"lead", lead},
               {"upcoming", upcoming},
               {"short", strip_number(shard)},
               {"dependency", dependency},
               {"default_impl", impls.front()},
               {"available", available},
               {"cpu", cpu},
               {"memory", memory},
               {"replicas_min", replicas_min},
               {"replicas_max", replicas_max}});
}

std::string shard_values_yaml(std::string_view root, std::string_view shard, std::uint64_t seed) {
  Rng rng(seed ^ 0x76616c756573ULL);
  const std::string replicas = std::to_string(rng.between(2, 4));
  const std::string port = std::to_string(8000 + rng.below(100));
  return fill(template_text("shard/values.yaml"),
              {{"id", shard_id(root, shard)},
               {"replicas", replicas},
               {"team", dashed(strip_number(root))},
               {"name", dashed(strip_number(shard))},
               {"port", port}});
}

std::string shard_deployment_yaml(std::string_view root, std::string_view shard, std::uint64_t seed) {
  Rng rng(seed ^ 0x6465706c6f79ULL);
  const std::string replicas = std::to_string(rng.between(2, 4));
  // Helm expressions stay inside quoted scalars so the template is also valid YAML (strict DC001 parses it);
  // the canary annotation is what DC001 looks for.
  return fill(template_text("shard/templates/deployment.yaml"),
              {{"id", shard_id(root, shard)},
               {"name", dashed(strip_number(shard))},
               {"team", dashed(strip_number(root))},
               {"replicas", replicas}});
}

std::string shard_service_yaml(std::string_view root, std::string_view shard) {
  return fill(template_text("shard/templates/service.yaml"),
              {{"name", dashed(strip_number(shard))}, {"team", dashed(strip_number(root))}});
}

std::string shard_hpa_yaml(std::string_view root, std::string_view shard, std::uint64_t seed) {
  Rng rng(seed ^ 0x687061ULL);
  const std::string max_replicas = std::to_string(rng.between(4, 12));
  return fill(template_text("shard/templates/hpa.yaml"),
              {{"id", shard_id(root, shard)}, {"name", dashed(strip_number(shard))}, {"max", max_replicas}});
}

std::string shard_readme_md(std::string_view root, std::string_view shard, const std::vector<std::string>& impls) {
  std::string list;
  for (const auto& impl : impls) list += "- [`" + impl + "`](implementations/" + impl + "/manifest.yaml)\n";
  return fill(template_text("shard/README.md"),
              {{"id", shard_id(root, shard)},
               {"shard", shard},
               {"gloss", gloss_of(shard)},
               {"root", root},
               {"root_gloss", gloss_of(root)},
               {"list", list}});
}

std::string shard_openapi_yaml(std::string_view root, std::string_view shard) {
  return fill(template_text("shard/contracts/shard.openapi.yaml"),
              {{"id", shard_id(root, shard)}, {"gloss", gloss_of(shard)}, {"short", strip_number(shard)}});
}

std::string shard_schema_json(std::string_view root, std::string_view shard) {
  return fill(template_text("shard/contracts/shard.schema.json"),
              {{"root", root},
               {"short", strip_number(shard)},
               {"camel", camel(strip_number(shard))},
               {"gloss", gloss_of(shard)}});
}

std::string root_readme_md(std::string_view root, std::string_view gloss, bool large) {
  std::string shards;
  for (const auto& shard : k_shards)
    shards += "| `" + std::string(shard.name) + "` | " + std::string(shard.gloss) + " |\n";
  return fill(template_text("root/README.md"),
              {{"root", root},
               {"gloss", gloss},
               {"extra", large ? ", plus root-level documentation in `docs/`" : ""},
               {"shards", shards}});
}

std::string incident_response_plan_md(std::string_view root) {
  return fill(template_text("root/docs/incident_response_plan.md"),
              {{"root", root}, {"team", dashed(strip_number(root))}});
}

std::string root_doc_md(std::string_view root, std::string_view topic, std::uint64_t seed) {
  Rng rng(seed);
  std::string sections;
  const std::uint64_t count = rng.between(3, 7);
  constexpr std::array<std::string_view, 8> k_headings = {"Context",        "Responsibilities", "Interfaces",
                                                          "Data handling",  "Operations",       "Failure modes",
                                                          "Open questions", "References"};
  constexpr std::array<std::string_view, 6> k_sentences = {
      "Every shard of this root exposes its contract first; implementations follow the contract, never the "
      "other way round.",
      "Personal attributes are hashed with SHA3-256 and a per-tenant pepper before they leave the request "
      "scope; only digests reach the audit ledger.",
      "Changes that alter a MUST capability go through an RFC and the Architecture Board.",
      "Metrics, traces and JSON logs are emitted by default; log records are redacted before shipping.",
      "Deployments roll out as canaries and are promoted once the error budget allows it.",
      "Each implementation documents its setup, its local development loop and its pre-commit hooks."};
  for (std::uint64_t i = 0; i < count; ++i) {
    sections += "## " + std::string(k_headings[(i + rng.below(3)) % k_headings.size()]) + "\n\n";
    const std::uint64_t lines = rng.between(2, 5);
    for (std::uint64_t j = 0; j < lines; ++j) sections += std::string(rng.pick(k_sentences)) + "\n";
    sections += "\n";
  }
  return fill(template_text("root/docs/topic.md"), {{"root", root}, {"topic", topic}, {"sections", sections}});
}

std::string rego_shard_policy(std::string_view root, std::string_view shard) {
  return fill(template_text("compliance/shard_policy.rego"),
              {{"id", shard_id(root, shard)},
               {"pkg", std::string(strip_number(root)) + "." + std::string(strip_number(shard))}});
}

namespace {

struct StackInfo {
  std::string_view framework;
  std::string_view package_spec;
};

// Implementation ids are "python-<framework>" (with "-copyN" for --copies); the framework decides the first
// dependency line.
StackInfo stack_info(std::string_view impl) {
  const std::size_t start = impl.find('-') + 1;
  const std::size_t end = impl.find('-', start);
  const std::string_view framework = impl.substr(start, end == std::string_view::npos ? end : end - start);
  if (framework == "fastapi") return {framework, "fastapi>=0.110"};
  if (framework == "flask") return {framework, "flask>=3.0"};
  if (framework == "django") return {framework, "django>=5.0"};
  if (framework == "tensorflow") return {framework, "tensorflow>=2.15"};
  if (framework == "pytorch") return {framework, "torch>=2.2"};
  if (framework == "grpc") return {framework, "grpcio>=1.62"};
  if (framework == "aiohttp") return {framework, "aiohttp>=3.9"};
  if (framework == "celery") return {framework, "celery>=5.3"};
  if (framework == "starlette") return {framework, "starlette>=0.37"};
  return {framework, "scikit-learn>=1.4"};
}

std::string helm_name(const ImplContext& c) {
  return dashed(strip_number(c.root)) + "-" + dashed(strip_number(c.shard)) + "-" + c.impl;
}

}  // namespace

std::string manifest_yaml(const ImplContext& c) {
  Rng rng(c.seed ^ 0x6d616e6966657374ULL);
  const std::string impl_version = semver(rng, 1, 3);
  const std::string chart_version = semver(rng, 1, 2);
  const std::string_view maturity = rng.below(4) == 0 ? "beta" : "stable";
  const std::string python = rng.below(2) == 0 ? "3.11" : "3.12";
  const std::string coverage = std::to_string(rng.between(80, 95));
  const std::string p95 = std::to_string(rng.between(80, 250));
  const std::string target = std::to_string(rng.between(50, 79));
  const std::string rps = std::to_string(rng.between(200, 2000));
  const StackInfo stack = stack_info(c.impl);
  // Every MS and MD-MANIFEST field, each level a mapping (strict docs/reference-compatibility.md#rc-12). `testing` carries both spellings the
  // rules use: unit/integration/contract (MS005) and unit_tests/security_tests/performance_tests
  // (MD-MANIFEST-029/032/033); coverage_target is a plain integer >= 80.
  return fill(template_text("implementation/manifest.yaml"),
              {{"impl", c.impl},
               {"id", shard_id(c.root, c.shard)},
               {"impl_version", impl_version},
               {"chart_version", chart_version},
               {"helm_name", helm_name(c)},
               {"maturity", maturity},
               {"team", dashed(strip_number(c.root))},
               {"python", python},
               {"framework", stack.framework},
               {"package", c.package},
               {"package_spec", stack.package_spec},
               {"shard", c.shard},
               {"short", strip_number(c.shard)},
               {"coverage", coverage},
               {"p95", p95},
               {"target", target},
               {"rps", rps}});
}

std::string helm_chart_yaml(const ImplContext& c) {
  Rng rng(c.seed ^ 0x68656c6dULL);
  const std::uint64_t patch = rng.below(10);  // one draw per statement, in GCC's order (semver above)
  const std::uint64_t minor = rng.between(1, 9);
  const std::string version = "0." + std::to_string(minor) + "." + std::to_string(patch);
  const std::string app_version = semver(rng, 1, 3);
  // A plain Helm v2 chart: semver version quoted (VG001-proof even if a tool reads Helm charts), no
  // dependencies list (a list-valued `dependencies` would trip MR003 for a tool that mistakes it for a SoT
  // chart).
  return fill(template_text("implementation/helm/Chart.yaml"),
              {{"name", helm_name(c)},
               {"impl", c.impl},
               {"id", shard_id(c.root, c.shard)},
               {"version", version},
               {"app_version", app_version}});
}

std::string helm_values_yaml(const ImplContext& c) {
  Rng rng(c.seed ^ 0x76616cULL);
  const std::string replicas = std::to_string(rng.between(1, 3));
  return fill(template_text("implementation/helm/values.yaml"),
              {{"replicas", replicas},
               {"team", dashed(strip_number(c.root))},
               {"name", helm_name(c)},
               {"id", shard_id(c.root, c.shard)}});
}

std::string helm_deployment_yaml(const ImplContext& c) {
  return fill(template_text("implementation/helm/templates/deployment.yaml"),
              {{"name", helm_name(c)}, {"id", shard_id(c.root, c.shard)}, {"impl", c.impl}});
}

std::string helm_service_yaml(const ImplContext& c) {
  return fill(template_text("implementation/helm/templates/service.yaml"),
              {{"name", helm_name(c)}});
}

std::string helm_ingress_yaml(const ImplContext& c) {
  return fill(template_text("implementation/helm/templates/ingress.yaml"),
              {{"name", helm_name(c)}});
}

std::string helm_hpa_yaml(const ImplContext& c) {
  return fill(template_text("implementation/helm/templates/hpa.yaml"),
              {{"name", helm_name(c)}});
}

std::string helm_helpers_tpl(const ImplContext& c) {
  return fill(template_text("implementation/helm/templates/_helpers.tpl"),
              {{"name", helm_name(c)}});
}

std::string impl_readme_md(const ImplContext& c) {
  return fill(template_text("implementation/README.md"),
              {{"impl", c.impl},
               {"id", shard_id(c.root, c.shard)},
               {"gloss", gloss_of(c.shard)},
               {"framework", stack_info(c.impl).framework},
               {"short", strip_number(c.shard)},
               {"package", c.package}});
}

std::string impl_changelog_md(const ImplContext& c) {
  Rng rng(c.seed ^ 0x6368616e6765ULL);
  const std::string minor = std::to_string(rng.between(1, 9));
  // VG003: the deprecation notice period (180 days) is stated in every changelog.
  return fill(template_text("implementation/CHANGELOG.md"),
              {{"impl", c.impl}, {"id", shard_id(c.root, c.shard)}, {"minor", minor}});
}

std::string impl_dockerfile(const ImplContext& c) {
  return fill(template_text("implementation/Dockerfile"),
              {{"package", c.package}});
}

std::string impl_compose_yml(const ImplContext& c) {
  return fill(template_text("implementation/docker-compose.yml"),
              {{"name", helm_name(c)}, {"id", shard_id(c.root, c.shard)}});
}

std::string impl_pyproject_toml(const ImplContext& c) {
  const StackInfo stack = stack_info(c.impl);
  return fill(template_text("implementation/pyproject.toml"),
              {{"name", helm_name(c)}, {"package_spec", stack.package_spec}});
}

std::string impl_settings_yaml(const ImplContext& c) {
  Rng rng(c.seed ^ 0x73657474ULL);
  const std::string workers = std::to_string(rng.between(2, 8));
  const std::string timeout = std::to_string(rng.between(5, 30));
  return fill(template_text("implementation/config/settings.yaml"),
              {{"impl", c.impl}, {"id", shard_id(c.root, c.shard)}, {"workers", workers}, {"timeout", timeout}});
}

std::string impl_architecture_md(const ImplContext& c) {
  return fill(template_text("implementation/docs/architecture.md"),
              {{"impl", c.impl},
               {"id", shard_id(c.root, c.shard)},
               {"package", c.package},
               {"framework", stack_info(c.impl).framework},
               {"short", strip_number(c.shard)}});
}

const std::array<std::string_view, 16> k_python_modules = {
    "service", "models", "handlers", "schemas",     "routes",   "validators", "metrics", "health",
    "events",  "client", "mappers",  "serializers", "registry", "pipeline",   "scoring", "adapters"};

namespace {

// One generated function and its test: `@noun@` and `@Entity@` are filled per module. Their texts are the
// templates implementation/functions/FILE.py and implementation/functions/test_FILE.py.
struct PythonFunction {
  std::string_view name;
  std::string_view file;
  std::string_view code() const { return template_text(std::string(k_folder) + std::string(file) + ".py"); }
  std::string_view test() const { return template_text(std::string(k_folder) + "test_" + std::string(file) + ".py"); }

  static constexpr std::string_view k_folder = "implementation/functions/";
};

// None of these texts contains "store" or "save" (CP001) or any credential-looking assignment (CP011).
constexpr std::array<PythonFunction, 8> k_python_functions = {{
    {"is_@noun@_accepted", "is_noun_accepted"},
    {"rank_@noun@s", "rank_nouns"},
    {"active_@noun@s", "active_nouns"},
    {"summarize_@noun@s", "summarize_nouns"},
    {"@noun@_digest", "noun_digest"},
    {"merge_@noun@s", "merge_nouns"},
    {"batch_@noun@s", "batch_nouns"},
    {"normalize_@noun@_status", "normalize_noun_status"},
}};

constexpr std::array<std::string_view, 10> k_nouns = {"claim",     "attestation", "proof",   "profile", "request",
                                                      "assertion", "binding",     "mandate", "entry",   "event"};

struct ModuleShape {
  std::vector<std::size_t> functions;  // indices into k_python_functions
  std::vector<std::string_view> nouns;
};

// Which functions a module has; the module and its test derive it from the same seed.
ModuleShape module_shape(std::uint64_t seed) {
  Rng rng(seed);
  std::array<std::size_t, k_python_functions.size()> order{};
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  for (std::size_t i = order.size() - 1; i > 0; --i) std::swap(order[i], order[rng.below(i + 1)]);
  ModuleShape shape;
  const std::uint64_t count = rng.between(3, k_python_functions.size());
  for (std::uint64_t i = 0; i < count; ++i) {
    shape.functions.push_back(order[i]);
    shape.nouns.push_back(rng.pick(k_nouns));
  }
  return shape;
}

std::string_view module_title(std::string_view module) {
  if (module == "service") return "Service layer";
  if (module == "models") return "Domain helpers";
  if (module == "handlers") return "Request handlers";
  if (module == "schemas") return "Schema helpers";
  if (module == "routes") return "Routing helpers";
  if (module == "validators") return "Input checks";
  if (module == "metrics") return "Metric helpers";
  if (module == "health") return "Health reporting";
  if (module == "events") return "Event handling";
  if (module == "client") return "Client helpers";
  if (module == "mappers") return "Record mappers";
  if (module == "serializers") return "Serialisation helpers";
  if (module == "registry") return "Record registry";
  if (module == "pipeline") return "Processing pipeline";
  if (module == "scoring") return "Scoring";
  return "Adapters";
}

}  // namespace

std::string python_init_py(const ImplContext& c) {
  Rng rng(c.seed ^ 0x696e6974ULL);
  const std::string threshold = "0." + std::to_string(rng.between(55, 90));
  const std::string batch = std::to_string(16u << rng.below(4));
  return fill(template_text("implementation/src/package/__init__.py"),
              {{"impl", c.impl},
               {"id", shard_id(c.root, c.shard)},
               {"gloss", gloss_of(c.shard)},
               {"Entity", camel(c.package)},
               {"threshold", threshold},
               {"batch", batch}});
}

std::string python_module_py(const ImplContext& c, std::string_view module, std::uint64_t seed) {
  const ModuleShape shape = module_shape(seed);
  const std::string entity = camel(c.package);
  std::string body;
  for (std::size_t i = 0; i < shape.functions.size(); ++i) {
    body += "\n\n";
    body += fill(k_python_functions[shape.functions[i]].code(), {{"noun", shape.nouns[i]}, {"Entity", entity}});
  }
  // Import exactly what the chosen functions use, so the generated code passes a linter.
  const auto uses = [&body](std::string_view what) { return body.find(what) != std::string::npos; };
  std::string imports = "from __future__ import annotations\n\n";
  if (uses("dataclasses.")) imports += "import dataclasses\n";
  if (uses("hashlib.")) imports += "import hashlib\n";
  imports += "import logging\n";
  if (uses("Iterable[")) imports += "from typing import Iterable\n";
  imports += "\nfrom " + c.package + " import ";
  if (uses("BATCH_SIZE")) imports += "BATCH_SIZE, ";
  if (uses("DEFAULT_THRESHOLD")) imports += "DEFAULT_THRESHOLD, ";
  imports += entity + "Record\n";
  return fill(template_text("implementation/src/package/module.py"),
              {{"title", module_title(module)},
               {"gloss", gloss_of(c.shard)},
               {"id", shard_id(c.root, c.shard)},
               {"impl", c.impl},
               {"imports", imports},
               {"body", body}});
}

std::string python_test_py(const ImplContext& c, std::string_view module, std::uint64_t seed) {
  const ModuleShape shape = module_shape(seed);
  const std::string entity = camel(c.package);
  std::string names;
  std::string body;
  for (std::size_t i = 0; i < shape.functions.size(); ++i) {
    const PythonFunction& function = k_python_functions[shape.functions[i]];
    names += "    " + fill(function.name, {{"noun", shape.nouns[i]}}) + ",\n";
    body += "\n\n";
    body += fill(function.test(), {{"noun", shape.nouns[i]}, {"Entity", entity}});
  }
  const auto uses = [&body](std::string_view what) { return body.find(what) != std::string::npos; };
  std::string imports;
  if (uses("dataclasses.")) imports += "import dataclasses\n\n";
  imports +=
      "from " + c.package + " import " + (uses("DEFAULT_THRESHOLD") ? "DEFAULT_THRESHOLD, " : "") + entity + "Record\n";
  imports += "from " + c.package + "." + std::string(module) + " import (\n" + names + ")\n";
  return fill(template_text("implementation/tests/test_module.py"),
              {{"package", c.package},
               {"module", module},
               {"impl", c.impl},
               {"id", shard_id(c.root, c.shard)},
               {"imports", imports},
               {"body", body}});
}

}  // namespace sotcheck::scaffold::detail
