#include "support/one_check.hpp"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <stdexcept>
#include <vector>

#include "sotcheck/checks/file_query.hpp"
#include "sotcheck/checks/param_node.hpp"
#include "sotcheck/checks/registry.hpp"
#include "sotcheck/exec/pipeline.hpp"
#include "support/trees.hpp"

namespace sotcheck::testing {
namespace {

/// True for the paths one of `queries` may match: what the plan asks the image to parse or load for them.
plan::PathPredicate any_may_match(std::vector<std::shared_ptr<const checks::FileQuery>> queries) {
  return [queries = std::move(queries)](std::string_view path, std::string_view) {
    for (const auto& query : queries)
      if (query->may_match(path)) return true;
    return false;
  };
}

}  // namespace

std::unique_ptr<checks::Check> compile_check(const std::string& yaml, checks::Profile profile) {
  util::Diagnostics diagnostics;
  const auto node = checks::ParamTree::from_yaml(YAML::Load(yaml));
  checks::Params params(node.root(), "test.yaml", diagnostics, 1);
  params.set_profile(profile);
  const std::string kind = params.string_or("kind", "");
  const checks::CheckFactory factory = checks::find_primitive(kind);
  EXPECT_NE(factory, nullptr) << "no primitive '" << kind << "'";
  if (factory == nullptr) return nullptr;
  auto check = factory(params);
  params.finish();
  EXPECT_TRUE(diagnostics.empty()) << diagnostics.to_string();
  return check;
}

checks::Outputs evaluate_check(const checks::Check& check, MemoryTree& tree, checks::Profile profile) {
  std::vector<std::shared_ptr<const checks::FileQuery>> yaml, content;
  check.yaml_queries(&yaml);
  check.content_queries(&content);
  plan::SnapshotNeeds needs;
  needs.wants_yaml = any_may_match(std::move(yaml));
  needs.wants_content = any_may_match(std::move(content));
  const auto& settings = builtin_catalog().profiles[static_cast<std::size_t>(profile)];
  const auto walked = snapshot::walk(tree, exec::walk_options_for(settings));
  auto image = exec::RunImage::build(walked, tree, needs, {});
  if (!image) throw std::runtime_error(image.error());
  return check.evaluate({image->view(), profile});
}

}  // namespace sotcheck::testing
