// The default per-thread reader and lister: every call goes to the source
// itself, for sources with nothing worth keeping open between calls (the
// in-memory one).
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

class ForwardingLister final : public DirectoryLister {
 public:
  explicit ForwardingLister(TreeSource& source) : m_source(source) {}
  bool list(std::string_view relpath, std::vector<SourceEntry>* out, int* error,
            std::optional<std::pair<std::uint64_t, std::uint64_t>>* identity) override {
    return m_source.list_with_identity(relpath, out, error, identity);
  }

 private:
  TreeSource& m_source;
};

}  // namespace

std::unique_ptr<FileReader> TreeSource::reader() { return std::make_unique<ForwardingReader>(*this); }

std::unique_ptr<DirectoryLister> TreeSource::lister() { return std::make_unique<ForwardingLister>(*this); }

bool TreeSource::list_with_identity(std::string_view relpath, std::vector<SourceEntry>* out, int* error,
                                    std::optional<std::pair<std::uint64_t, std::uint64_t>>* identity) {
  if (!list(relpath, out, error)) return false;
  std::pair<std::uint64_t, std::uint64_t> listed;
  if (listed_identity(&listed.first, &listed.second)) *identity = listed;
  return true;
}

}  // namespace sotcheck::snapshot
