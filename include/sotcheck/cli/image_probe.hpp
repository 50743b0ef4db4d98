#pragma once
/// Where reports learn which files and folders the repository has: from the
/// run's image, never from the disk. The tree is untrusted and may change
/// while sotcheck runs (docs/robustness.md); the image is the one read-only
/// snapshot every rule saw, so the reports place findings by the same tree.

#include "sotcheck/report/report.hpp"
#include "sotcheck/snapshot/image_view.hpp"

namespace sotcheck::cli {

/// A probe that answers from `image` (its entries, symlinks followed as the
/// rules follow them). It holds a copy of the view, so the image's bytes must
/// outlive it. A path that is empty, absolute or leaves the tree is neither a
/// file nor a folder.
report::FileProbe image_probe(const snapshot::ImageView& image);

}  // namespace sotcheck::cli
