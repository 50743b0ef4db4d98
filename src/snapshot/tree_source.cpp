// The default per-thread reader: every read goes to the source itself, for
// sources with nothing worth keeping open between reads (the in-memory one).
#include "sotcheck/snapshot/tree_source.hpp"

namespace sotcheck::snapshot {
namespace {

class ForwardingReader final : public FileReader {
 public:
  explicit ForwardingReader(TreeSource& source) : m_source(source) {}
  long long read(std::string_view relpath, char* dest, std::uint64_t capacity) override {
    return m_source.read(relpath, dest, capacity);
  }

 private:
  TreeSource& m_source;
};

}  // namespace

std::unique_ptr<FileReader> TreeSource::reader() { return std::make_unique<ForwardingReader>(*this); }

}  // namespace sotcheck::snapshot
