// Which files are "SoT charts" and "implementation manifests" in the strict
// profile: only those under a root and a shard whose names follow the same
// pattern AR001/AR003 count (docs/profiles.md#what-counts-as-a-root-and-a-shard).
// A folder that merely starts with two digits is not a shard, so its chart
// can neither break nor satisfy a chart rule.

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "sotcheck/scaffold/scaffold.hpp"
#include "support/rule_harness.hpp"

namespace sotcheck {
namespace {

using checks::Profile;
using exec::Status;
using testing::MemoryTree;
using Files = std::map<std::string, std::string>;

Files scaffold_files() {
  Files f;
  scaffold::visit_planned_files(scaffold::Size::small, 1, [&](const scaffold::PlannedFileView& p) {
    f[std::string(p.path)] = p.bulk ? std::string(p.size, 'x') : std::string(p.content);
  });
  return f;
}

Status status_of(const Files& files, const std::string& id) {
  MemoryTree tree;
  for (const auto& [path, content] : files) tree.add_file(path, content);
  return testing::run_catalog(tree, Profile::strict, {id}).at(id).status;
}

bool is_sot_chart(const std::string& path) {
  return path.size() > 11 && path.compare(path.size() - 11, 11, "/chart.yaml") == 0 &&
         path.find("/shards/") != std::string::npos;
}

const std::string k_chart_with_bad_version = "apiVersion: v2\nname: neu\nversion: bad\n";

TEST(SotChartScope, BadlyNamedShardCannotBreakVersionRule) {
  Files files = scaffold_files();
  ASSERT_EQ(status_of(files, "VG001"), Status::pass);
  files["01_ai_layer/shards/18_Neu/chart.yaml"] = k_chart_with_bad_version;
  EXPECT_EQ(status_of(files, "VG001"), Status::pass);
}

TEST(SotChartScope, WellNamedShardStillCounts) {
  // The counterpart: the same chart in a shard named like the others is a SoT chart.
  Files files = scaffold_files();
  files["01_ai_layer/shards/18_neu/chart.yaml"] = k_chart_with_bad_version;
  EXPECT_EQ(status_of(files, "VG001"), Status::fail);
}

TEST(SotChartScope, BadlyNamedRootCannotSatisfyEnforcementRule) {
  Files files = scaffold_files();
  for (auto& [path, content] : files) {
    if (!is_sot_chart(path)) continue;
    const auto at = content.find("\nenforcement:");
    if (at != std::string::npos) content.replace(at, 13, "\nenforcement_removed:");
  }
  ASSERT_EQ(status_of(files, "CS005"), Status::fail);
  files["00_Legacy/shards/01_old/chart.yaml"] = "version: 1.0.0\nenforcement:\n  audit: [worm]\n";
  EXPECT_EQ(status_of(files, "CS005"), Status::fail);
}

TEST(SotChartScope, BadlyNamedShardHoldsNoImplementationManifest) {
  Files files = scaffold_files();
  ASSERT_EQ(status_of(files, "MS001"), Status::pass);
  files["01_ai_layer/shards/18_Neu/implementations/x/manifest.yaml"] = "nothing: here\n";
  EXPECT_EQ(status_of(files, "MS001"), Status::pass);
  files["01_ai_layer/shards/18_neu/implementations/x/manifest.yaml"] = "nothing: here\n";
  EXPECT_EQ(status_of(files, "MS001"), Status::fail);
}

}  // namespace
}  // namespace sotcheck
