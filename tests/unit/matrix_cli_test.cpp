// --format html and --format matrix through the real command line, on a tree
// small enough to build in the test: the formats are accepted, the matrix
// marks what is missing with distinct glyphs under NO_COLOR, and the HTML
// goes to its file.

#include <gtest/gtest.h>

#include <filesystem>

#include "sotcheck/cli/config.hpp"
#include "support/process.hpp"

namespace sotcheck {
namespace {

using testing::run_sotcheck;
using testing::TempDir;
namespace fs = std::filesystem;

TEST(MatrixCli, HtmlAndMatrixAreFormatNames) {
  const auto html = cli::parse_output_spec("html=report.html");
  ASSERT_TRUE(html.ok());
  EXPECT_EQ(html->format, "html");
  EXPECT_EQ(html->file, "report.html");
  EXPECT_TRUE(cli::parse_output_spec("matrix").ok());
  EXPECT_FALSE(cli::parse_output_spec("html=").ok());
  EXPECT_FALSE(cli::parse_output_spec("matrixx").ok());
}

TEST(MatrixCli, MatrixOfATreeWithOneRootMarksEveryOtherShardMissing) {
  TempDir dir;
  // One root with its first shard; the 23 other roots and 15 other shards are absent.
  fs::create_directories(dir.path() + "/03_core/shards/01_identitaet_personen/templates");
  testing::write_file(dir.path() + "/03_core/README.md", "# core\n");
  const auto r = run_sotcheck({"validate", dir.path(), "--select", "AR", "--format", "matrix", "--format",
                               "html=" + dir.path() + "/report.html"},
                              {"NO_COLOR=1"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.out.find('\033'), std::string::npos);
  // 03_core/01 exists but lacks chart.yaml and values.yaml (critical); every other cell is missing.
  EXPECT_NE(r.out.find("        03  C  x  x  x  x  x  x  x  x  x  x  x  x  x  x  x"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("        01  x  x  x  x  x  x  x  x  x  x  x  x  x  x  x  x     x  01_ai_layer"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("383 missing"), std::string::npos) << r.out;
  const std::string html = testing::read_file(dir.path() + "/report.html");
  EXPECT_NE(html.find("data-shard=\"03_core/01_identitaet_personen\" data-findings=\""), std::string::npos);
  EXPECT_NE(html.find("data-shard=\"24_meta_orchestration/16_behoerden_verwaltung\" data-findings=\"0\" "
                      "data-state=\"missing\""),
            std::string::npos);
}

}  // namespace
}  // namespace sotcheck
