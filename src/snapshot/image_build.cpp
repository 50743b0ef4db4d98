// The build side of the snapshot image (image_build.hpp): build_image and
// the passes it runs, in order. The layout they fill is image_format.hpp.
#include <xxhash.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <utility>

#include "alignment.hpp"
#include "sotcheck/snapshot/image_build.hpp"
#include "sotcheck/util/cpus.hpp"
#include "sotcheck/util/stats.hpp"
#include "sotcheck/util/strings.hpp"
#include "sotcheck/util/utf8.hpp"
#include "sotcheck/util/worker_threads.hpp"

namespace sotcheck::snapshot {
namespace {

constexpr std::size_t k_documents_per_thread = 64;
constexpr std::size_t k_files_per_thread = 256;

bool loadable(const WalkNode& node) {
  return node.kind == EntryKind::file || (node.kind == EntryKind::symlink && node.target_kind == EntryKind::file);
}

/// Python's OSError text for a failed open/read: "[Errno 13] Permission denied: '/abs/path'".
std::string os_error_text(int error, std::string_view absolute) {
  return "[Errno " + std::to_string(error) + "] " + std::strerror(error) + ": '" + std::string(absolute) + "'";
}

/// How many threads `count` items deserve: one per `items_per_thread`, at most max_threads, at least one.
unsigned threads_for(unsigned max_threads, std::size_t count, std::size_t items_per_thread) {
  return static_cast<unsigned>(std::min<std::size_t>({std::max(1u, max_threads), count / items_per_thread + 1}));
}

/// Runs work(0) .. work(count - 1) on up to `max_threads` threads, the
/// caller's included. These are the parent's only threads and they are joined
/// before the image exists, so none is alive when workers fork. Small jobs
/// stay on the calling thread.
void parallel_for(unsigned max_threads, std::size_t count, std::size_t items_per_thread,
                  const std::function<void(std::size_t)>& work) {
  const unsigned threads = threads_for(max_threads, count, items_per_thread);
  std::atomic<std::size_t> next{0};
  auto drain = [&] {
    for (std::size_t i = next.fetch_add(1); i < count; i = next.fetch_add(1)) work(i);
  };
  util::run_on_threads(threads - 1, drain);  // fewer threads, or none, when they cannot start
}

/// What a thread that reads files keeps from one file to the next: its
/// FileReader (the directories on the way open) and the last parent's path.
struct ReadingThread {
  ReadingThread(TreeSource& source, const WalkTree& tree) : reader(source.reader()), speller(tree) {}
  std::unique_ptr<FileReader> reader;
  PathSpeller speller;
};

/// parallel_for for work that reads files: each thread has its own
/// ReadingThread and takes neighbouring items a run at a time, so that files
/// of one directory are read by one reader, which opens that directory once.
void parallel_read(TreeSource& source, const WalkTree& tree, unsigned max_threads, std::size_t count,
                   std::size_t items_per_thread, const std::function<void(ReadingThread&, std::size_t)>& work) {
  constexpr std::size_t k_run = 16;
  const unsigned threads = threads_for(max_threads, count, items_per_thread);
  std::atomic<std::size_t> next{0};
  auto drain = [&] {
    ReadingThread reading(source, tree);
    for (std::size_t first = next.fetch_add(k_run); first < count; first = next.fetch_add(k_run))
      for (std::size_t i = first; i < std::min(count, first + k_run); ++i) work(reading, i);
  };
  util::run_on_threads(threads - 1, drain);
}

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

/// Every directory's position in a depth-first pre-order over the
/// directories (a directory, then each subdirectory's whole subtree in name
/// order). Reading files in this order of their parents keeps a reader's open
/// directories useful from one file to the next (FileReader).
std::vector<std::uint32_t> depth_first_ranks(const WalkTree& tree) {
  std::vector<std::uint32_t> rank(tree.nodes.size(), 0);
  std::vector<std::uint32_t> stack = {0};
  std::uint32_t next = 0;
  while (!stack.empty()) {
    const std::uint32_t dir = stack.back();
    stack.pop_back();
    rank[dir] = next++;
    const WalkNode& node = tree.nodes[dir];
    for (std::uint32_t c = node.first_child + node.child_count; c-- > node.first_child;)
      if (tree.nodes[c].child_count > 0) stack.push_back(c);
  }
  return rank;
}

/// The order in which to read `count` files, entry_of(k) being the k-th: by
/// their parents' depth-first rank, a directory's files in entry order.
template <typename EntryOf>
std::vector<std::uint32_t> reading_order(const WalkTree& tree, const std::vector<std::uint32_t>& ranks,
                                         std::size_t count, EntryOf entry_of) {
  std::vector<std::uint32_t> order(count);
  for (std::size_t k = 0; k < count; ++k) order[k] = static_cast<std::uint32_t>(k);
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return ranks[tree.nodes[entry_of(a)].parent] < ranks[tree.nodes[entry_of(b)].parent];
  });
  return order;
}

// ---- Pass 1: what becomes of each file ----------------------------------

/// Per entry: parsed as YAML, read (and content-scanned), stored in CONTENT;
/// and the fused scan's probes of each read file, in entry order.
struct FileFates {
  std::vector<char> is_yaml, load, keep;
  std::vector<std::uint32_t> probe_count;
  std::vector<std::vector<std::uint32_t>> chunk_probes;  ///< probe ids per chunk of entries, joined later
};

/// BuildOptions' four separate questions as one classifier session, for
/// callers that set them one by one (tests, tools).
class CallbackSession final : public FileClassifier::Session {
 public:
  explicit CallbackSession(const BuildOptions& options) : m_options(options) {}
  FileNeeds classify(std::string_view path, std::string_view name, std::vector<std::uint32_t>* probe_ids) override {
    FileNeeds needs;
    needs.yaml = m_options.wants_yaml && m_options.wants_yaml(path, name);
    needs.content = m_options.wants_content && m_options.wants_content(path, name);
    if (!needs.content) return needs;
    needs.keep = !m_options.keep_content || m_options.keep_content(path, name);
    if (probe_ids != nullptr && m_options.scanner) m_options.scanner->probes_for(path, name, probe_ids);
    return needs;
  }

 private:
  const BuildOptions& m_options;
};

/// Asks the classifier about every file. That is most of the pass and it is
/// const, so files are classified on several threads, in contiguous chunks
/// whose probe lists keep entry order when joined. Each thread has one
/// session for all the chunks it takes, so what it learns about a name
/// serves every file of that name it meets.
FileFates classify_files(const WalkTree& tree, const BuildOptions& options, unsigned threads) {
  const auto& nodes = tree.nodes;
  constexpr std::size_t k_chunk = 1024;
  FileFates fates;
  fates.is_yaml.assign(nodes.size(), 0);
  fates.load.assign(nodes.size(), 0);
  fates.keep.assign(nodes.size(), 0);
  fates.probe_count.assign(options.scanner ? nodes.size() : 0, 0);
  fates.chunk_probes.resize((nodes.size() + k_chunk - 1) / k_chunk);
  const std::size_t chunks = fates.chunk_probes.size();
  const std::size_t sessions = std::min<std::size_t>(std::max(1u, threads), chunks / 4 + 1);
  std::atomic<std::size_t> next_chunk{0};
  parallel_for(threads, sessions, 1, [&](std::size_t) {
    const std::unique_ptr<FileClassifier::Session> session =
        options.classifier ? options.classifier->session() : std::make_unique<CallbackSession>(options);
    PathSpeller speller(tree);  // a chunk's files come in runs of siblings
    for (std::size_t c = next_chunk.fetch_add(1); c < chunks; c = next_chunk.fetch_add(1)) {
      std::vector<std::uint32_t>& probes = fates.chunk_probes[c];
      const std::size_t end = std::min(nodes.size(), (c + 1) * k_chunk);
      for (std::size_t i = c * k_chunk; i < end; ++i) {
        if (!loadable(nodes[i])) continue;
        const std::string_view path = speller.path_of(static_cast<std::uint32_t>(i));
        const std::string_view name = path.substr(path.size() - nodes[i].name.size());
        const bool readable = nodes[i].size <= options.max_file_size;
        const std::size_t before = probes.size();
        const FileNeeds needs = session->classify(path, name, options.scanner && readable ? &probes : nullptr);
        fates.is_yaml[i] = needs.yaml ? 1 : 0;
        if (!readable || !needs.content) {
          probes.resize(before);  // probes apply only to a file that is read
          continue;
        }
        // Without a scanner every file read is kept; with one, a file only probes look at is read, scanned and
        // dropped (most of the bytes on a real tree), and one nothing looks at is not read at all.
        fates.keep[i] = !options.scanner || needs.keep;
        if (options.scanner) fates.probe_count[i] = static_cast<std::uint32_t>(probes.size() - before);
        fates.load[i] = fates.keep[i] || (options.scanner && fates.probe_count[i] > 0);
      }
    }
  });
  return fates;
}

/// The fused content scan's plan: the probes of loaded file i are
/// planned[begin[i] .. begin[i + 1]).
struct ProbePlan {
  std::vector<std::uint32_t> planned;
  std::vector<std::uint32_t> begin;
};

/// Joins the chunks' probe lists (releasing them) into one plan indexed by entry.
util::Result<ProbePlan> plan_probes(std::size_t entry_count, const BuildOptions& options, FileFates& fates) {
  ProbePlan plan;
  std::uint64_t total = 0;
  for (const auto& list : fates.chunk_probes) total += list.size();
  if (total > std::numeric_limits<std::uint32_t>::max())
    return util::make_error("too many content-scan results for one image");
  plan.planned.reserve(total);
  for (const auto& list : fates.chunk_probes) plan.planned.insert(plan.planned.end(), list.begin(), list.end());
  std::vector<std::vector<std::uint32_t>>().swap(fates.chunk_probes);
  if (!options.scanner) return plan;
  plan.begin.assign(entry_count + 1, 0);
  std::uint32_t cursor = 0;
  for (std::size_t i = 0; i < entry_count; ++i) {
    plan.begin[i] = cursor;
    cursor += fates.probe_count[i];
  }
  plan.begin[entry_count] = cursor;
  return plan;
}

// ---- Pass 2: the string pool's shape --------------------------------------

/// Paths share prefixes: a directory's path is the start of its first
/// child's, so along each first-child chain only the deepest path is written
/// and the others point into it (a chain N directories deep costs O(N)
/// bytes, not O(N²)). length[i] is node i's path length; carrier[i] the last
/// node of the first-child chain from i, whose path holds node i's as a prefix.
struct PathChains {
  std::vector<std::uint64_t> length;
  std::vector<std::uint32_t> carrier;
  const std::vector<WalkNode>* nodes = nullptr;

  /// True if node i starts a chain (its carrier's path is written): every node
  /// but the root and the first children of directories below the root.
  bool starts_chain(std::size_t i) const {
    const auto& n = *nodes;
    return i != 0 && (n[i].parent == 0 || n[n[i].parent].first_child != i);
  }
};

PathChains chain_paths(const WalkTree& tree) {
  const auto& nodes = tree.nodes;
  PathChains chains;
  chains.nodes = &nodes;
  chains.length.assign(nodes.size(), 0);
  for (std::size_t i = 1; i < nodes.size(); ++i) {
    const std::uint32_t p = nodes[i].parent;
    chains.length[i] = (p == 0 ? 0 : chains.length[p] + 1) + nodes[i].name.size();
  }
  chains.carrier.resize(nodes.size());
  for (std::size_t i = nodes.size(); i-- > 0;)
    chains.carrier[i] = nodes[i].child_count > 0 ? chains.carrier[nodes[i].first_child] : static_cast<std::uint32_t>(i);
  return chains;
}

/// Bytes of the string pool: the root path, the chains' paths, link targets and unreadable reasons.
std::uint64_t strings_size(const WalkTree& tree, const BuildOptions& options, const PathChains& chains) {
  std::uint64_t size = options.root_path.size();
  for (std::size_t i = 0; i < tree.nodes.size(); ++i) {
    if (chains.starts_chain(i)) size += chains.length[chains.carrier[i]];
    size += tree.nodes[i].link_target.size() + tree.nodes[i].unreadable_reason.size();
  }
  return size;
}

// ---- Pass 3: YAML documents ------------------------------------------------

/// One file read as YAML: its bytes (kept for the fill when its content is
/// stored too, so the file is read once) and the parse outcome.
struct ParsedYaml {
  std::uint32_t entry = 0;
  long long got = 0;  ///< bytes read, or -errno
  std::string bytes;
  YamlStatus status = YamlStatus::error;
  std::vector<std::byte> blob;  ///< ok
  std::string error;            ///< error
};

struct ParsedDocuments {
  std::vector<ParsedYaml> documents;  ///< in entry order
  std::vector<std::int32_t> index_of;  ///< per entry: its document, or -1 (empty without wants_yaml)
  std::uint64_t data_size = 0;         ///< the YAML_DATA section's size
  double seconds = 0;
};

/// Reads a file wanted as YAML (on several threads only when the source allows concurrent reads).
void read_yaml_file(const WalkTree& tree, ReadingThread& reading, const BuildOptions& options, ParsedYaml& out) {
  const WalkNode& node = tree.nodes[out.entry];
  const std::string_view path = reading.speller.path_of(out.entry);
  // The absolute path only for the error texts (Python's OSError names it).
  auto absolute = [&] { return options.root_path + "/" + std::string(path); };
  if (node.size > options.max_file_size) {
    out.got = -1;  // never read: the fill sees no bytes (the content cap applies as well)
    out.error = "file too large to load: " + std::to_string(node.size) + " bytes (cap " +
                std::to_string(options.max_file_size) + "): '" + absolute() + "'";
    return;
  }
  out.bytes.assign(node.size, '\0');
  out.got = reading.reader->read(path, out.bytes.data(), node.size);
  if (out.got < 0) {
    out.error = os_error_text(static_cast<int>(-out.got), absolute());
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

/// Reads and flattens every file wanted as YAML. It runs before the layout
/// because the documents' sizes decide it; bytes the fill will not need are
/// released at once.
util::Result<ParsedDocuments> parse_yaml_documents(const WalkTree& tree, TreeSource& source,
                                                   const BuildOptions& options, const FileFates& fates,
                                                   unsigned threads) {
  const auto& nodes = tree.nodes;
  ParsedDocuments parsed;
  parsed.index_of.assign(options.wants_yaml ? nodes.size() : 0, -1);
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (!fates.is_yaml[i]) continue;
    parsed.index_of[i] = static_cast<std::int32_t>(parsed.documents.size());
    parsed.documents.emplace_back().entry = static_cast<std::uint32_t>(i);
  }
  const util::Stopwatch watch;
  if (source.concurrent_reads()) {
    const std::vector<std::uint32_t> order = reading_order(tree, depth_first_ranks(tree), parsed.documents.size(),
                                                           [&](std::uint32_t k) { return parsed.documents[k].entry; });
    parallel_read(source, tree, threads, order.size(), k_documents_per_thread, [&](ReadingThread& reading, std::size_t i) {
      read_yaml_file(tree, reading, options, parsed.documents[order[i]]);
      flatten_yaml_file(options, parsed.documents[order[i]]);
    });
  } else {
    ReadingThread reading(source, tree);
    for (ParsedYaml& p : parsed.documents) read_yaml_file(tree, reading, options, p);
    parallel_for(threads, parsed.documents.size(), k_documents_per_thread,
                 [&](std::size_t i) { flatten_yaml_file(options, parsed.documents[i]); });
  }
  parsed.seconds = options.wants_yaml ? watch.seconds() : 0.0;
  for (ParsedYaml& p : parsed.documents) {
    parsed.data_size += align8(p.status == YamlStatus::ok ? p.blob.size() : p.error.size());
    if (!fates.load[p.entry]) std::string().swap(p.bytes);  // loaded ones are copied or scanned by the fill
  }
  if (parsed.documents.size() > std::numeric_limits<std::uint32_t>::max() / sizeof(YamlRecord))
    return util::make_error("too many YAML documents for one image");
  return parsed;
}

// ---- Pass 4: layout ----------------------------------------------------------

/// Every section's offset and size, and the image's total size.
struct Layout {
  std::uint64_t sections = 0, entries = 0, strings = 0, strings_size = 0, content = 0, content_size = 0;
  std::uint64_t order = 0, order_size = 0, yaml_index = 0, yaml_index_size = 0, yaml_data = 0, yaml_data_size = 0;
  std::uint64_t probe_keys = 0, probe_keys_size = 0, probe_index = 0, probe_index_size = 0;
  std::uint64_t probe_results = 0, probe_results_size = 0, total = 0;
};

Layout lay_out(std::size_t entry_count, std::uint64_t strings_size, std::uint64_t content_size,
               std::size_t order_count, const ParsedDocuments& parsed, std::size_t probe_key_count,
               const ProbePlan& probes) {
  Layout l;
  l.sections = sizeof(Header);
  l.entries = align8(l.sections + k_section_count * sizeof(SectionEntry));
  l.strings = l.entries + entry_count * sizeof(EntryRecord);
  l.strings_size = strings_size;
  l.content = align8(l.strings + strings_size);
  l.content_size = content_size;
  l.order = align8(l.content + content_size);
  l.order_size = order_count * sizeof(std::uint32_t);
  l.yaml_index = align8(l.order + l.order_size);
  l.yaml_index_size = parsed.documents.size() * sizeof(YamlRecord);
  l.yaml_data = align8(l.yaml_index + l.yaml_index_size);
  l.yaml_data_size = parsed.data_size;
  l.probe_keys = align8(l.yaml_data + l.yaml_data_size);
  l.probe_keys_size = probe_key_count * sizeof(std::uint64_t);
  l.probe_index = l.probe_keys + l.probe_keys_size;
  l.probe_index_size = probes.begin.size() * sizeof(std::uint32_t);
  l.probe_results = align8(l.probe_index + l.probe_index_size);
  l.probe_results_size = probes.planned.size() * sizeof(ProbeResult);
  l.total = l.probe_results + l.probe_results_size;
  return l;
}

// ---- Pass 5: fill ------------------------------------------------------------

/// The section table and the sections that are copied whole: walk order, probe keys, probe index.
void write_tables(std::byte* base, const Layout& l, std::size_t entry_count, const std::vector<std::uint32_t>& order,
                  const std::vector<std::uint64_t>& probe_keys, const ProbePlan& probes) {
  const SectionEntry sections[k_section_count] = {
      {static_cast<std::uint32_t>(SectionKind::entries), 0, l.entries, entry_count * sizeof(EntryRecord)},
      {static_cast<std::uint32_t>(SectionKind::strings), 0, l.strings, l.strings_size},
      {static_cast<std::uint32_t>(SectionKind::content), 0, l.content, l.content_size},
      {static_cast<std::uint32_t>(SectionKind::walk_order), 0, l.order, l.order_size},
      {static_cast<std::uint32_t>(SectionKind::yaml_index), 0, l.yaml_index, l.yaml_index_size},
      {static_cast<std::uint32_t>(SectionKind::yaml_data), 0, l.yaml_data, l.yaml_data_size},
      {static_cast<std::uint32_t>(SectionKind::probe_keys), 0, l.probe_keys, l.probe_keys_size},
      {static_cast<std::uint32_t>(SectionKind::probe_index), 0, l.probe_index, l.probe_index_size},
      {static_cast<std::uint32_t>(SectionKind::probe_results), 0, l.probe_results, l.probe_results_size},
  };
  if (!probe_keys.empty()) std::memcpy(base + l.probe_keys, probe_keys.data(), l.probe_keys_size);
  if (!probes.begin.empty()) std::memcpy(base + l.probe_index, probes.begin.data(), l.probe_index_size);
  if (!order.empty()) std::memcpy(base + l.order, order.data(), l.order_size);
  std::memcpy(base + l.sections, sections, sizeof sections);
}

/// YAML_INDEX and YAML_DATA. Records are in entry order (the documents were
/// collected in index order), so ImageView::yaml() can binary-search them.
void write_yaml_sections(std::byte* base, const Layout& l, const ParsedDocuments& parsed, BuildStats& stats) {
  std::uint64_t cursor = 0;
  auto* records = reinterpret_cast<YamlRecord*>(base + l.yaml_index);
  for (std::size_t r = 0; r < parsed.documents.size(); ++r) {
    const ParsedYaml& p = parsed.documents[r];
    YamlRecord record{};
    record.entry = p.entry;
    record.status = static_cast<std::uint32_t>(p.status);
    record.offset = cursor;
    if (p.status == YamlStatus::ok) {
      record.length = p.blob.size();
      std::memcpy(base + l.yaml_data + cursor, p.blob.data(), p.blob.size());
      ++stats.yaml_documents;
      stats.yaml_blob_bytes += p.blob.size();
    } else {
      record.length = p.error.size();
      std::memcpy(base + l.yaml_data + cursor, p.error.data(), p.error.size());
      ++stats.yaml_errors;
    }
    cursor += align8(record.length);
    std::memcpy(&records[r], &record, sizeof record);
  }
}

/// What reading the loaded files left for their entry records.
struct FillResult {
  std::vector<long long> got;            ///< per entry: bytes read, or -errno
  std::vector<std::uint16_t> scan_flags;  ///< per entry, with a scanner: k_flag_text_scanned / _not_utf8
};

/// Reads every loaded file into its CONTENT slot (or copies it when it was
/// already read for its YAML), content-scanning it while its bytes are hot
/// and filing the probe values. The slots and result ranges are disjoint, so
/// this runs on several threads.
FillResult fill_contents(const WalkTree& tree, TreeSource& source, const BuildOptions& options,
                         const FileFates& fates, const ParsedDocuments& parsed, const ProbePlan& probes,
                         std::byte* base, const Layout& l, unsigned threads, BuildStats& stats) {
  const auto& nodes = tree.nodes;
  const util::Stopwatch watch;
  FillResult result;
  result.got.assign(nodes.size(), 0);
  result.scan_flags.assign(options.scanner ? nodes.size() : 0, 0);
  char* content = reinterpret_cast<char*>(base + l.content);
  auto* probe_results = reinterpret_cast<ProbeResult*>(base + l.probe_results);
  std::atomic<std::uint64_t> probe_values{0};
  std::vector<std::pair<std::uint32_t, std::uint64_t>> loads;  // entry, slot offset (kept files)
  std::uint64_t cursor = 0;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (!fates.load[i]) continue;
    loads.emplace_back(static_cast<std::uint32_t>(i), cursor);
    if (fates.keep[i]) cursor += nodes[i].size;
  }
  // Evaluates the planned probes of `entry` on its bytes (got >= 0) and files the values.
  auto scan_one = [&](std::uint32_t entry, std::string_view bytes) {
    const std::uint32_t begin = probes.begin[entry], end = probes.begin[entry + 1];
    thread_local std::vector<std::int32_t> values;  // reused across files, like the read buffer
    values.assign(end - begin, 0);
    if (result.got[entry] >= 0) {
      const bool utf8 = options.scanner->scan(bytes, probes.planned.data() + begin, end - begin, values.data());
      result.scan_flags[entry] = static_cast<std::uint16_t>(k_flag_text_scanned | (utf8 ? 0 : k_flag_text_not_utf8));
      probe_values.fetch_add(end - begin, std::memory_order_relaxed);
    }
    // Unscanned files still get their planned ids (value 0): the ranges stay well-formed, and
    // ImageView::probe_value answers only for files flagged as scanned.
    for (std::uint32_t k = begin; k < end; ++k) {
      const ProbeResult value{probes.planned[k], values[k - begin]};
      std::memcpy(&probe_results[k], &value, sizeof value);
    }
  };
  // Reads file r (into its slot, or a per-thread scratch buffer when it is not kept) and scans it.
  auto load_one = [&](ReadingThread& reading, std::size_t r) {
    thread_local std::string scratch;
    const auto [entry, offset] = loads[r];
    const std::int32_t pre = parsed.index_of.empty() ? -1 : parsed.index_of[entry];
    std::string_view bytes;
    if (pre >= 0) {
      const ParsedYaml& p = parsed.documents[static_cast<std::size_t>(pre)];
      result.got[entry] = p.got;
      // Never a null data pointer, even for an empty file: the scanner hands it to memchr and friends.
      if (p.got >= 0) bytes = std::string_view(p.bytes.data(), static_cast<std::size_t>(p.got));
      if (fates.keep[entry] && !bytes.empty()) std::memcpy(content + offset, bytes.data(), bytes.size());
    } else {
      char* into = content + offset;
      if (!fates.keep[entry]) {
        if (scratch.size() < nodes[entry].size) scratch.resize(nodes[entry].size);
        into = scratch.data();
      }
      const long long got = reading.reader->read(reading.speller.path_of(entry), into, nodes[entry].size);
      result.got[entry] = got;
      if (got >= 0) bytes = std::string_view(into, static_cast<std::size_t>(got));
    }
    if (options.scanner) scan_one(entry, bytes);
  };
  if (source.concurrent_reads()) {
    const std::vector<std::uint32_t> order = reading_order(tree, depth_first_ranks(tree), loads.size(),
                                                           [&](std::uint32_t k) { return loads[k].first; });
    parallel_read(source, tree, threads, order.size(), k_files_per_thread,
                  [&](ReadingThread& reading, std::size_t i) { load_one(reading, order[i]); });
  } else {
    ReadingThread reading(source, tree);
    for (std::size_t r = 0; r < loads.size(); ++r) load_one(reading, r);
  }
  stats.probe_values = probe_values.load();
  stats.fill_seconds = watch.seconds();
  return result;
}

/// The string pool and every entry's record, in entry order.
void write_entries(const WalkTree& tree, const BuildOptions& options, const FileFates& fates,
                   const PathChains& chains, const FillResult& fill, std::byte* base, const Layout& l,
                   BuildStats& stats) {
  const auto& nodes = tree.nodes;
  char* strings = reinterpret_cast<char*>(base + l.strings);
  std::uint64_t string_cursor = 0;
  auto put_string = [&](const std::string& s) {
    const auto at = static_cast<std::uint32_t>(string_cursor);
    if (!s.empty()) std::memcpy(strings + string_cursor, s.data(), s.size());
    string_cursor += s.size();
    return at;
  };
  put_string(options.root_path);
  auto* records = reinterpret_cast<EntryRecord*>(base + l.entries);
  std::uint64_t content_cursor = 0;
  std::vector<std::uint32_t> path_offset(nodes.size(), 0);
  std::string spelled;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const WalkNode& node = nodes[i];
    EntryRecord record{};
    if (chains.starts_chain(i)) {
      walk_path(tree, chains.carrier[i], &spelled);
      path_offset[i] = put_string(spelled);
    } else if (i != 0) {
      path_offset[i] = path_offset[node.parent];  // a prefix of the parent's carrier path
    }
    record.path_offset = path_offset[i];
    record.path_length = static_cast<std::uint32_t>(chains.length[i]);
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
    if (fates.load[i]) {
      const long long got = fill.got[i];
      if (!fill.scan_flags.empty()) record.flags |= fill.scan_flags[i];
      if (got < 0) {
        record.flags |= k_flag_read_error;
        record.error = static_cast<std::int32_t>(-got);
      } else {
        if (static_cast<std::uint64_t>(got) != node.size) record.flags |= k_flag_changed;
        ++stats.files_loaded;
        if (fates.keep[i]) {
          record.flags |= k_flag_content_loaded;
          record.content_length = static_cast<std::uint64_t>(got);
          stats.content_bytes += record.content_length;
        }
      }
      if (fates.keep[i]) content_cursor += node.size;  // the slot keeps its stat size; unused tail stays zero
    }
    std::memcpy(&records[i], &record, sizeof record);
  }
}

// ---- Pass 6: seal ------------------------------------------------------------

/// The header last, with the checksum of everything after it.
void seal(std::byte* base, const Layout& l, const WalkTree& tree, const BuildOptions& options, BuildStats& stats) {
  Header header{};
  std::memcpy(header.magic, k_image_magic, sizeof header.magic);
  header.version = k_image_version;
  header.header_size = sizeof(Header);
  header.total_size = l.total;
  header.section_count = k_section_count;
  header.entry_count = static_cast<std::uint32_t>(tree.nodes.size());
  header.entry_record_size = sizeof(EntryRecord);
  header.root_path_len = static_cast<std::uint32_t>(options.root_path.size());
  header.max_file_size = options.max_file_size;
  const util::Stopwatch watch;
  header.checksum = XXH3_64bits(base + sizeof(Header), l.total - sizeof(Header));
  stats.checksum_seconds = watch.seconds();
  std::memcpy(base, &header, sizeof header);
  stats.image_bytes = l.total;
}

}  // namespace

util::Result<BuildStats> build_image(const WalkTree& tree, TreeSource& source, const BuildOptions& options,
                                     const std::function<std::byte*(std::size_t)>& allocate) {
  const auto& nodes = tree.nodes;
  if (nodes.size() > std::numeric_limits<std::uint32_t>::max() / 2)
    return util::make_error("too many entries for one image: " + std::to_string(nodes.size()));
  const unsigned threads = options.threads > 0 ? options.threads : util::usable_cpus();

  FileFates fates = classify_files(tree, options, threads);
  auto probes = plan_probes(nodes.size(), options, fates);
  if (!probes) return util::make_error(probes.error());
  const PathChains chains = chain_paths(tree);
  const std::uint64_t pool_size = strings_size(tree, options, chains);
  std::uint64_t content_size = 0;
  for (std::size_t i = 0; i < nodes.size(); ++i)
    if (fates.keep[i]) content_size += nodes[i].size;
  auto parsed = parse_yaml_documents(tree, source, options, fates, threads);
  if (!parsed) return util::make_error(parsed.error());
  if (pool_size > std::numeric_limits<std::uint32_t>::max())
    return util::make_error("path names exceed the image's 4 GiB string pool");

  const std::vector<std::uint32_t> order = rglob_order(tree);
  const std::vector<std::uint64_t> no_keys;
  const std::vector<std::uint64_t>& probe_keys = options.scanner ? options.scanner->probe_keys() : no_keys;
  const Layout layout = lay_out(nodes.size(), pool_size, content_size, order.size(), *parsed, probe_keys.size(), *probes);
  if (options.max_image_size != 0 && layout.total > options.max_image_size)
    return util::make_error("the snapshot image would need " + util::format_bytes(layout.total) +
                            ", more than --max-image-size (" + util::format_bytes(options.max_image_size) +
                            "); raise the limit or lower --max-file-size");
  // SOTCHECK_TEST_FAIL_IMAGE_ALLOCATION (test only, undocumented for users):
  // the allocation fails as under memory exhaustion, so the exit-3 path is tested.
  std::byte* base = std::getenv("SOTCHECK_TEST_FAIL_IMAGE_ALLOCATION") ? nullptr : allocate(layout.total);
  if (base == nullptr)
    return util::make_error("cannot allocate " + util::format_bytes(layout.total) + " for the snapshot image");

  BuildStats stats;
  stats.yaml_seconds = parsed->seconds;
  write_tables(base, layout, nodes.size(), order, probe_keys, *probes);
  write_yaml_sections(base, layout, *parsed, stats);
  const FillResult fill = fill_contents(tree, source, options, fates, *parsed, *probes, base, layout, threads, stats);
  write_entries(tree, options, fates, chains, fill, base, layout, stats);
  seal(base, layout, tree, options, stats);
  return stats;
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
