// The load planner: the one indexed matcher over every query must say exactly what asking each query's
// may_match would say, for the files to read, the files to keep, the files to parse as YAML and the probes
// each file gets, through the predicates, the scanner and a classifier session (with its per-name memo).

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "sotcheck/checks/file_query.hpp"
#include "sotcheck/checks/text_decoding.hpp"
#include "sotcheck/plan/needs.hpp"
#include "sotcheck/plan/plan.hpp"
#include "sotcheck/scaffold/scaffold.hpp"
#include "support/trees.hpp"

namespace sotcheck {
namespace {

using Queries = std::vector<std::shared_ptr<const checks::FileQuery>>;

bool any_may_match(const Queries& queries, std::string_view path) {
  for (const auto& q : queries)
    if (q->may_match(path)) return true;
  return false;
}

TEST(SnapshotNeeds, TheIndexedMatcherAgreesWithEveryQueryOnTheScaffold) {
  const auto& catalog = testing::builtin_catalog();
  // Every path of the scaffold, plus names that stress the extension index: no extension, hidden files,
  // several dots, and a dot in a directory name only.
  std::vector<std::string> paths;
  scaffold::visit_planned_files(scaffold::Size::small, 1,
                                [&](const scaffold::PlannedFileView& f) { paths.emplace_back(f.path); });
  for (const char* extra : {"Makefile", ".yaml", "a.b/c", "x/.hidden.py", "deep/er/notes.tar.gz", "policy.rego.bak",
                            "03_core/privacy/gdpr_rights.PY", "a/b/chart.yaml.orig"})
    paths.emplace_back(extra);
  for (const checks::Profile profile : {checks::Profile::strict, checks::Profile::reference}) {
    auto plan = plan::build_plan(catalog, {});
    ASSERT_TRUE(plan.ok());
    Queries content, unprobed, yaml;
    std::vector<checks::ContentProbe> probes;
    for (std::size_t index : plan->selected) {
      const auto& check = catalog.rules[index].for_profile(profile).check;
      if (!check) continue;
      check->content_queries(&content);
      check->unprobed_content_queries(&unprobed);
      check->yaml_queries(&yaml);
      check->content_probes(&probes);
    }
    const auto needs = plan::snapshot_needs(catalog, *plan, profile);
    ASSERT_TRUE(needs.wants_content && needs.keep_content && needs.wants_yaml && needs.scanner && needs.classifier);
    const auto& keys = needs.scanner->probe_keys();
    const auto id_of = [&](std::uint64_t key) {
      return static_cast<std::uint32_t>(std::lower_bound(keys.begin(), keys.end(), key) - keys.begin());
    };
    const auto [position_key, detail_key] = checks::decode_failure_probe_keys();
    const auto session = needs.classifier->session();
    std::size_t read = 0, probed = 0;
    for (int round = 0; round < 2; ++round) {  // the second round is answered from the session's memo
      for (const std::string& path : paths) {
        const std::string_view name = std::string_view(path).substr(path.rfind('/') + 1);
        EXPECT_EQ(needs.wants_content(path, name), any_may_match(content, path)) << path;
        EXPECT_EQ(needs.keep_content(path, name), any_may_match(unprobed, path)) << path;
        EXPECT_EQ(needs.wants_yaml(path, name), any_may_match(yaml, path)) << path;
        read += needs.wants_content(path, name) ? 1 : 0;
        // The probes of every query that may return the file, plus the decode-failure ones when there are any.
        std::vector<std::uint32_t> expected_ids;
        for (const auto& probe : probes)
          if (probe.query->may_match(path)) expected_ids.push_back(id_of(probe.key));
        if (!expected_ids.empty()) expected_ids.insert(expected_ids.end(), {id_of(position_key), id_of(detail_key)});
        std::sort(expected_ids.begin(), expected_ids.end());
        expected_ids.erase(std::unique(expected_ids.begin(), expected_ids.end()), expected_ids.end());
        probed += expected_ids.empty() ? 0 : 1;
        std::vector<std::uint32_t> scanner_ids, session_ids;
        needs.scanner->probes_for(path, name, &scanner_ids);
        const snapshot::FileNeeds got = session->classify(path, name, &session_ids);
        EXPECT_EQ(scanner_ids, expected_ids) << path;
        EXPECT_EQ(session_ids, expected_ids) << path;
        EXPECT_EQ(got.content, any_may_match(content, path)) << path;
        EXPECT_EQ(got.keep, any_may_match(unprobed, path)) << path;
        EXPECT_EQ(got.yaml, any_may_match(yaml, path)) << path;
      }
    }
    EXPECT_GT(read, 10u) << "the content rules read files of the scaffold";
    EXPECT_GT(probed, 10u) << "the content rules' probes apply to files of the scaffold";
  }
}

}  // namespace
}  // namespace sotcheck
