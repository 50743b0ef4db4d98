// The image stage of the pipeline (pipeline.hpp): the build options come from
// the plan's needs whole, and a shared image that cannot be made leaves the
// run on a heap image instead of failing it.

#include "sotcheck/exec/pipeline.hpp"

namespace sotcheck::exec {

util::Result<RunImage> RunImage::build(const snapshot::WalkTree& tree, snapshot::TreeSource& source,
                                       const plan::SnapshotNeeds& needs, const ImageOptions& options,
                                       const std::function<void()>& source_done) {
  snapshot::BuildOptions build;
  build.root_path = options.root_path;
  build.max_file_size = options.max_file_size;
  build.max_image_size = options.max_image_size;
  build.wants_content = needs.wants_content;
  build.wants_yaml = needs.wants_yaml;
  build.scanner = needs.scanner;
  build.keep_content = needs.keep_content;
  build.classifier = needs.classifier;
  build.threads = options.build_threads;

  RunImage image;
  if (options.shared) {
    auto built = snapshot::SharedImage::build(tree, source, build, &image.m_stats);
    if (built)
      image.m_shared.emplace(std::move(*built));
    else
      image.m_share_error = built.error();
  }
  if (!image.m_shared) {
    image.m_stats = {};
    auto built = snapshot::HeapImage::build(tree, source, build, &image.m_stats);
    if (!built) return util::make_error(built.error());
    image.m_heap.emplace(std::move(*built));
  }
  if (source_done) source_done();
  auto view = image.m_shared ? image.m_shared->view() : image.m_heap->view();
  if (!view) return util::make_error(view.error());
  image.m_view.emplace(std::move(*view));
  return image;
}

}  // namespace sotcheck::exec
