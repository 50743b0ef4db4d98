// The generated documentation matches the code and catalog it is generated
// from: docs/catalog-format.md (primitive declarations) and docs/rules/
// (every rule's text). SOTCHECK_UPDATE_GOLDEN=1 rewrites the files.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sotcheck/catalog/generated_docs.hpp"
#include "sotcheck/checks/registry.hpp"
#include "support/trees.hpp"

namespace sotcheck {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

bool updating() { return std::getenv("SOTCHECK_UPDATE_GOLDEN") != nullptr; }

void expect_file(const fs::path& path, const std::string& expected) {
  if (updating()) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << expected;
    return;
  }
  EXPECT_EQ(read_file(path), expected) << path << " is stale: regenerate with SOTCHECK_UPDATE_GOLDEN=1";
}

const fs::path k_docs = fs::path(SOTCHECK_SOURCE_DIR) / "docs";

TEST(GeneratedDocs, CatalogFormatIsCurrent) {
  expect_file(k_docs / "catalog-format.md", catalog::render_catalog_format_doc());
}

TEST(GeneratedDocs, RulePagesAreCurrentAndComplete) {
  const auto pages = catalog::render_rule_pages(testing::builtin_catalog());
  for (const auto& [name, text] : pages) expect_file(k_docs / "rules" / name, text);
  if (updating()) return;
  // No page left over from a family that no longer exists.
  for (const auto& entry : fs::directory_iterator(k_docs / "rules"))
    EXPECT_TRUE(pages.count(entry.path().filename().string())) << entry.path() << " is not generated";
}

TEST(GeneratedDocs, EveryRuleAppearsWithWhatWhyAndFix) {
  const auto& catalog = testing::builtin_catalog();
  const auto pages = catalog::render_rule_pages(catalog);
  std::string all;
  for (const auto& [name, text] : pages) all += text;
  for (const auto& rule : catalog.rules) {
    const auto at = all.find("## " + rule.id + ": ");
    ASSERT_NE(at, std::string::npos) << rule.id;
    const auto end = all.find("\n## ", at + 1);
    const std::string section = all.substr(at, end - at);
    EXPECT_NE(section.find("**What it checks"), std::string::npos) << rule.id;
    EXPECT_NE(section.find("**Why:** " + rule.rationale), std::string::npos) << rule.id;
    EXPECT_NE(section.find("**How to fix:** " + rule.fix), std::string::npos) << rule.id;
  }
}

TEST(GeneratedDocs, EveryPrimitiveTheRegistryKnowsIsDeclared) {
  const std::string doc = catalog::render_catalog_format_doc();
  for (const auto& primitive : checks::primitives())
    EXPECT_NE(doc.find("### `" + std::string(primitive.kind) + "`"), std::string::npos) << primitive.kind;
}

}  // namespace
}  // namespace sotcheck
