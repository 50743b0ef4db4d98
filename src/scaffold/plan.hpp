#pragma once
/// Private to src/scaffold: the in-memory plan of a scaffold tree and the generators that fill it.
/// The plan is built first (cheap: paths and small texts), then written or inspected; bulk data files carry
/// only (kind, size, seed) and get their bytes while being written.

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "sotcheck/scaffold/scaffold.hpp"

namespace sotcheck::scaffold::detail {

/// splitmix64 (Steele, Lea, Flood 2014): tiny, fast, good enough for names and sizes, and the same on every
/// platform, which std::mt19937 + distributions are not.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : m_state(seed) {}

  std::uint64_t next() {
    std::uint64_t z = (m_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  /// Uniform-enough integer in [0, bound); bound > 0. The modulo bias is irrelevant at these bounds.
  std::uint64_t below(std::uint64_t bound) { return next() % bound; }
  /// Integer in [lo, hi].
  std::uint64_t between(std::uint64_t lo, std::uint64_t hi) { return lo + below(hi - lo + 1); }
  template <typename T, std::size_t N>
  const T& pick(const std::array<T, N>& items) {
    return items[below(N)];
  }

 private:
  std::uint64_t m_state;
};

/// A seed for one named thing (a shard, an implementation, a file), independent of generation order, so
/// adding a file in one place never reshuffles the names somewhere else.
std::uint64_t derive_seed(std::uint64_t seed, std::string_view salt);

enum class BulkKind : std::uint8_t { none, jsonl_events, json_fixture };

struct PlannedFile {
  std::string path;     ///< relative, '/'-separated
  std::string content;  ///< text files
  BulkKind bulk = BulkKind::none;
  std::uint64_t bulk_size = 0;
  std::uint64_t bulk_seed = 0;

  std::uint64_t size() const { return bulk == BulkKind::none ? content.size() : bulk_size; }
};

/// Files in creation order, plus every directory they need (parents before children).
class TreePlan {
 public:
  void add_file(std::string path, std::string content);
  void add_bulk(std::string path, BulkKind kind, std::uint64_t size, std::uint64_t seed);

  const std::vector<std::string>& directories() const { return m_directories; }
  const std::vector<PlannedFile>& files() const { return m_files; }
  ScaffoldStats stats() const;

 private:
  void add_parents(std::string_view path);

  std::unordered_set<std::string> m_directory_set;
  std::vector<std::string> m_directories;
  std::vector<PlannedFile> m_files;
};

/// The SSID master definition's 24 roots and 16 shards, each with an English gloss for generated prose.
struct NamedUnit {
  std::string_view name;
  std::string_view gloss;
};
extern const std::array<NamedUnit, 24> k_roots;
extern const std::array<NamedUnit, 16> k_shards;

/// Where an implementation lives and what it is called; shared by the manifest, Helm and code generators.
struct ImplContext {
  std::string_view root;   ///< "03_core"
  std::string_view shard;  ///< "01_identitaet_personen"
  std::string shard_dir;   ///< "03_core/shards/01_identitaet_personen"
  std::string impl;        ///< "python-fastapi"
  std::string package;     ///< Python package name, "identitaet_personen"
  std::uint64_t seed = 0;  ///< derive_seed(run seed, impl dir)
};

/// Replaces every `@name@` whose name is in `vars` with its value; other text (including a lone `@`, as in
/// `actions/checkout@v4` or `@ssid/team`) is copied unchanged. `@` rather than `{{ }}` or `${ }` because the
/// generated files are full of Helm and GitHub Actions expressions.
std::string fill(std::string_view tpl, std::initializer_list<std::pair<std::string_view, std::string_view>> vars);
/// "03_core" -> "core".
std::string_view strip_number(std::string_view nn_name);
/// "identitaet_personen" -> "identitaet-personen".
std::string dashed(std::string_view s);
/// "identitaet_personen" -> "IdentitaetPersonen".
std::string camel(std::string_view s);

/// The whole tree for a shape (size, seed, copies). Deterministic.
TreePlan build_plan(const TreeShape& shape);

// --- generators (sot_files.cpp): the per-shard SoT files and per-implementation files -------------------
std::string sot_chart_yaml(std::string_view root, std::string_view shard, const std::vector<std::string>& impls,
                           std::uint64_t seed);
std::string shard_values_yaml(std::string_view root, std::string_view shard, std::uint64_t seed);
std::string shard_deployment_yaml(std::string_view root, std::string_view shard, std::uint64_t seed);
std::string shard_service_yaml(std::string_view root, std::string_view shard);
std::string shard_hpa_yaml(std::string_view root, std::string_view shard, std::uint64_t seed);
std::string shard_readme_md(std::string_view root, std::string_view shard, const std::vector<std::string>& impls);
std::string shard_openapi_yaml(std::string_view root, std::string_view shard);
std::string shard_schema_json(std::string_view root, std::string_view shard);
std::string manifest_yaml(const ImplContext& impl);
std::string helm_chart_yaml(const ImplContext& impl);
std::string helm_values_yaml(const ImplContext& impl);
std::string helm_deployment_yaml(const ImplContext& impl);
std::string helm_service_yaml(const ImplContext& impl);
std::string helm_ingress_yaml(const ImplContext& impl);
std::string helm_hpa_yaml(const ImplContext& impl);
std::string helm_helpers_tpl(const ImplContext& impl);
std::string impl_readme_md(const ImplContext& impl);
std::string impl_changelog_md(const ImplContext& impl);
std::string impl_dockerfile(const ImplContext& impl);
std::string impl_compose_yml(const ImplContext& impl);
std::string impl_pyproject_toml(const ImplContext& impl);
std::string impl_settings_yaml(const ImplContext& impl);
std::string impl_architecture_md(const ImplContext& impl);
std::string python_init_py(const ImplContext& impl);
std::string python_module_py(const ImplContext& impl, std::string_view module, std::uint64_t seed);
std::string python_test_py(const ImplContext& impl, std::string_view module, std::uint64_t seed);
std::string rego_shard_policy(std::string_view root, std::string_view shard);
std::string root_readme_md(std::string_view root, std::string_view gloss, bool large);
std::string incident_response_plan_md(std::string_view root);
std::string root_doc_md(std::string_view root, std::string_view topic, std::uint64_t seed);

/// Python module names an implementation may have; none contains a file-name keyword of any rule glob.
extern const std::array<std::string_view, 16> k_python_modules;

// --- repository-wide files (repo_files.cpp) -------------------------------------------------------------
/// The files the content rules look for (CP, JURIS_BL, SOT-V2-0091..0094, VG, KP, CE, TS, DC, MR, MD-*,
/// the enumerated families), the SoT contract and the hidden .github tree.
void add_repository_files(TreePlan& plan, Size size, std::uint64_t seed);

// --- bulk data (bulk.cpp) --------------------------------------------------------------------------------
/// Appends exactly `file.bulk_size` bytes of the file's generated content to `out`.
void append_bulk_content(const PlannedFile& file, std::string& out);

}  // namespace sotcheck::scaffold::detail
