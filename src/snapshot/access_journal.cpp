#include "sotcheck/snapshot/access_journal.hpp"

#include <algorithm>
#include <cstring>
#include <string_view>

#include "sotcheck/snapshot/image.hpp"

namespace sotcheck::snapshot {

namespace {

thread_local AccessJournal* t_journal = nullptr;

constexpr std::uint16_t k_unreadable_flags = k_flag_read_error | k_flag_dir_unreadable | k_flag_unreadable;

/// The unreadable entries of the last image this thread asked about; an image
/// is identified by its bytes' address, size and checksum (as the contract cache does).
struct UnreadableCache {
  const std::byte* base = nullptr;
  std::size_t size = 0;
  std::uint64_t checksum = 0;
  std::vector<std::uint32_t> entries;
};
thread_local UnreadableCache t_cache;

}  // namespace

AccessJournal::AccessJournal() : m_outer(t_journal) { t_journal = this; }

AccessJournal::~AccessJournal() { t_journal = m_outer; }

std::vector<std::uint32_t> AccessJournal::touched() const {
  std::vector<std::uint32_t> out = m_entries;
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool is_unreadable(const ImageView& image, std::uint32_t index) {
  return (image.entry(index).flags & k_unreadable_flags) != 0;
}

void note_if_unreadable(const ImageView& image, std::uint32_t index) {
  if (t_journal == nullptr || !is_unreadable(image, index)) return;
  t_journal->m_entries.push_back(index);
}

const std::vector<std::uint32_t>& unreadable_entries(const ImageView& image) {
  UnreadableCache& cache = t_cache;
  if (cache.base != image.data() || cache.size != image.size() || cache.checksum != image.checksum()) {
    cache.entries.clear();
    for (std::uint32_t i = 0; i < image.entry_count(); ++i)
      if (is_unreadable(image, i)) cache.entries.push_back(i);
    cache.base = image.data();
    cache.size = image.size();
    cache.checksum = image.checksum();
  }
  return cache.entries;
}

std::string_view unreadable_reason_text(const ImageView& image, std::uint32_t index) {
  const EntryRecord& record = image.entry(index);
  if (record.flags & k_flag_unreadable) {
    const std::string_view reason = image.unreadable_reason(index);
    if (!reason.empty()) return reason;
  }
  if (record.error != 0) return std::strerror(record.error);
  return "could not be read";
}

}  // namespace sotcheck::snapshot
