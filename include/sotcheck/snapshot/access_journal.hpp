#pragma once
/// The access journal: which unreadable entries a rule touched while it was
/// evaluated. The snapshot records unreadable entries (a directory that could
/// not be listed, a file that could not be read, a symlink that was not
/// followed out of the tree) but a check sees only what is there; when one of
/// its queries needs such an entry, the verdict is not trustworthy. The read
/// side of the image (lookups, YAML documents, file bytes) and the checks'
/// central query and text-read paths note every unreadable entry they touch
/// into the journal of the current thread; `evaluate_rule` opens a journal
/// around each rule and turns a non-empty one into an ERROR verdict.

#include <cstdint>
#include <string_view>
#include <vector>

namespace sotcheck::snapshot {

class ImageView;

/// Collects, while it lives, the unreadable entries touched on this thread.
/// Journals nest (the innermost collects); not copyable.
class AccessJournal {
 public:
  AccessJournal();
  ~AccessJournal();
  AccessJournal(const AccessJournal&) = delete;
  AccessJournal& operator=(const AccessJournal&) = delete;

  /// The touched entries, ascending, without repeats.
  std::vector<std::uint32_t> touched() const;

 private:
  friend void note_if_unreadable(const ImageView& image, std::uint32_t index);
  std::vector<std::uint32_t> m_entries;
  AccessJournal* m_outer;
};

/// True if the entry could not be read or listed, or was deliberately not
/// followed (k_flag_read_error, k_flag_dir_unreadable, k_flag_unreadable).
bool is_unreadable(const ImageView& image, std::uint32_t index);

/// Notes `index` into the current thread's journal if it is unreadable; a
/// no-op without a journal.
void note_if_unreadable(const ImageView& image, std::uint32_t index);

/// Every unreadable entry of the image, ascending (computed once per image
/// per thread: the common image has none, and the list is short).
const std::vector<std::uint32_t>& unreadable_entries(const ImageView& image);

/// Why `index` is unreadable, as the OS says it ("Permission denied") or as
/// the walk recorded it ("points outside the repository").
std::string_view unreadable_reason_text(const ImageView& image, std::uint32_t index);

}  // namespace sotcheck::snapshot
