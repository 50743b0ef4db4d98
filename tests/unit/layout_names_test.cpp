// The layout's folder-name shape is the catalog's: every profile's `matrix_name` pattern in
// rules/catalog.yaml accepts exactly the names util::is_nn_name accepts, and every canonical name has it.

#include "sotcheck/scaffold/layout_names.hpp"
#include "sotcheck/util/strings.hpp"

#include <gtest/gtest.h>
#include <re2/re2.h>
#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

namespace sotcheck {
namespace {

const std::vector<std::string> k_names = {
    "01_ai_layer",
    "24_meta_orchestration",
    "00_a",
    "99__",
    "01_a_",
    "1_ai_layer",
    "001_ai",
    "01_",
    "01",
    "01-ai",
    "01_Ai",
    "01_a1",
    "01_a b",
    "01_a-b",
    "ab_c",
    "shards",
    "",
    "01_\xc3\xa4",
};

TEST(LayoutNames, TheShapeIsEveryProfilesMatrixNamePattern) {
  const YAML::Node catalog = YAML::LoadFile(std::string(SOTCHECK_SOURCE_DIR) + "/rules/catalog.yaml");
  std::size_t profiles = 0;
  for (const auto& profile : catalog["profiles"]) {
    const std::string pattern = profile.second["vars"]["matrix_name"].as<std::string>();
    const RE2 regex(pattern);
    ASSERT_TRUE(regex.ok()) << pattern;
    for (const std::string& name : k_names)
      EXPECT_EQ(util::is_nn_name(name), RE2::FullMatch(name, regex))
          << profile.first.as<std::string>() << ": '" << name << "' against " << pattern;
    ++profiles;
  }
  EXPECT_EQ(profiles, 2u);
}

TEST(LayoutNames, EveryCanonicalNameHasTheShape) {
  for (const auto& name : scaffold::canonical_root_names()) EXPECT_TRUE(util::is_nn_name(name)) << name;
  for (const auto& name : scaffold::canonical_shard_names()) EXPECT_TRUE(util::is_nn_name(name)) << name;
}

}  // namespace
}  // namespace sotcheck
