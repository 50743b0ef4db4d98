// Reports place findings by the run's image, not by the disk: a tree that changes after the snapshot (here an
// in-memory tree changed after its image was built) still gets the locations the image says.

#include "sotcheck/cli/image_probe.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "sotcheck/exec/pipeline.hpp"
#include "support/memory_tree.hpp"

namespace sotcheck {
namespace {

using checks::FindingKind;
using testing::MemoryTree;

exec::RunImage image_of(MemoryTree& tree) {
  const auto walked = snapshot::walk(tree, {});
  auto image = exec::RunImage::build(walked, tree, plan::SnapshotNeeds{}, {});
  if (!image) throw std::runtime_error(image.error());
  return std::move(*image);
}

/// The tree the image was taken of, then changed: 02_s gone, 03_s given the chart it lacked, a file turned
/// into a folder.
struct ChangedAfterTheSnapshot : ::testing::Test {
  MemoryTree tree;
  std::optional<exec::RunImage> image;

  void SetUp() override {
    tree.add_file("01_a/shards/02_s/chart.yaml", "name: s\n")
        .add_dir("01_a/shards/03_s")
        .add_file("01_a/values.yaml", "a: 1\n")
        .add_symlink("01_a/values_link.yaml", "values.yaml", snapshot::EntryKind::file)
        .add_outside_link("01_a/escape", "/etc");
    image.emplace(image_of(tree));
    tree.remove("01_a/shards/02_s").add_file("01_a/shards/03_s/chart.yaml", "name: s\n");
    tree.remove("01_a/values.yaml").add_dir("01_a/values.yaml");
  }
};

TEST_F(ChangedAfterTheSnapshot, TheProbeAnswersWhatTheImageRecorded) {
  const report::FileProbe probe = cli::image_probe(image->view());
  EXPECT_TRUE(probe.is_dir("01_a/shards/02_s"));
  EXPECT_TRUE(probe.is_dir("01_a/shards/02_s/"));  // a folder location ends in '/'
  EXPECT_TRUE(probe.is_file("01_a/shards/02_s/chart.yaml"));
  EXPECT_FALSE(probe.is_file("01_a/shards/03_s/chart.yaml"));
  EXPECT_TRUE(probe.is_file("01_a/values.yaml"));
  EXPECT_FALSE(probe.is_dir("01_a/values.yaml"));
  // Links count as what they point to, as the rules saw them; one out of the tree is neither.
  EXPECT_TRUE(probe.is_file("01_a/values_link.yaml"));
  EXPECT_FALSE(probe.is_dir("01_a/escape"));
  EXPECT_FALSE(probe.is_file("01_a/escape"));
}

TEST_F(ChangedAfterTheSnapshot, FindingsAreLocatedAsTheImageSays) {
  const report::FileProbe probe = cli::image_probe(image->view());
  // Missing in the image (though on "disk" now): shown at the folder that should hold it.
  auto at = report::location_of(checks::make_finding("01_a/shards/03_s/chart.yaml", FindingKind::missing, "m"), probe);
  EXPECT_EQ(at.path, "01_a/shards/03_s/");
  EXPECT_TRUE(at.folder);
  // Inside a folder the image has (though it is gone now): that folder.
  at = report::location_of(checks::make_finding("01_a/shards/02_s/templates/x.yaml", FindingKind::missing, "m"), probe);
  EXPECT_EQ(at.path, "01_a/shards/02_s/");
  // A file in the image (a folder now): the file itself.
  at = report::location_of(checks::make_finding("01_a/values.yaml", FindingKind::forbidden_content, "m"), probe);
  EXPECT_EQ(at.path, "01_a/values.yaml");
  EXPECT_FALSE(at.folder);
}

TEST(ImageProbe, PathsThatAreNotInsideTheTreeAreNothing) {
  MemoryTree tree;
  tree.add_file("01_a/values.yaml");
  const exec::RunImage image = image_of(tree);
  const report::FileProbe probe = cli::image_probe(image.view());
  for (const char* path : {"", "/", "/01_a", "/01_a/values.yaml", "..", "../01_a", "01_a/../01_a", "01_a/.."}) {
    EXPECT_FALSE(probe.is_dir(path)) << path;
    EXPECT_FALSE(probe.is_file(path)) << path;
  }
  EXPECT_TRUE(probe.is_dir("01_a"));
  EXPECT_TRUE(probe.is_file("./01_a/values.yaml"));
}

}  // namespace
}  // namespace sotcheck
