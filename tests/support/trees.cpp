#include "support/trees.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "sotcheck/catalog/loader.hpp"
#include "sotcheck/exec/evaluate.hpp"
#include "sotcheck/snapshot/image.hpp"
#include "sotcheck/snapshot/walker.hpp"

namespace sotcheck::testing {

const std::vector<std::string>& root_names() {
  static const std::vector<std::string> names = {
      "01_ai_layer",          "02_audit_logging",    "03_core",           "04_deployment",
      "05_documentation",     "06_data_pipeline",    "07_governance_legal", "08_identity_score",
      "09_meta_identity",     "10_interoperability", "11_test_simulation", "12_tooling",
      "13_ui_layer",          "14_zero_time_auth",   "15_infra",          "16_codex",
      "17_observability",     "18_data_layer",       "19_adapters",       "20_foundation",
      "21_post_quantum_crypto", "22_datasets",       "23_compliance",     "24_meta_orchestration"};
  return names;
}

const std::vector<std::string>& shard_names() {
  static const std::vector<std::string> names = {
      "01_identitaet_personen",   "02_dokumente_nachweise",     "03_zugang_berechtigungen",
      "04_kommunikation_daten",   "05_gesundheit_medizin",      "06_bildung_qualifikationen",
      "07_familie_soziales",      "08_mobilitaet_fahrzeuge",    "09_arbeit_karriere",
      "10_finanzen_banking",      "11_versicherungen_risiken",  "12_immobilien_grundstuecke",
      "13_unternehmen_gewerbe",   "14_vertraege_vereinbarungen", "15_handel_transaktionen",
      "16_behoerden_verwaltung"};
  return names;
}

MemoryTree strict_tree() {
  MemoryTree tree;
  for (const auto& root : root_names()) {
    tree.add_file(root + "/README.md", "# " + root + "\n");
    for (const auto& shard : shard_names()) {
      const std::string dir = root + "/shards/" + shard;
      tree.add_file(dir + "/chart.yaml", "name: " + shard + "\n");
      tree.add_file(dir + "/values.yaml", "replicas: 1\n");
      tree.add_file(dir + "/templates/deployment.yaml", "kind: Deployment\n");
    }
  }
  return tree;
}

MemoryTree reference_tree() {
  MemoryTree tree;
  for (const auto& root : root_names()) {
    tree.add_file(root + "/README.md", "# " + root + "\n");
    for (const auto& shard : shard_names()) {
      const std::string dir = root + "/" + shard;
      tree.add_file(dir + "/Chart.yaml", "name: " + shard + "\n");
      tree.add_file(dir + "/values.yaml", "replicas: 1\n");
      tree.add_file(dir + "/templates/deployment.yaml", "kind: Deployment\n");
    }
  }
  return tree;
}

const catalog::Catalog& builtin_catalog() {
  static const catalog::Catalog catalog = [] {
    util::Diagnostics diagnostics;
    auto loaded = catalog::load_embedded_catalog(diagnostics);
    if (!loaded) throw std::runtime_error("built-in catalog is invalid:\n" + diagnostics.to_string());
    return std::move(*loaded);
  }();
  return catalog;
}

exec::Verdict run_rule(const std::string& id, MemoryTree& tree, checks::Profile profile) {
  const auto& catalog = builtin_catalog();
  const catalog::Rule* rule = catalog.find(id);
  if (rule == nullptr) throw std::runtime_error("no rule " + id);
  snapshot::WalkOptions walk_options;
  walk_options.do_not_descend = catalog.profiles[static_cast<size_t>(profile)].do_not_descend;
  const auto walked = snapshot::walk(tree, walk_options);
  snapshot::BuildOptions options;
  options.root_path = "/repo";
  options.wants_content = [](std::string_view, std::string_view) { return true; };
  auto image = snapshot::HeapImage::build(walked, tree, options);
  if (!image) throw std::runtime_error(image.error());
  auto view = image->view();
  if (!view) throw std::runtime_error(view.error());
  return exec::evaluate_rule(*rule, profile, *view);
}

}  // namespace sotcheck::testing
