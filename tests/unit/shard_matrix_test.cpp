// The shard matrix and its two renderings, on verdicts built by hand: which
// cell a finding lands in, worst severity and counts, missing and misnamed
// shards, HTML escaping of hostile names, and the terminal glyphs.

#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "sotcheck/report/shard_matrix.hpp"
#include "sotcheck/scaffold/layout_names.hpp"
#include "support/trees.hpp"

namespace sotcheck {
namespace {

using report::CellAddress;
using report::MatrixLayout;

MatrixLayout ssid_layout() { return {testing::root_names(), testing::shard_names()}; }

exec::Verdict failing(const std::string& id, catalog::Severity severity, std::vector<std::string> paths) {
  exec::Verdict v;
  v.rule_id = id;
  v.status = exec::Status::fail;
  v.severity = severity;
  v.message = id + " failed";
  for (auto& path : paths) v.findings.push_back(checks::make_finding(path, checks::FindingKind::missing, "bad " + path));
  return v;
}

/// Every folder exists except those listed.
report::FileProbe probe_without(std::set<std::string> absent) {
  report::FileProbe probe;
  probe.is_file = [](const std::string&) { return false; };
  probe.is_dir = [absent](const std::string& path) {
    // A shard lives under ROOT/shards/ in these trees; ROOT/SHARD does not exist.
    const auto first = path.find('/');
    if (first != std::string::npos && path.compare(first + 1, 7, "shards/") != 0) return false;
    return absent.count(path) == 0;
  };
  return probe;
}

const std::string k_core_first = "03_core/shards/01_identitaet_personen";

TEST(ShardMatrix, CanonicalNamesAreTheScaffoldsAndTheTestSupportsAlike) {
  EXPECT_EQ(scaffold::canonical_root_names(), testing::root_names());
  EXPECT_EQ(scaffold::canonical_shard_names(), testing::shard_names());
  EXPECT_EQ(scaffold::canonical_root_names().size(), 24u);
  EXPECT_EQ(scaffold::canonical_shard_names().size(), 16u);
}

TEST(ShardMatrix, PathsMapToShardRootOrRepositoryCells) {
  const MatrixLayout layout = ssid_layout();
  CellAddress a = report::cell_of(k_core_first + "/chart.yaml", layout);
  EXPECT_EQ(a.kind, CellAddress::Kind::shard);
  EXPECT_EQ(a.root, 2u);
  EXPECT_EQ(a.shard, 0u);
  // Reference layout: the shard directly under its root.
  a = report::cell_of("24_meta_orchestration/16_behoerden_verwaltung/Chart.yaml", layout);
  EXPECT_EQ(a.kind, CellAddress::Kind::shard);
  EXPECT_EQ(a.root, 23u);
  EXPECT_EQ(a.shard, 15u);
  a = report::cell_of("./03_core/shards/02_dokumente_nachweise", layout);
  EXPECT_EQ(a.kind, CellAddress::Kind::shard);
  EXPECT_EQ(a.shard, 1u);

  a = report::cell_of("03_core/README.md", layout);
  EXPECT_EQ(a.kind, CellAddress::Kind::root);
  EXPECT_EQ(a.root, 2u);
  EXPECT_TRUE(a.misnamed_shard.empty());
  a = report::cell_of("03_core/shards", layout);
  EXPECT_EQ(a.kind, CellAddress::Kind::root);
  a = report::cell_of("03_core/shards/5_gesundheit/values.yaml", layout);
  EXPECT_EQ(a.kind, CellAddress::Kind::root);
  EXPECT_EQ(a.misnamed_shard, "5_gesundheit");
  a = report::cell_of("03_core/05_Gesundheit/values.yaml", layout);
  EXPECT_EQ(a.kind, CellAddress::Kind::root);
  EXPECT_EQ(a.misnamed_shard, "05_Gesundheit");

  for (const char* outside : {".", "", "README.md", "99_unknown/shards/01_identitaet_personen", "03_cor/x"})
    EXPECT_EQ(report::cell_of(outside, layout).kind, CellAddress::Kind::repository) << outside;
}

TEST(ShardMatrix, GroupsFindingsWithWorstSeverityAndMarksMissingFolders) {
  std::vector<exec::Verdict> verdicts;
  verdicts.push_back(failing("AR010", catalog::Severity::medium, {k_core_first + "/values.yaml", "README.md"}));
  verdicts.push_back(failing("AR004", catalog::Severity::critical, {k_core_first + "/chart.yaml"}));
  verdicts.push_back(failing("CS001", catalog::Severity::low, {"03_core/shards/7_familie/x.yaml", "03_core/a.md"}));
  exec::Verdict passing = failing("AR001", catalog::Severity::critical, {"01_ai_layer/shards/01_identitaet_personen"});
  passing.status = exec::Status::pass;  // a passing verdict's findings never colour the matrix
  verdicts.push_back(passing);
  exec::Verdict bare = failing("DC001", catalog::Severity::high, {});
  verdicts.push_back(bare);

  const auto matrix = report::build_matrix(verdicts, ssid_layout(),
                                           probe_without({"10_interoperability", "03_core/shards/05_gesundheit_medizin"}));
  ASSERT_EQ(matrix.shards.size(), 384u);
  const auto& cell = matrix.at(2, 0);
  ASSERT_EQ(cell.findings.size(), 2u);
  EXPECT_EQ(cell.worst, catalog::Severity::critical);
  EXPECT_EQ(verdicts[cell.findings[0].verdict].rule_id, "AR004");  // most severe first
  EXPECT_FALSE(cell.missing);

  EXPECT_FALSE(matrix.at(0, 0).worst.has_value());
  EXPECT_TRUE(matrix.at(0, 0).findings.empty());
  EXPECT_EQ(matrix.cells_with_findings(), 1u);

  // Missing: one shard of 03_core, every shard of the missing root.
  EXPECT_TRUE(matrix.at(2, 4).missing);
  EXPECT_FALSE(matrix.at(2, 3).missing);
  for (std::size_t s = 0; s < 16; ++s) EXPECT_TRUE(matrix.at(9, s).missing) << s;
  EXPECT_TRUE(matrix.root_level[9].missing);

  // Root level: the misnamed shard and the root's own file.
  EXPECT_EQ(matrix.root_level[2].findings.size(), 2u);
  EXPECT_EQ(matrix.root_level[2].worst, catalog::Severity::low);
  EXPECT_EQ(matrix.misnamed[2], std::vector<std::string>{"7_familie"});

  // Repository-wide: the top-level file and the verdict without findings.
  ASSERT_EQ(matrix.repository.findings.size(), 2u);
  EXPECT_EQ(matrix.repository.worst, catalog::Severity::high);
  EXPECT_EQ(matrix.repository.findings[0].finding, report::FindingRef::k_no_finding);
}

TEST(ShardMatrix, HtmlEscapeCoversMarkupAndQuotes) {
  EXPECT_EQ(report::html_escape("<script>alert(1)</script>.yaml"), "&lt;script&gt;alert(1)&lt;/script&gt;.yaml");
  EXPECT_EQ(report::html_escape("a&b \"c\" 'd'"), "a&amp;b &quot;c&quot; &#39;d&#39;");
  EXPECT_EQ(report::html_escape(std::string("n\0l", 3)), "n\xEF\xBF\xBDl");
}

/// A run with hostile names in every place the tree reaches the page.
struct HostileRun {
  std::vector<exec::Verdict> verdicts;
  report::RunInfo info;
  report::ShardMatrix matrix;
  std::string html;
  HostileRun() {
    verdicts.push_back(failing("AR004", catalog::Severity::critical,
                               {k_core_first + "/<script>alert(1)</script>.yaml",
                                "03_core/shards/\"><img src=x onerror=alert(2)>/values.yaml"}));
    verdicts[0].findings[0].message = "file <script>alert(3)</script> & more";
    verdicts[0].findings[0].line = 7;
    info.repo_root = "/tmp/<b>tree</b>";
    info.timestamp = "2026-12-06T03:00:00Z";
    info.exit_code = 1;
    matrix = report::build_matrix(verdicts, ssid_layout(), probe_without({"03_core/shards/05_gesundheit_medizin"}));
    html = report::to_html(testing::builtin_catalog(), verdicts, info, matrix);
  }
};

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

TEST(ShardMatrix, HtmlEscapesEveryTreeDerivedText) {
  const HostileRun run;
  // Only the report's own script element, with its nonce; no tag from the tree.
  EXPECT_EQ(count_of(run.html, "<script"), 1u);
  EXPECT_NE(run.html.find("<script nonce=\""), std::string::npos);
  EXPECT_EQ(run.html.find("<img"), std::string::npos);
  EXPECT_EQ(run.html.find("<b>tree"), std::string::npos);
  EXPECT_NE(run.html.find("&lt;script&gt;alert(1)&lt;/script&gt;.yaml:7"), std::string::npos);
  EXPECT_NE(run.html.find("file &lt;script&gt;alert(3)&lt;/script&gt; &amp; more"), std::string::npos);
  EXPECT_NE(run.html.find("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"), std::string::npos);
  EXPECT_NE(run.html.find("script-src 'nonce-"), std::string::npos);
  // Self-contained: nothing is fetched.
  EXPECT_EQ(run.html.find("http://"), std::string::npos);
  EXPECT_EQ(run.html.find("https://"), std::string::npos);
  EXPECT_EQ(run.html.find(" src=\""), std::string::npos);
}

TEST(ShardMatrix, HtmlCarriesEveryShardCellWithItsCountAndAnchor) {
  const HostileRun run;
  const std::regex cell_re("<td class=\"([^\"]*)\" data-shard=\"([^\"]+)\" data-findings=\"([0-9]+)\"");
  std::size_t cells = 0, missing = 0;
  std::set<std::string> shards;
  for (auto it = std::sregex_iterator(run.html.begin(), run.html.end(), cell_re); it != std::sregex_iterator(); ++it) {
    ++cells;
    shards.insert((*it)[2]);
    if ((*it)[1].str().find("missing") != std::string::npos) {
      ++missing;
      EXPECT_EQ((*it)[2], "03_core/05_gesundheit_medizin");
    }
    if ((*it)[2] == "03_core/01_identitaet_personen") {
      EXPECT_EQ((*it)[3], "1");
      EXPECT_NE((*it)[1].str().find("sev-critical"), std::string::npos);
    }
  }
  EXPECT_EQ(cells, 384u);
  EXPECT_EQ(shards.size(), 384u);
  EXPECT_EQ(missing, 1u);
  // The cell links to its findings; the list names rule, location and message and explains the rule.
  EXPECT_NE(run.html.find("<a href=\"#cell-03-01\">C1</a>"), std::string::npos);
  const auto section = run.html.find("<section class=\"cell-findings\" id=\"cell-03-01\"");
  ASSERT_NE(section, std::string::npos);
  const std::string body = run.html.substr(section, run.html.find("</section>", section) - section);
  EXPECT_NE(body.find("#rule-AR004"), std::string::npos);
  EXPECT_NE(body.find("CRITICAL"), std::string::npos);
  EXPECT_NE(body.find("Why: "), std::string::npos);
  // The misnamed folder shows at its root's level, and the rule table lists the rule.
  EXPECT_NE(run.html.find("data-root=\"03_core\""), std::string::npos);
  EXPECT_NE(run.html.find("<tr id=\"rule-AR004\""), std::string::npos);
  EXPECT_NE(run.html.find("<dt>Exit status</dt><dd>1</dd>"), std::string::npos);
}

TEST(ShardMatrix, TerminalMatrixUsesDistinctGlyphsWithoutColour) {
  const HostileRun run;
  const std::string plain = report::to_matrix_text(run.verdicts, run.info, run.matrix, false);
  EXPECT_EQ(plain.find('\033'), std::string::npos);
  // Row 03: shard 01 critical, 05 missing, the root level has the misnamed folder.
  EXPECT_NE(plain.find("        03  C  .  .  .  x  .  .  .  .  .  .  .  .  .  .  .     ?  03_core\n"), std::string::npos)
      << plain;
  EXPECT_NE(plain.find("        01  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .  .     .  01_ai_layer\n"),
            std::string::npos);
  EXPECT_NE(plain.find("1 shard of 384 with findings, 1 missing; 2 findings"), std::string::npos);
  EXPECT_NE(plain.find("misnamed shard: 03_core/\"><img src=x onerror=alert(2)>"), std::string::npos);

  const std::string coloured = report::to_matrix_text(run.verdicts, run.info, run.matrix, true);
  EXPECT_NE(coloured.find("\033[1;31m\xE2\x96\xA0\033[0m"), std::string::npos);  // the critical shard
}

}  // namespace
}  // namespace sotcheck
