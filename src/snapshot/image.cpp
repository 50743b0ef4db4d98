// The read side of the snapshot image (image_view.hpp): attaching and validating
// an image, and the lookups checks make on it. Building one is image_build.cpp.
#include "sotcheck/snapshot/image.hpp"
#include "sotcheck/snapshot/access_journal.hpp"

#include <xxhash.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

#include "sotcheck/util/strings.hpp"

namespace sotcheck::snapshot {

util::Result<ImageView> ImageView::attach(const std::byte* data, std::size_t size) {
  auto fail = [](const std::string& why) { return util::make_error("invalid snapshot image: " + why); };
  if (data == nullptr || size < sizeof(Header)) return fail("shorter than its header");
  if (reinterpret_cast<std::uintptr_t>(data) % alignof(std::uint64_t) != 0) return fail("misaligned buffer");
  const auto* header = reinterpret_cast<const Header*>(data);
  if (std::memcmp(header->magic, k_image_magic, sizeof header->magic) != 0) return fail("bad magic");
  if (header->version != k_image_version)
    return fail("version " + std::to_string(header->version) + ", expected " + std::to_string(k_image_version));
  if (header->header_size != sizeof(Header) || header->entry_record_size != sizeof(EntryRecord))
    return fail("record sizes do not match this build");
  if (header->total_size != size) return fail("size field disagrees with the buffer");
  if (header->section_count != k_section_count) return fail("unexpected section count");
  if (XXH3_64bits(data + sizeof(Header), size - sizeof(Header)) != header->checksum) return fail("checksum mismatch");

  ImageView view;
  view.m_base = data;
  view.m_size = size;
  view.m_header = header;
  const std::uint64_t table_end = sizeof(Header) + k_section_count * sizeof(SectionEntry);
  if (table_end > size) return fail("section table out of bounds");
  SectionEntry sections[k_section_count];
  std::memcpy(sections, data + sizeof(Header), sizeof sections);
  bool have_entries = false, have_strings = false, have_content = false, have_order = false;
  bool have_yaml_index = false, have_yaml_data = false;
  bool have_probe_keys = false, have_probe_index = false, have_probe_results = false;
  std::uint64_t yaml_data_size = 0, probe_result_count = 0;
  for (const SectionEntry& s : sections) {
    if (s.offset < table_end || s.offset > size || s.size > size - s.offset) return fail("section out of bounds");
    switch (static_cast<SectionKind>(s.kind)) {
      case SectionKind::entries:
        if (s.offset % alignof(EntryRecord) != 0 || s.size % sizeof(EntryRecord) != 0 ||
            s.size / sizeof(EntryRecord) != header->entry_count)
          return fail("entry section malformed");
        view.m_entries = reinterpret_cast<const EntryRecord*>(data + s.offset);
        view.m_entry_count = header->entry_count;
        have_entries = true;
        break;
      case SectionKind::strings:
        view.m_strings = reinterpret_cast<const char*>(data + s.offset);
        view.m_strings_size = s.size;
        have_strings = true;
        break;
      case SectionKind::content:
        view.m_content = reinterpret_cast<const char*>(data + s.offset);
        view.m_content_size = s.size;
        have_content = true;
        break;
      case SectionKind::walk_order:
        if (s.offset % alignof(std::uint32_t) != 0 || s.size % sizeof(std::uint32_t) != 0)
          return fail("walk order section malformed");
        view.m_walk_order = reinterpret_cast<const std::uint32_t*>(data + s.offset);
        view.m_walk_order_size = static_cast<std::uint32_t>(s.size / sizeof(std::uint32_t));
        have_order = true;
        break;
      case SectionKind::yaml_index:
        if (s.offset % alignof(YamlRecord) != 0 || s.size % sizeof(YamlRecord) != 0)
          return fail("YAML index section malformed");
        view.m_yaml_records = reinterpret_cast<const YamlRecord*>(data + s.offset);
        view.m_yaml_count = static_cast<std::uint32_t>(s.size / sizeof(YamlRecord));
        have_yaml_index = true;
        break;
      case SectionKind::yaml_data:
        if (s.offset % 8 != 0) return fail("YAML data section misaligned");
        view.m_yaml_data = data + s.offset;
        yaml_data_size = s.size;
        have_yaml_data = true;
        break;
      case SectionKind::probe_keys:
        if (s.offset % alignof(std::uint64_t) != 0 || s.size % sizeof(std::uint64_t) != 0 ||
            s.size / sizeof(std::uint64_t) > std::numeric_limits<std::uint32_t>::max())
          return fail("probe key section malformed");
        view.m_probe_keys = reinterpret_cast<const std::uint64_t*>(data + s.offset);
        view.m_probe_count = static_cast<std::uint32_t>(s.size / sizeof(std::uint64_t));
        have_probe_keys = true;
        break;
      case SectionKind::probe_index:
        if (s.offset % alignof(std::uint32_t) != 0 ||
            (s.size != 0 && s.size != (std::uint64_t{header->entry_count} + 1) * sizeof(std::uint32_t)))
          return fail("probe index section malformed");
        view.m_probe_index = s.size == 0 ? nullptr : reinterpret_cast<const std::uint32_t*>(data + s.offset);
        have_probe_index = true;
        break;
      case SectionKind::probe_results:
        if (s.offset % alignof(ProbeResult) != 0 || s.size % sizeof(ProbeResult) != 0)
          return fail("probe result section malformed");
        view.m_probe_results = reinterpret_cast<const ProbeResult*>(data + s.offset);
        probe_result_count = s.size / sizeof(ProbeResult);
        have_probe_results = true;
        break;
      default:
        return fail("unknown section kind " + std::to_string(s.kind));
    }
  }
  if (!have_entries || !have_strings || !have_content || !have_order || !have_yaml_index || !have_yaml_data ||
      !have_probe_keys || !have_probe_index || !have_probe_results)
    return fail("missing section");
  if (view.m_entry_count == 0) return fail("no root entry");
  if (header->root_path_len > view.m_strings_size) return fail("root path out of bounds");

  // Check every record once so accessors need no checks afterwards.
  const std::uint32_t n = view.m_entry_count;
  for (std::uint32_t i = 0; i < n; ++i) {
    const EntryRecord& r = view.m_entries[i];
    if (std::uint64_t{r.path_offset} + r.path_length > view.m_strings_size) return fail("entry path out of bounds");
    if (r.name_length > r.path_length) return fail("entry name longer than its path");
    if (std::uint64_t{r.link_offset} + r.link_length > view.m_strings_size) return fail("link target out of bounds");
    if (std::uint64_t{r.reason_offset} + r.reason_length > view.m_strings_size)
      return fail("unreadable reason out of bounds");
    if (r.content_offset > view.m_content_size || r.content_length > view.m_content_size - r.content_offset)
      return fail("content out of bounds");
    if (r.kind > static_cast<std::uint8_t>(EntryKind::unknown) ||
        r.target_kind > static_cast<std::uint8_t>(EntryKind::unknown))
      return fail("unknown entry kind");
    if (i > 0 && r.parent >= i) return fail("parent does not precede its child");
    if (r.child_count > 0 && (r.first_child <= i || std::uint64_t{r.first_child} + r.child_count > n))
      return fail("children out of bounds");
  }
  if (view.m_walk_order_size >= n) return fail("walk order longer than the entry list");
  for (std::uint32_t i = 0; i < view.m_walk_order_size; ++i)
    if (view.m_walk_order[i] == 0 || view.m_walk_order[i] >= n) return fail("walk order entry out of bounds");

  // YAML records: sorted by entry, in bounds, and every blob validated once
  // (YamlView::attach) so checks read documents without further checks.
  auto views = std::make_shared<std::vector<std::optional<YamlView>>>();
  views->reserve(view.m_yaml_count);
  for (std::uint32_t r = 0; r < view.m_yaml_count; ++r) {
    YamlRecord record;
    std::memcpy(&record, &view.m_yaml_records[r], sizeof record);
    if (record.entry == 0 || record.entry >= n) return fail("YAML record entry out of bounds");
    if (r > 0 && record.entry <= view.m_yaml_records[r - 1].entry) return fail("YAML records not sorted by entry");
    if (record.offset > yaml_data_size || record.length > yaml_data_size - record.offset)
      return fail("YAML record out of bounds");
    switch (static_cast<YamlStatus>(record.status)) {
      case YamlStatus::ok: {
        if (record.offset % 8 != 0) return fail("YAML blob misaligned");
        auto blob = YamlView::attach(view.m_yaml_data + record.offset, static_cast<std::size_t>(record.length));
        if (!blob) return fail("YAML blob of entry " + std::to_string(record.entry) + ": " + blob.error());
        views->push_back(*blob);
        break;
      }
      case YamlStatus::error:
        views->push_back(std::nullopt);
        break;
      default:
        return fail("unknown YAML record status");
    }
  }
  view.m_yaml_views = std::move(views);

  // Content-scan results: keys ascending, each entry's range in bounds and its
  // probe ids ascending and known, so probe_value() can binary-search blindly.
  for (std::uint32_t k = 1; k < view.m_probe_count; ++k)
    if (view.m_probe_keys[k - 1] >= view.m_probe_keys[k]) return fail("probe keys not ascending");
  if (view.m_probe_index == nullptr) {
    if (probe_result_count != 0) return fail("probe results without an index");
  } else {
    if (view.m_probe_index[0] != 0 || view.m_probe_index[n] != probe_result_count)
      return fail("probe index does not cover the results");
    for (std::uint32_t i = 0; i < n; ++i) {
      const std::uint32_t begin = view.m_probe_index[i], end = view.m_probe_index[i + 1];
      if (begin > end) return fail("probe index not ascending");
      // index[n] bounds only the last entry: a later, smaller index must not let an earlier entry read past the end.
      if (end > probe_result_count) return fail("probe index out of bounds");
      for (std::uint32_t k = begin; k < end; ++k) {
        if (view.m_probe_results[k].probe >= view.m_probe_count) return fail("probe result names an unknown probe");
        if (k > begin && view.m_probe_results[k - 1].probe >= view.m_probe_results[k].probe)
          return fail("probe results of an entry not sorted");
      }
    }
  }
  view.m_glob_memo = std::make_shared<GlobMemo>();
  return view;
}

struct ImageView::GlobMemo {
  /// One pattern's matches, computed once: a thread that asks while another computes them waits for
  /// that one instead of matching the tree a second time.
  struct Slot {
    std::once_flag computed;
    std::vector<std::uint32_t> entries;
  };
  std::mutex mutex;
  // Keyed by pattern and brace mode: the two things a Glob is compiled from.
  std::unordered_map<std::string, std::unique_ptr<Slot>> by_pattern;
  // Built on first use: entries by last path component and by the text after
  // its last '.', each list in rglob order, and every entry's rglob rank. Most
  // patterns name a file ("**/chart.yaml") or an extension ("*.{py,yaml}"), so
  // they are matched against a few candidates instead of the whole tree.
  bool indexed = false;
  std::unordered_map<std::string_view, std::vector<std::uint32_t>> by_name;
  std::unordered_map<std::string_view, std::vector<std::uint32_t>> by_extension;
  std::vector<std::uint32_t> rank;
};

namespace {

/// The text after the last '.' of `name`, or nullopt when it has none.
std::optional<std::string_view> extension_of(std::string_view name) {
  const std::size_t dot = name.rfind('.');
  if (dot == std::string_view::npos) return std::nullopt;
  return name.substr(dot + 1);
}

}  // namespace

const std::vector<std::uint32_t>& ImageView::entries_matching(const util::Glob& glob) const {
  static const std::vector<std::uint32_t> k_none;
  if (!m_glob_memo) return k_none;  // a default-constructed view has no entries
  const std::string key = std::to_string(static_cast<int>(glob.brace_mode())) + ':' + glob.pattern();
  GlobMemo& memo = *m_glob_memo;
  GlobMemo::Slot* slot = nullptr;
  {
    const std::lock_guard<std::mutex> lock(memo.mutex);
    auto& owned = memo.by_pattern[key];
    if (!owned) owned = std::make_unique<GlobMemo::Slot>();
    slot = owned.get();
    if (!memo.indexed) {
      memo.rank.assign(m_entry_count, 0);
      std::uint32_t position = 0;
      for (const std::uint32_t* it = walk_order_begin(); it != walk_order_end(); ++it) {
        memo.rank[*it] = position++;
        const std::string_view n = name(*it);
        memo.by_name[n].push_back(*it);
        if (const auto ext = extension_of(n)) memo.by_extension[*ext].push_back(*it);
      }
      memo.indexed = true;
    }
  }
  // The index is immutable once built and a slot never moves, so both are read outside the lock.
  std::call_once(slot->computed, [&] { slot->entries = match_indexed(glob); });
  return slot->entries;
}

std::vector<std::uint32_t> ImageView::match_indexed(const util::Glob& glob) const {
  const GlobMemo& memo = *m_glob_memo;
  // The candidate lists: by exact name, else by extension when every required final suffix fixes one.
  std::vector<const std::vector<std::uint32_t>*> lists;
  bool narrowed = false;
  const auto add_list = [&](const auto& index, std::string_view k) {
    if (const auto it = index.find(k); it != index.end()) lists.push_back(&it->second);
  };
  if (glob.name_only() && glob.exact_names().empty()) {
    // The match depends on the name alone: test each distinct name once (a tree repeats a few hundred names
    // tens of thousands of times).
    narrowed = true;
    for (const auto& [n, list] : memo.by_name)
      if (glob.matches(n)) lists.push_back(&list);
  } else if (!glob.exact_names().empty()) {
    narrowed = true;
    for (const std::string& n : glob.exact_names())
      if (!glob.name_only() || glob.matches(n)) add_list(memo.by_name, n);
  } else if (!glob.final_suffixes().empty() &&
             std::all_of(glob.final_suffixes().begin(), glob.final_suffixes().end(),
                         [](const std::string& suffix) { return suffix.find('.') != std::string::npos; })) {
    narrowed = true;
    std::vector<std::string_view> extensions;
    for (const std::string& suffix : glob.final_suffixes()) extensions.push_back(*extension_of(suffix));
    std::sort(extensions.begin(), extensions.end());
    extensions.erase(std::unique(extensions.begin(), extensions.end()), extensions.end());
    for (const std::string_view ext : extensions) add_list(memo.by_extension, ext);
  }
  // Candidates come a directory at a time (each list is in rglob order), so when the pattern splits at the
  // name, the directory's part of the match is worked out once per directory.
  std::uint32_t last_parent = 0;
  std::uint64_t directory_mask = 0;
  bool mask_known = false;
  const auto glob_matches = [&](std::uint32_t entry) {
    if (!glob.splits_at_name()) return glob.matches(path(entry));
    const std::uint32_t parent = m_entries[entry].parent;
    if (!mask_known || parent != last_parent) {
      directory_mask = glob.directory_mask(path(parent));
      last_parent = parent;
      mask_known = true;
    }
    return glob.matches_in(directory_mask, name(entry));
  };
  std::vector<std::uint32_t> matched;
  if (narrowed && glob.name_only()) {
    for (const auto* list : lists) matched.insert(matched.end(), list->begin(), list->end());
    if (lists.size() > 1)
      std::sort(matched.begin(), matched.end(),
                [&](std::uint32_t a, std::uint32_t b) { return memo.rank[a] < memo.rank[b]; });
  } else if (narrowed) {
    for (const auto* list : lists)
      for (const std::uint32_t entry : *list)
        if (glob_matches(entry)) matched.push_back(entry);
    if (lists.size() > 1)
      std::sort(matched.begin(), matched.end(),
                [&](std::uint32_t a, std::uint32_t b) { return memo.rank[a] < memo.rank[b]; });
  } else {
    for (const std::uint32_t* it = walk_order_begin(); it != walk_order_end(); ++it)
      if (glob_matches(*it)) matched.push_back(*it);
  }
  return matched;
}

std::optional<std::uint32_t> ImageView::probe_id(std::uint64_t key) const {
  const std::uint64_t* end = m_probe_keys + m_probe_count;
  const std::uint64_t* it = std::lower_bound(m_probe_keys, end, key);
  if (it == end || *it != key) return std::nullopt;
  return static_cast<std::uint32_t>(it - m_probe_keys);
}

std::optional<std::int32_t> ImageView::probe_value(std::uint32_t index, std::uint32_t id) const {
  if (m_probe_index == nullptr || !(m_entries[index].flags & k_flag_text_scanned)) return std::nullopt;
  const ProbeResult* begin = m_probe_results + m_probe_index[index];
  const ProbeResult* end = m_probe_results + m_probe_index[index + 1];
  const ProbeResult* it =
      std::lower_bound(begin, end, id, [](const ProbeResult& r, std::uint32_t want) { return r.probe < want; });
  if (it == end || it->probe != id) return std::nullopt;
  return it->value;
}

std::string_view ImageView::path(std::uint32_t index) const {
  const EntryRecord& r = m_entries[index];
  return {m_strings + r.path_offset, r.path_length};
}

std::string_view ImageView::name(std::uint32_t index) const {
  const std::string_view p = path(index);
  return p.substr(p.size() - m_entries[index].name_length);
}

std::string_view ImageView::link_target(std::uint32_t index) const {
  const EntryRecord& r = m_entries[index];
  return {m_strings + r.link_offset, r.link_length};
}

std::string_view ImageView::unreadable_reason(std::uint32_t index) const {
  const EntryRecord& r = m_entries[index];
  return {m_strings + r.reason_offset, r.reason_length};
}

std::string_view ImageView::content(std::uint32_t index) const {
  note_if_unreadable(*this, index);
  const EntryRecord& r = m_entries[index];
  return {m_content + r.content_offset, static_cast<std::size_t>(r.content_length)};
}

std::string_view ImageView::root_path() const { return {m_strings, m_header->root_path_len}; }

YamlDocument ImageView::yaml(std::uint32_t index) const {
  note_if_unreadable(*this, index);  // its document is an error that says nothing of the file's keys
  std::uint32_t lo = 0, hi = m_yaml_count;
  while (lo < hi) {
    const std::uint32_t mid = lo + (hi - lo) / 2;
    const std::uint32_t at = m_yaml_records[mid].entry;
    if (at == index) {
      const YamlRecord& record = m_yaml_records[mid];
      YamlDocument doc;
      doc.status = static_cast<YamlStatus>(record.status);
      if (doc.status == YamlStatus::ok) {
        doc.view = &*(*m_yaml_views)[mid];
      } else {
        doc.error = {reinterpret_cast<const char*>(m_yaml_data + record.offset),
                     static_cast<std::size_t>(record.length)};
      }
      return doc;
    }
    if (at < index)
      lo = mid + 1;
    else
      hi = mid;
  }
  return {};
}

std::optional<std::uint32_t> ImageView::find_child(std::uint32_t dir, std::string_view child) const {
  // An unlisted directory has no recorded children, so "not found" would be a guess; a link out of the tree
  // that is found was never followed.
  note_if_unreadable(*this, dir);
  std::uint32_t lo = m_entries[dir].first_child;
  std::uint32_t hi = lo + m_entries[dir].child_count;
  while (lo < hi) {
    const std::uint32_t mid = lo + (hi - lo) / 2;
    const std::string_view n = name(mid);
    if (n == child) {
      if (m_entries[mid].flags & k_flag_unreadable) note_if_unreadable(*this, mid);
      return mid;
    }
    if (n < child)
      lo = mid + 1;
    else
      hi = mid;
  }
  return std::nullopt;
}

std::optional<std::uint32_t> ImageView::lookup(std::uint32_t from, std::string_view relpath) const {
  std::uint32_t at = from;
  while (!relpath.empty()) {
    const std::size_t slash = relpath.find('/');
    const std::string_view part = relpath.substr(0, slash);
    relpath = slash == std::string_view::npos ? std::string_view{} : relpath.substr(slash + 1);
    if (part.empty() || part == ".") continue;
    const auto child = find_child(at, part);
    if (!child) return std::nullopt;
    at = *child;
  }
  return at;
}

}  // namespace sotcheck::snapshot
