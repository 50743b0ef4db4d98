#include "sotcheck/snapshot/image.hpp"
#include "sotcheck/snapshot/access_journal.hpp"
#include "sotcheck/snapshot/build_threads.hpp"

#include <sched.h>
#include <xxhash.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>

#include "sotcheck/util/cpus.hpp"
#include "sotcheck/util/stats.hpp"
#include "sotcheck/util/strings.hpp"
#include "sotcheck/util/utf8.hpp"
#include "sotcheck/util/worker_threads.hpp"

namespace sotcheck::snapshot {
namespace {

constexpr std::uint32_t k_section_count = 9;

std::uint64_t align8(std::uint64_t n) { return (n + 7) & ~std::uint64_t{7}; }

/// The rglob order of image_format.hpp: sorted pre-order over directories,
/// each directory's children before anything deeper.
std::vector<std::uint32_t> rglob_order(const WalkTree& tree) {
  std::vector<std::uint32_t> order;
  order.reserve(tree.nodes.size());
  std::vector<std::uint32_t> stack = {0};
  while (!stack.empty()) {
    const std::uint32_t dir = stack.back();
    stack.pop_back();
    const WalkNode& node = tree.nodes[dir];
    for (std::uint32_t c = node.first_child; c < node.first_child + node.child_count; ++c) order.push_back(c);
    // Push subdirectories in reverse so the smallest name is visited first.
    for (std::uint32_t c = node.first_child + node.child_count; c-- > node.first_child;)
      if (tree.nodes[c].child_count > 0) stack.push_back(c);
  }
  return order;
}

bool loadable(const WalkNode& node) {
  return node.kind == EntryKind::file || (node.kind == EntryKind::symlink && node.target_kind == EntryKind::file);
}

/// Python's OSError text for a failed open/read: "[Errno 13] Permission denied: '/abs/path'".
std::string os_error_text(int error, std::string_view absolute) {
  return "[Errno " + std::to_string(error) + "] " + std::strerror(error) + ": '" + std::string(absolute) + "'";
}

/// One file read as YAML in pass 1: its bytes (kept for pass 2 when its
/// content is stored too, so the file is read once) and the parse outcome.
struct ParsedYaml {
  std::uint32_t entry = 0;
  long long got = 0;  ///< bytes read, or -errno
  std::string bytes;
  YamlStatus status = YamlStatus::error;
  std::vector<std::byte> blob;  ///< ok
  std::string error;            ///< error
};

/// Reads a file wanted as YAML (on several threads only when the source allows concurrent reads).
void read_yaml_file(const WalkTree& tree, TreeSource& source, const BuildOptions& options, ParsedYaml& out) {
  const WalkNode& node = tree.nodes[out.entry];
  const std::string path = walk_path(tree, out.entry);
  const std::string absolute = options.root_path + "/" + path;
  if (node.size > options.max_file_size) {
    out.got = -1;  // never read: pass 2 sees no bytes (the content cap applies as well)
    out.error = "file too large to load: " + std::to_string(node.size) + " bytes (cap " +
                std::to_string(options.max_file_size) + "): '" + absolute + "'";
    return;
  }
  out.bytes.assign(node.size, '\0');
  out.got = source.read(path, out.bytes.data(), node.size);
  if (out.got < 0) {
    out.error = os_error_text(static_cast<int>(-out.got), absolute);
    out.bytes.clear();
  }
}

/// Decodes and flattens a file read by read_yaml_file; pure (touches only `out`), so files are flattened
/// in parallel.
void flatten_yaml_file(const BuildOptions& options, ParsedYaml& out) {
  if (out.got < 0) return;
  const std::string_view text(out.bytes.data(), static_cast<std::size_t>(out.got));
  if (auto bad = util::utf8_decode_error(text)) {
    out.error = std::move(*bad);
    return;
  }
  auto blob = flatten_yaml(text, options.yaml_limits);
  if (!blob) {
    out.error = blob.error();
    return;
  }
  out.status = YamlStatus::ok;
  out.blob = std::move(*blob);
}

/// The CPUs this process may run on (its affinity mask, so a container's
/// or taskset's limit counts), at least 1.
unsigned usable_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
    return static_cast<unsigned>(CPU_COUNT(&set));
  return std::max(1u, std::thread::hardware_concurrency());
}

/// 0 = one per usable CPU. It used to be a fixed cap of 4, which left most of
/// a large CI runner idle through the image build, the larger part of a run.
std::atomic<unsigned> g_build_threads{0};

/// Runs work(0) .. work(count - 1) on up to `max_threads` threads, the
/// caller's included. These are the parent's only threads and they are joined
/// before the image exists, so none is alive when workers fork. Small jobs
/// stay on the calling thread.
void parallel_for(unsigned max_threads, std::size_t count, std::size_t items_per_thread,
                  const std::function<void(std::size_t)>& work) {
  const auto threads = static_cast<unsigned>(
      std::min<std::size_t>({std::max(1u, max_threads), count / items_per_thread + 1}));
  std::atomic<std::size_t> next{0};
  auto drain = [&] {
    for (std::size_t i = next.fetch_add(1); i < count; i = next.fetch_add(1)) work(i);
  };
  util::run_on_threads(threads - 1, drain);  // fewer threads, or none, when they cannot start
}

constexpr std::size_t k_documents_per_thread = 64;
constexpr std::size_t k_files_per_thread = 256;

}  // namespace

void set_build_threads(unsigned threads) { g_build_threads.store(threads); }

unsigned build_threads() {
  const unsigned threads = g_build_threads.load();
  return threads > 0 ? threads : usable_cpus();
}

util::Result<BuildStats> build_image(const WalkTree& tree, TreeSource& source, const BuildOptions& options,
                                     const std::function<std::byte*(std::size_t)>& allocate) {
  const auto& nodes = tree.nodes;
  if (nodes.size() > std::numeric_limits<std::uint32_t>::max() / 2)
    return util::make_error("too many entries for one image: " + std::to_string(nodes.size()));

  // Pass 1: what becomes of each file, then sizes. Asking the callbacks about
  // every file is most of the pass, and they are const, so files are
  // classified on several threads, in contiguous chunks whose probe lists are
  // then joined in entry order.
  constexpr std::size_t k_chunk = 1024;
  const std::size_t chunk_count = (nodes.size() + k_chunk - 1) / k_chunk;
  std::vector<char> is_yaml(nodes.size(), 0);
  std::vector<char> load(nodes.size(), 0);  // read (and content-scanned)
  std::vector<char> keep(nodes.size(), 0);  // of those, stored in CONTENT
  std::vector<std::uint32_t> probe_count(options.scanner ? nodes.size() : 0, 0);
  std::vector<std::vector<std::uint32_t>> chunk_probes(chunk_count);
  const unsigned threads = snapshot::build_threads();
  parallel_for(threads, chunk_count, 4, [&](std::size_t c) {
    const std::size_t end = std::min(nodes.size(), (c + 1) * k_chunk);
    std::string spelled;
    for (std::size_t i = c * k_chunk; i < end; ++i) {
      if (!loadable(nodes[i])) continue;
      walk_path(tree, static_cast<std::uint32_t>(i), &spelled);
      const std::string_view path = spelled;
      const std::string_view name = path.substr(path.size() - nodes[i].name.size());
      if (options.wants_yaml && options.wants_yaml(path, name)) is_yaml[i] = 1;
      if (!options.wants_content || nodes[i].size > options.max_file_size) continue;
      if (!options.wants_content(path, name)) continue;
      // Without a scanner every file read is kept; with one, a file only probes look at is read, scanned and
      // dropped (most of the bytes on a real tree), and one nothing looks at is not read at all.
      keep[i] = !options.scanner || !options.keep_content || options.keep_content(path, name);
      if (options.scanner) {
        const std::size_t before = chunk_probes[c].size();
        options.scanner->probes_for(path, name, &chunk_probes[c]);
        probe_count[i] = static_cast<std::uint32_t>(chunk_probes[c].size() - before);
      }
      load[i] = keep[i] || (options.scanner && probe_count[i] > 0);
    }
  });

  // Strings: root path, then every path and link target. Paths share
  // prefixes: a directory's path is the start of its first child's, so along
  // each first-child chain only the deepest path is written and the others
  // point into it (a chain N directories deep costs O(N) bytes, not O(N²)).
  // path_length[i] is node i's path length; carrier[i] the last node of the
  // first-child chain from i, whose path holds node i's as a prefix.
  std::vector<std::uint64_t> path_length(nodes.size(), 0);
  for (std::size_t i = 1; i < nodes.size(); ++i) {
    const std::uint32_t p = nodes[i].parent;
    path_length[i] = (p == 0 ? 0 : path_length[p] + 1) + nodes[i].name.size();
  }
  std::vector<std::uint32_t> carrier(nodes.size());
  for (std::size_t i = nodes.size(); i-- > 0;)
    carrier[i] = nodes[i].child_count > 0 ? carrier[nodes[i].first_child] : static_cast<std::uint32_t>(i);
  // A node starts a chain (its carrier's path is written) unless it is the first child of a directory below the root.
  auto starts_chain = [&](std::size_t i) {
    return i != 0 && (nodes[i].parent == 0 || nodes[nodes[i].parent].first_child != i);
  };
  std::uint64_t strings_size = options.root_path.size();
  std::uint64_t content_size = 0;
  // YAML documents are parsed here, before the layout, because their blob
  // sizes decide it; each is read once and its bytes reused by pass 2.
  std::vector<ParsedYaml> parsed;
  std::vector<std::int32_t> parsed_of(options.wants_yaml ? nodes.size() : 0, -1);
  std::uint64_t yaml_data_size = 0;
  // The fused content scan's plan: the probes of loaded file i are
  // planned_probes[probe_begin[i] .. probe_begin[i + 1]).
  std::vector<std::uint32_t> planned_probes;
  std::vector<std::uint32_t> probe_begin(options.scanner ? nodes.size() + 1 : 0, 0);
  std::uint64_t probe_total = 0;
  for (const auto& list : chunk_probes) probe_total += list.size();
  if (probe_total > std::numeric_limits<std::uint32_t>::max())
    return util::make_error("too many content-scan results for one image");
  planned_probes.reserve(probe_total);
  for (const auto& list : chunk_probes) planned_probes.insert(planned_probes.end(), list.begin(), list.end());
  std::vector<std::vector<std::uint32_t>>().swap(chunk_probes);
  std::uint32_t probe_cursor = 0;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (starts_chain(i)) strings_size += path_length[carrier[i]];
    strings_size += nodes[i].link_target.size() + nodes[i].unreadable_reason.size();
    if (options.scanner) {
      probe_begin[i] = probe_cursor;
      probe_cursor += probe_count[i];
    }
    if (is_yaml[i]) {
      parsed_of[i] = static_cast<std::int32_t>(parsed.size());
      parsed.emplace_back().entry = static_cast<std::uint32_t>(i);
    }
    if (keep[i]) content_size += nodes[i].size;
  }
  if (options.scanner) probe_begin[nodes.size()] = probe_cursor;
  const util::Stopwatch yaml_watch;
  const bool concurrent_reads = source.concurrent_reads();
  if (!concurrent_reads)
    for (ParsedYaml& p : parsed) read_yaml_file(tree, source, options, p);
  parallel_for(threads, parsed.size(), k_documents_per_thread, [&](std::size_t i) {
    if (concurrent_reads) read_yaml_file(tree, source, options, parsed[i]);
    flatten_yaml_file(options, parsed[i]);
  });
  const double yaml_seconds = options.wants_yaml ? yaml_watch.seconds() : 0.0;
  for (ParsedYaml& p : parsed) {
    yaml_data_size += align8(p.status == YamlStatus::ok ? p.blob.size() : p.error.size());
    // Bytes kept only for content that is not stored are released now.
    if (!load[p.entry]) std::string().swap(p.bytes);  // loaded ones are copied or scanned below
  }
  if (parsed.size() > std::numeric_limits<std::uint32_t>::max() / sizeof(YamlRecord))
    return util::make_error("too many YAML documents for one image");
  if (strings_size > std::numeric_limits<std::uint32_t>::max())
    return util::make_error("path names exceed the image's 4 GiB string pool");

  const std::uint64_t sections_offset = sizeof(Header);
  const std::uint64_t entries_offset = align8(sections_offset + k_section_count * sizeof(SectionEntry));
  const std::uint64_t strings_offset = entries_offset + nodes.size() * sizeof(EntryRecord);
  const std::uint64_t content_offset = align8(strings_offset + strings_size);
  const std::vector<std::uint32_t> order = rglob_order(tree);
  const std::uint64_t order_offset = align8(content_offset + content_size);
  const std::uint64_t order_size = order.size() * sizeof(std::uint32_t);
  const std::uint64_t yaml_index_offset = align8(order_offset + order_size);
  const std::uint64_t yaml_index_size = parsed.size() * sizeof(YamlRecord);
  const std::uint64_t yaml_data_offset = align8(yaml_index_offset + yaml_index_size);
  const std::vector<std::uint64_t> no_keys;
  const std::vector<std::uint64_t>& probe_keys = options.scanner ? options.scanner->probe_keys() : no_keys;
  const std::uint64_t probe_keys_offset = align8(yaml_data_offset + yaml_data_size);
  const std::uint64_t probe_keys_size = probe_keys.size() * sizeof(std::uint64_t);
  const std::uint64_t probe_index_offset = probe_keys_offset + probe_keys_size;
  const std::uint64_t probe_index_size = probe_begin.size() * sizeof(std::uint32_t);
  const std::uint64_t probe_results_offset = align8(probe_index_offset + probe_index_size);
  const std::uint64_t probe_results_size = planned_probes.size() * sizeof(ProbeResult);
  const std::uint64_t total = probe_results_offset + probe_results_size;
  if (options.max_image_size != 0 && total > options.max_image_size)
    return util::make_error("the snapshot image would need " + util::format_bytes(total) + ", more than --max-image-size (" +
                            util::format_bytes(options.max_image_size) +
                            "); raise the limit or lower --max-file-size");

  // SOTCHECK_TEST_FAIL_IMAGE_ALLOCATION (test only, undocumented for users):
  // the allocation fails as under memory exhaustion, so the exit-3 path is tested.
  std::byte* base = std::getenv("SOTCHECK_TEST_FAIL_IMAGE_ALLOCATION") ? nullptr : allocate(total);
  if (base == nullptr) return util::make_error("cannot allocate " + util::format_bytes(total) + " for the snapshot image");

  // Pass 2: fill.
  Header header{};
  std::memcpy(header.magic, k_image_magic, sizeof header.magic);
  header.version = k_image_version;
  header.header_size = sizeof(Header);
  header.total_size = total;
  header.section_count = k_section_count;
  header.entry_count = static_cast<std::uint32_t>(nodes.size());
  header.entry_record_size = sizeof(EntryRecord);
  header.root_path_len = static_cast<std::uint32_t>(options.root_path.size());
  header.max_file_size = options.max_file_size;

  const SectionEntry sections[k_section_count] = {
      {static_cast<std::uint32_t>(SectionKind::entries), 0, entries_offset, nodes.size() * sizeof(EntryRecord)},
      {static_cast<std::uint32_t>(SectionKind::strings), 0, strings_offset, strings_size},
      {static_cast<std::uint32_t>(SectionKind::content), 0, content_offset, content_size},
      {static_cast<std::uint32_t>(SectionKind::walk_order), 0, order_offset, order_size},
      {static_cast<std::uint32_t>(SectionKind::yaml_index), 0, yaml_index_offset, yaml_index_size},
      {static_cast<std::uint32_t>(SectionKind::yaml_data), 0, yaml_data_offset, yaml_data_size},
      {static_cast<std::uint32_t>(SectionKind::probe_keys), 0, probe_keys_offset, probe_keys_size},
      {static_cast<std::uint32_t>(SectionKind::probe_index), 0, probe_index_offset, probe_index_size},
      {static_cast<std::uint32_t>(SectionKind::probe_results), 0, probe_results_offset, probe_results_size},
  };
  if (!probe_keys.empty()) std::memcpy(base + probe_keys_offset, probe_keys.data(), probe_keys_size);
  if (!probe_begin.empty()) std::memcpy(base + probe_index_offset, probe_begin.data(), probe_index_size);
  auto* probe_results = reinterpret_cast<ProbeResult*>(base + probe_results_offset);
  if (!order.empty()) std::memcpy(base + order_offset, order.data(), order_size);
  std::memcpy(base + sections_offset, sections, sizeof sections);

  char* strings = reinterpret_cast<char*>(base + strings_offset);
  std::uint64_t string_cursor = 0;
  auto put_string = [&](const std::string& s) {
    const auto at = static_cast<std::uint32_t>(string_cursor);
    if (!s.empty()) std::memcpy(strings + string_cursor, s.data(), s.size());
    string_cursor += s.size();
    return at;
  };
  put_string(options.root_path);

  BuildStats stats;
  stats.yaml_seconds = yaml_seconds;
  {
    // Records in entry order (pass 1 visited entries in index order), so
    // ImageView::yaml() can binary-search them.
    std::uint64_t cursor = 0;
    auto* yaml_records = reinterpret_cast<YamlRecord*>(base + yaml_index_offset);
    for (std::size_t r = 0; r < parsed.size(); ++r) {
      const ParsedYaml& p = parsed[r];
      YamlRecord record{};
      record.entry = p.entry;
      record.status = static_cast<std::uint32_t>(p.status);
      record.offset = cursor;
      if (p.status == YamlStatus::ok) {
        record.length = p.blob.size();
        std::memcpy(base + yaml_data_offset + cursor, p.blob.data(), p.blob.size());
        ++stats.yaml_documents;
        stats.yaml_blob_bytes += p.blob.size();
      } else {
        record.length = p.error.size();
        std::memcpy(base + yaml_data_offset + cursor, p.error.data(), p.error.size());
        ++stats.yaml_errors;
      }
      cursor += align8(record.length);
      std::memcpy(&yaml_records[r], &record, sizeof record);
    }
  }
  char* content = reinterpret_cast<char*>(base + content_offset);
  std::uint64_t content_cursor = 0;
  auto* records = reinterpret_cast<EntryRecord*>(base + entries_offset);
  // Every loaded file lands in its slot (read, or copied when it was already
  // read for its YAML) and is content-scanned while its bytes are hot. The
  // slots and result ranges are disjoint, so this runs on several threads.
  const util::Stopwatch fill_watch;
  std::vector<long long> got_of(nodes.size(), 0);
  std::vector<std::uint16_t> scan_flags(options.scanner ? nodes.size() : 0, 0);
  std::atomic<std::uint64_t> probe_values{0};
  {
    std::vector<std::pair<std::uint32_t, std::uint64_t>> loads;  // entry, slot offset (kept files)
    std::uint64_t cursor = 0;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      if (!load[i]) continue;
      loads.emplace_back(static_cast<std::uint32_t>(i), cursor);
      if (keep[i]) cursor += nodes[i].size;
    }
    // Evaluates the planned probes of `entry` on its bytes (got_of[entry] >= 0) and files the values.
    auto scan_one = [&](std::uint32_t entry, std::string_view bytes) {
      const std::uint32_t begin = probe_begin[entry], end = probe_begin[entry + 1];
      std::vector<std::int32_t> values(end - begin, 0);
      if (got_of[entry] >= 0) {
        const bool utf8 = options.scanner->scan(bytes, planned_probes.data() + begin, end - begin, values.data());
        scan_flags[entry] = static_cast<std::uint16_t>(k_flag_text_scanned | (utf8 ? 0 : k_flag_text_not_utf8));
        probe_values.fetch_add(end - begin, std::memory_order_relaxed);
      }
      // Unscanned files still get their planned ids (value 0): the ranges stay well-formed, and
      // ImageView::probe_value answers only for files flagged as scanned.
      for (std::uint32_t k = begin; k < end; ++k) {
        const ProbeResult result{planned_probes[k], values[k - begin]};
        std::memcpy(&probe_results[k], &result, sizeof result);
      }
    };
    // Reads file r (into its slot, or a per-thread scratch buffer when it is not kept) and scans it.
    auto load_one = [&](std::size_t r) {
      thread_local std::string scratch;
      thread_local std::string path;
      const auto [entry, offset] = loads[r];
      const std::int32_t pre = parsed_of.empty() ? -1 : parsed_of[entry];
      std::string_view bytes;
      if (pre >= 0) {
        const ParsedYaml& p = parsed[static_cast<std::size_t>(pre)];
        got_of[entry] = p.got;
        // Never a null data pointer, even for an empty file: the scanner hands it to memchr and friends.
        if (p.got >= 0) bytes = std::string_view(p.bytes.data(), static_cast<std::size_t>(p.got));
        if (keep[entry] && !bytes.empty()) std::memcpy(content + offset, bytes.data(), bytes.size());
      } else {
        char* into = content + offset;
        if (!keep[entry]) {
          if (scratch.size() < nodes[entry].size) scratch.resize(nodes[entry].size);
          into = scratch.data();
        }
        walk_path(tree, entry, &path);
        const long long got = source.read(path, into, nodes[entry].size);
        got_of[entry] = got;
        if (got >= 0) bytes = std::string_view(into, static_cast<std::size_t>(got));
      }
      if (options.scanner) scan_one(entry, bytes);
    };
    if (concurrent_reads) {
      parallel_for(threads, loads.size(), k_files_per_thread, load_one);
    } else {
      for (std::size_t r = 0; r < loads.size(); ++r) load_one(r);
    }
  }
  stats.probe_values = probe_values.load();
  stats.fill_seconds = fill_watch.seconds();
  std::vector<std::uint32_t> path_offset(nodes.size(), 0);
  std::string spelled;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const WalkNode& node = nodes[i];
    EntryRecord record{};
    if (starts_chain(i)) {
      walk_path(tree, carrier[i], &spelled);
      path_offset[i] = put_string(spelled);
    } else if (i != 0) {
      path_offset[i] = path_offset[node.parent];  // a prefix of the parent's carrier path
    }
    record.path_offset = path_offset[i];
    record.path_length = static_cast<std::uint32_t>(path_length[i]);
    record.name_length = static_cast<std::uint32_t>(node.name.size());
    record.parent = node.parent;
    record.first_child = node.first_child;
    record.child_count = node.child_count;
    record.kind = static_cast<std::uint8_t>(node.kind);
    record.target_kind = static_cast<std::uint8_t>(node.target_kind);
    record.flags = node.flags;
    record.error = node.error;
    record.size = node.size;
    record.link_offset = put_string(node.link_target);
    record.link_length = static_cast<std::uint32_t>(node.link_target.size());
    record.reason_offset = put_string(node.unreadable_reason);
    record.reason_length = static_cast<std::uint32_t>(node.unreadable_reason.size());
    record.content_offset = content_cursor;
    if (loadable(node) && node.size > options.max_file_size) record.flags |= k_flag_too_large;
    if (load[i]) {
      const long long got = got_of[i];  // filled above
      if (!scan_flags.empty()) record.flags |= scan_flags[i];
      if (got < 0) {
        record.flags |= k_flag_read_error;
        record.error = static_cast<std::int32_t>(-got);
      } else {
        if (static_cast<std::uint64_t>(got) != node.size) record.flags |= k_flag_changed;
        ++stats.files_loaded;
        if (keep[i]) {
          record.flags |= k_flag_content_loaded;
          record.content_length = static_cast<std::uint64_t>(got);
          stats.content_bytes += record.content_length;
        }
      }
      if (keep[i]) content_cursor += node.size;  // the slot keeps its stat size; unused tail stays zero
    }
    std::memcpy(&records[i], &record, sizeof record);
  }

  const util::Stopwatch checksum_watch;
  header.checksum = XXH3_64bits(base + sizeof(Header), total - sizeof(Header));
  stats.checksum_seconds = checksum_watch.seconds();
  std::memcpy(base, &header, sizeof header);
  stats.image_bytes = total;
  return stats;
}

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
  std::mutex mutex;
  // Keyed by pattern and brace mode: the two things a Glob is compiled from.
  std::unordered_map<std::string, std::unique_ptr<const std::vector<std::uint32_t>>> by_pattern;
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
  {
    const std::lock_guard<std::mutex> lock(memo.mutex);
    if (const auto it = memo.by_pattern.find(key); it != memo.by_pattern.end()) return *it->second;
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
  // The candidate lists: by exact name, else by extension when every required final suffix fixes one.
  // The index is immutable once built, so it is read outside the lock.
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
  // Matched outside the lock; a racing thread computes the same list and the first one stored wins.
  auto matched = std::make_unique<std::vector<std::uint32_t>>();
  if (narrowed && glob.name_only()) {
    for (const auto* list : lists) matched->insert(matched->end(), list->begin(), list->end());
    if (lists.size() > 1)
      std::sort(matched->begin(), matched->end(),
                [&](std::uint32_t a, std::uint32_t b) { return memo.rank[a] < memo.rank[b]; });
  } else if (narrowed) {
    for (const auto* list : lists)
      for (const std::uint32_t entry : *list)
        if (glob.matches(path(entry))) matched->push_back(entry);
    if (lists.size() > 1)
      std::sort(matched->begin(), matched->end(),
                [&](std::uint32_t a, std::uint32_t b) { return memo.rank[a] < memo.rank[b]; });
  } else {
    for (const std::uint32_t* it = walk_order_begin(); it != walk_order_end(); ++it)
      if (glob.matches(path(*it))) matched->push_back(*it);
  }
  const std::lock_guard<std::mutex> lock(memo.mutex);
  return *memo.by_pattern.emplace(key, std::move(matched)).first->second;
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

void HeapImage::FreeWords::operator()(std::uint64_t* words) const { std::free(words); }

util::Result<HeapImage> HeapImage::build(const WalkTree& tree, TreeSource& source, const BuildOptions& options,
                                         BuildStats* stats) {
  HeapImage image;
  auto built = build_image(tree, source, options, [&](std::size_t size) -> std::byte* {
    image.m_words.reset(static_cast<std::uint64_t*>(std::calloc((size + 7) / 8, sizeof(std::uint64_t))));
    if (!image.m_words) return nullptr;
    image.m_size = size;
    return reinterpret_cast<std::byte*>(image.m_words.get());
  });
  if (!built) return util::make_error(built.error());
  if (stats) *stats = *built;
  return image;
}

}  // namespace sotcheck::snapshot
