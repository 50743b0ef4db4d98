// The shape of a scaffold tree: 24 roots x 16 shards under NN_root/shards/, the implementations of each
// shard, and (large only) the byte-volume files. What goes inside each file is decided by sot_files.cpp and
// repo_files.cpp.

#include <algorithm>
#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "plan.hpp"
#include "sotcheck/util/hash.hpp"

namespace sotcheck::scaffold::detail {

// The SSID standard names (master definition v1.1.1). All have the shape of util::is_nn_name.
const std::array<NamedUnit, 24> k_roots = {{
    {"01_ai_layer", "AI/ML models, inference and bias testing"},
    {"02_audit_logging", "Audit trails, hash ledger, WORM storage and blockchain anchoring"},
    {"03_core", "Core identity services and shared primitives"},
    {"04_deployment", "Deployment pipelines, environments and release tooling"},
    {"05_documentation", "Developer and operator documentation"},
    {"06_data_pipeline", "Data ingestion, transformation and lineage"},
    {"07_governance_legal", "Governance, legal framework and change process"},
    {"08_identity_score", "Identity trust scoring"},
    {"09_meta_identity", "Decentralised identifiers and verifiable credentials"},
    {"10_interoperability", "Standards bridges and external networks"},
    {"11_test_simulation", "Test harnesses, simulations and benchmarks"},
    {"12_tooling", "Developer tooling, linters and command-line tools"},
    {"13_ui_layer", "User interfaces and wallets"},
    {"14_zero_time_auth", "Zero-time authentication and access control"},
    {"15_infra", "Infrastructure, networking, TLS and key management"},
    {"16_codex", "Contracts, structure definitions and RFCs"},
    {"17_observability", "Metrics, tracing, logging and alerting"},
    {"18_data_layer", "Data layer, IPFS and data schemas"},
    {"19_adapters", "Adapters to external systems"},
    {"20_foundation", "Foundation, tokenomics and DAO governance"},
    {"21_post_quantum_crypto", "Post-quantum cryptography"},
    {"22_datasets", "Reference datasets and fixtures"},
    {"23_compliance", "Compliance policies (OPA), sanctions and regulatory mapping"},
    {"24_meta_orchestration", "Orchestration, registry and repository scans"},
}};

const std::array<NamedUnit, 16> k_shards = {{
    {"01_identitaet_personen", "identity of natural persons"},
    {"02_dokumente_nachweise", "documents and proofs"},
    {"03_zugang_berechtigungen", "access and entitlements"},
    {"04_kommunikation_daten", "communication and data"},
    {"05_gesundheit_medizin", "health and medicine"},
    {"06_bildung_qualifikationen", "education and qualifications"},
    {"07_familie_soziales", "family and social affairs"},
    {"08_mobilitaet_fahrzeuge", "mobility and vehicles"},
    {"09_arbeit_karriere", "work and career"},
    {"10_finanzen_banking", "finance and banking"},
    {"11_versicherungen_risiken", "insurance and risk"},
    {"12_immobilien_grundstuecke", "real estate and land"},
    {"13_unternehmen_gewerbe", "companies and trade"},
    {"14_vertraege_vereinbarungen", "contracts and agreements"},
    {"15_handel_transaktionen", "trade and transactions"},
    {"16_behoerden_verwaltung", "public authorities and administration"},
}};

std::uint64_t derive_seed(std::uint64_t seed, std::string_view salt) {
  // FNV-1a over the salt, folded into the run seed and scrambled once by splitmix64.
  return Rng(seed ^ util::fnv1a(salt)).next();
}

void TreePlan::add_parents(std::string_view path) {
  for (std::size_t slash = path.find('/'); slash != std::string_view::npos; slash = path.find('/', slash + 1)) {
    std::string directory(path.substr(0, slash));
    if (m_directory_set.insert(directory).second) m_directories.push_back(std::move(directory));
  }
}

void TreePlan::add_file(std::string path, std::string content) {
  add_parents(path);
  PlannedFile file;
  file.path = std::move(path);
  file.content = std::move(content);
  m_files.push_back(std::move(file));
}

void TreePlan::add_bulk(std::string path, BulkKind kind, std::uint64_t size, std::uint64_t seed) {
  // The bulk generator needs room for its closing record; every caller asks for kilobytes at least.
  if (size < 1024) throw std::logic_error("scaffold: bulk file too small: " + path);
  add_parents(path);
  PlannedFile file;
  file.path = std::move(path);
  file.bulk = kind;
  file.bulk_size = size;
  file.bulk_seed = seed;
  m_files.push_back(std::move(file));
}

ScaffoldStats TreePlan::stats() const {
  ScaffoldStats stats;
  stats.files = m_files.size();
  stats.directories = m_directories.size();
  for (const auto& file : m_files) stats.bytes += file.size();
  return stats;
}

namespace {

// Frameworks of the Python implementations; an implementation id is "python-<framework>". None of the ids
// contains a keyword of a rule glob (they are directory names, and only `implementations/*` matters).
constexpr std::array<std::string_view, 10> k_frameworks = {"fastapi", "flask",   "django", "tensorflow", "pytorch",
                                                           "grpc",    "aiohttp", "celery", "starlette",  "sklearn"};

// The shard that carries the small tree's worked example: two implementations (KP003 needs a shard with
// more than one), a full Python package with tests (KP001, DC004) and a Helm chart (KP009).
constexpr std::string_view k_showcase_root = "03_core";
constexpr std::string_view k_showcase_shard = "01_identitaet_personen";

std::vector<std::string> pick_implementations(std::uint64_t seed, std::uint64_t count) {
  Rng rng(seed);
  std::array<std::size_t, k_frameworks.size()> order{};
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  for (std::size_t i = order.size() - 1; i > 0; --i) std::swap(order[i], order[rng.below(i + 1)]);
  std::vector<std::string> impls;
  for (std::uint64_t i = 0; i < count; ++i) impls.push_back("python-" + std::string(k_frameworks[order[i]]));
  return impls;
}

// A complete implementation: manifest, package, tests, Helm chart, config, docs and a JSON fixture.
void add_full_implementation(TreePlan& plan, const ImplContext& c, std::uint64_t fixture_max) {
  const std::string base = c.shard_dir + "/implementations/" + c.impl + "/";
  Rng rng(c.seed);
  plan.add_file(base + "manifest.yaml", manifest_yaml(c));
  plan.add_file(base + "README.md", impl_readme_md(c));
  plan.add_file(base + "CHANGELOG.md", impl_changelog_md(c));
  plan.add_file(base + "Dockerfile", impl_dockerfile(c));
  plan.add_file(base + "docker-compose.yml", impl_compose_yml(c));
  plan.add_file(base + "pyproject.toml", impl_pyproject_toml(c));

  // Modules: a seeded subset of the vocabulary, in vocabulary order; the first few get tests.
  std::array<std::size_t, k_python_modules.size()> order{};
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  for (std::size_t i = order.size() - 1; i > 0; --i) std::swap(order[i], order[rng.below(i + 1)]);
  const std::uint64_t modules = rng.between(3, 6);
  const std::uint64_t tested = std::min(rng.between(2, 3), modules);
  plan.add_file(base + "src/" + c.package + "/__init__.py", python_init_py(c));
  for (std::uint64_t i = 0; i < modules; ++i) {
    const std::string_view module = k_python_modules[order[i]];
    const std::uint64_t module_seed = derive_seed(c.seed, module);
    plan.add_file(base + "src/" + c.package + "/" + std::string(module) + ".py",
                  python_module_py(c, module, module_seed));
    if (i < tested)
      plan.add_file(base + "tests/test_" + std::string(module) + ".py", python_test_py(c, module, module_seed));
  }
  plan.add_bulk(base + "tests/fixture_events.json", BulkKind::json_fixture, rng.between(12 * 1024, fixture_max),
                derive_seed(c.seed, "fixture"));

  plan.add_file(base + "helm/Chart.yaml", helm_chart_yaml(c));
  plan.add_file(base + "helm/values.yaml", helm_values_yaml(c));
  plan.add_file(base + "helm/templates/_helpers.tpl", helm_helpers_tpl(c));
  plan.add_file(base + "helm/templates/deployment.yaml", helm_deployment_yaml(c));
  plan.add_file(base + "helm/templates/service.yaml", helm_service_yaml(c));
  plan.add_file(base + "helm/templates/ingress.yaml", helm_ingress_yaml(c));
  plan.add_file(base + "helm/templates/hpa.yaml", helm_hpa_yaml(c));
  plan.add_file(base + "config/settings.yaml", impl_settings_yaml(c));
  plan.add_file(base + "docs/architecture.md", impl_architecture_md(c));
}

// --copies: copy 1 is the tree itself; copy N >= 2 repeats an implementation as "<impl>-copyN", with content
// seeded by its own path, so the matrix stays 24 x 16 while the implementations (most of the entries) grow
// N-fold.
std::vector<std::string> with_copies(const std::vector<std::string>& impls, std::uint32_t copies) {
  std::vector<std::string> all = impls;
  for (std::uint32_t copy = 2; copy <= copies; ++copy)
    for (const auto& impl : impls) all.push_back(impl + "-copy" + std::to_string(copy));
  return all;
}

void add_shard(TreePlan& plan, const TreeShape& shape, std::string_view root, std::string_view shard) {
  const Size size = shape.size;
  const std::uint64_t seed = shape.seed;
  const std::string shard_dir = std::string(root) + "/shards/" + std::string(shard);
  const std::uint64_t shard_seed = derive_seed(seed, shard_dir);
  const bool large = size == Size::large;
  const bool showcase = root == k_showcase_root && shard == k_showcase_shard;
  Rng rng(shard_seed);
  const std::uint64_t impl_count = large ? rng.between(2, 3) : showcase ? 2 : 1;
  const std::vector<std::string> impls =
      with_copies(pick_implementations(derive_seed(shard_seed, "impls"), impl_count), shape.copies);

  plan.add_file(shard_dir + "/chart.yaml", sot_chart_yaml(root, shard, impls, shard_seed));
  plan.add_file(shard_dir + "/values.yaml", shard_values_yaml(root, shard, shard_seed));
  plan.add_file(shard_dir + "/templates/deployment.yaml", shard_deployment_yaml(root, shard, shard_seed));
  if (large || showcase) {
    plan.add_file(shard_dir + "/README.md", shard_readme_md(root, shard, impls));
    plan.add_file(shard_dir + "/templates/service.yaml", shard_service_yaml(root, shard));
    plan.add_file(shard_dir + "/templates/hpa.yaml", shard_hpa_yaml(root, shard, shard_seed));
    const std::string short_name(strip_number(shard));
    plan.add_file(shard_dir + "/contracts/" + short_name + ".openapi.yaml", shard_openapi_yaml(root, shard));
    plan.add_file(shard_dir + "/contracts/" + short_name + ".schema.json", shard_schema_json(root, shard));
  }

  for (std::size_t i = 0; i < impls.size(); ++i) {
    ImplContext c;
    c.root = root;
    c.shard = shard;
    c.shard_dir = shard_dir;
    c.impl = impls[i];
    c.package = std::string(strip_number(shard));
    c.seed = derive_seed(seed, shard_dir + "/implementations/" + impls[i]);
    if (large || (showcase && i % impl_count == 0))
      add_full_implementation(plan, c, large ? 128 * 1024 : 16 * 1024);
    else
      plan.add_file(shard_dir + "/implementations/" + impls[i] + "/manifest.yaml", manifest_yaml(c));
  }
}

// --copies N >= 2: the data volume again, N-1 times: more corpus parts per shard and the audit logs of earlier
// years (copy 2 is 2024). Sizes come from their own seed, so copy 1 (the tree itself) is unchanged.
void add_volume_copies(TreePlan& plan, std::uint64_t seed, std::uint32_t copies) {
  Rng rng(derive_seed(seed, "volume copies"));
  for (std::uint32_t copy = 2; copy <= copies; ++copy) {
    for (const auto& shard : k_shards) {
      for (std::uint32_t part = 2 * copy - 1; part <= 2 * copy; ++part) {
        const std::string path =
            "22_datasets/corpora/" + std::string(shard.name) + "/events_part" + std::to_string(part) + ".jsonl";
        plan.add_bulk(path, BulkKind::jsonl_events, rng.between(3000, 5000) * 1024, derive_seed(seed, path));
      }
    }
    const std::string year = std::to_string(2025 - (copy - 1));
    for (int month = 1; month <= 12; ++month) {
      const std::string path = "02_audit_logging/logs/audit_" + year + "_" + std::string(month < 10 ? "0" : "") +
                               std::to_string(month) + ".jsonl";
      plan.add_bulk(path, BulkKind::jsonl_events, rng.between(900, 2000) * 1024, derive_seed(seed, path));
    }
  }
}

// Large only: root documentation, one admission policy per shard, and the data volume (dataset corpora and
// audit logs) that brings the tree to the real repository's ~250 MB.
void add_large_extras(TreePlan& plan, std::uint64_t seed, std::uint32_t copies) {
  constexpr std::array<std::string_view, 3> k_topics = {"architecture", "operations", "data flows"};
  for (const auto& root : k_roots) {
    for (const auto& topic : k_topics) {
      std::string file(topic);
      for (char& ch : file)
        if (ch == ' ') ch = '_';
      plan.add_file(std::string(root.name) + "/docs/" + file + ".md",
                    root_doc_md(root.name, topic, derive_seed(seed, std::string(root.name) + file)));
    }
    for (const auto& shard : k_shards)
      plan.add_file("23_compliance/policies/matrix/" + std::string(root.name) + "/" + std::string(shard.name) + ".rego",
                    rego_shard_policy(root.name, shard.name));
  }

  Rng rng(derive_seed(seed, "volume"));
  for (std::uint64_t i = 1; i <= 24 * std::uint64_t{copies}; ++i) {
    const std::string topic = "guide " + std::to_string(i);
    plan.add_file("05_documentation/guides/guide_" + std::string(i < 10 ? "0" : "") + std::to_string(i) + ".md",
                  root_doc_md("05_documentation", topic, derive_seed(seed, topic)));
  }
  for (const auto& shard : k_shards) {
    for (int part = 1; part <= 2; ++part) {
      const std::string path =
          "22_datasets/corpora/" + std::string(shard.name) + "/events_part" + std::to_string(part) + ".jsonl";
      plan.add_bulk(path, BulkKind::jsonl_events, rng.between(3000, 5000) * 1024, derive_seed(seed, path));
    }
  }
  for (int month = 1; month <= 12; ++month) {
    const std::string path =
        "02_audit_logging/logs/audit_2025_" + std::string(month < 10 ? "0" : "") + std::to_string(month) + ".jsonl";
    plan.add_bulk(path, BulkKind::jsonl_events, rng.between(900, 2000) * 1024, derive_seed(seed, path));
  }
  add_volume_copies(plan, seed, copies);
}

}  // namespace

TreePlan build_plan(const TreeShape& shape) {
  if (shape.copies < 1 || shape.copies > k_max_copies)
    throw std::logic_error("scaffold: copies out of range: " + std::to_string(shape.copies));
  TreePlan plan;
  add_repository_files(plan, shape.size, shape.seed);
  for (const auto& root : k_roots) {
    plan.add_file(std::string(root.name) + "/README.md",
                  root_readme_md(root.name, root.gloss, shape.size == Size::large));
    plan.add_file(std::string(root.name) + "/docs/incident_response_plan.md", incident_response_plan_md(root.name));
    for (const auto& shard : k_shards) add_shard(plan, shape, root.name, shard.name);
  }
  if (shape.size == Size::large) add_large_extras(plan, shape.seed, shape.copies);
  return plan;
}

}  // namespace sotcheck::scaffold::detail
