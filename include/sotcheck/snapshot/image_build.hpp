#pragma once
/// Building the snapshot image (format: image_format.hpp) from a walked tree.
///
/// build_image turns a WalkTree into an image, reading the bytes of the files
/// that some rule needs (each file once); HeapImage holds one in heap memory.
/// Reading an image is image_view.hpp.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sotcheck/snapshot/image_format.hpp"
#include "sotcheck/snapshot/image_view.hpp"
#include "sotcheck/snapshot/tree_source.hpp"
#include "sotcheck/snapshot/walker.hpp"
#include "sotcheck/snapshot/yaml_flat.hpp"
#include "sotcheck/util/result.hpp"

namespace sotcheck::snapshot {

inline constexpr std::uint64_t k_default_max_file_size = 16ull << 20;

/// The fused content scan (image_format.hpp PROBE_*): predicates that rules
/// evaluate on file text, run on each loaded file right after it is read, on
/// the builder's reader threads. The snapshot knows nothing of rules; the
/// plan builds the scanner from the selected checks.
class ContentScanner {
 public:
  virtual ~ContentScanner() = default;
  /// The probes' keys, strictly ascending; a probe's id is its index here.
  virtual const std::vector<std::uint64_t>& probe_keys() const = 0;
  /// Appends the ids (ascending, no repeats) of the probes that apply to a
  /// file; a superset of what any check will ask for is fine.
  virtual void probes_for(std::string_view relpath, std::string_view name, std::vector<std::uint32_t>* ids) const = 0;
  /// Evaluates probes `ids[0..count)` on a file's bytes into `values`; returns
  /// false if the bytes are not well-formed UTF-8. Called concurrently.
  virtual bool scan(std::string_view bytes, const std::uint32_t* ids, std::size_t count,
                    std::int32_t* values) const = 0;
};

/// What the image build does with one file: parse it as YAML, read it, and
/// (of the files read) store its bytes.
struct FileNeeds {
  bool yaml = false;
  bool content = false;
  bool keep = false;
};

/// Every question the build asks about a file (BuildOptions' wants_yaml,
/// wants_content, keep_content and the scanner's probes_for) answered in one
/// pass over its path. The plan makes one from the selected rules' queries.
class FileClassifier {
 public:
  /// One thread's use of the classifier. It may remember what it learnt (the
  /// answers for a name, which most files share), so each thread has its own.
  class Session {
   public:
    virtual ~Session() = default;
    /// The needs of the file at `relpath` (`name` its last component). When
    /// `probe_ids` is not null, appends the ids (ascending, no repeats) of the
    /// scanner's probes that apply to the file if it is read.
    virtual FileNeeds classify(std::string_view relpath, std::string_view name,
                               std::vector<std::uint32_t>* probe_ids) = 0;
  };
  virtual ~FileClassifier() = default;
  virtual std::unique_ptr<Session> session() const = 0;
};

struct BuildOptions {
  std::string root_path;  ///< absolute, recorded in the image for reports
  std::uint64_t max_file_size = k_default_max_file_size;
  std::uint64_t max_image_size = 0;  ///< 0 = no limit
  /// Which files have their bytes loaded: called with each regular file (or
  /// symlink to one). Empty function = load none.
  std::function<bool(std::string_view relpath, std::string_view name)> wants_content;
  /// Which files are parsed as YAML, once, while the image is built (docs/ARCHITECTURE.md
  /// 6: no worker parses YAML). Called like wants_content; such a file's bytes
  /// are read once even if wants_content does not ask for them (they are then
  /// parsed but not stored). Empty function = parse none.
  std::function<bool(std::string_view relpath, std::string_view name)> wants_yaml;
  /// Bounds on each parsed document (YAML bombs, deep nesting).
  YamlLimits yaml_limits;
  /// The fused content scan over every loaded file; null = none (checks then scan the text themselves).
  std::shared_ptr<const ContentScanner> scanner;
  /// With a scanner: of the files wants_content reads, those whose bytes are
  /// stored (the rest are scanned and dropped; their records carry
  /// k_flag_text_scanned without k_flag_content_loaded). Empty function, or
  /// no scanner = store every file read.
  std::function<bool(std::string_view relpath, std::string_view name)> keep_content;
  /// When set, answers for every file what wants_yaml, wants_content,
  /// keep_content and scanner->probes_for would (those four are then not
  /// asked); its probe ids are the scanner's. Null = ask the four.
  std::shared_ptr<const FileClassifier> classifier;
  /// Threads that read, scan and parse files, the calling thread included;
  /// validate passes --workers so the whole run scales alike. 0 = one per
  /// usable CPU (util::usable_cpus: the affinity mask).
  unsigned threads = 0;
};

struct BuildStats {
  std::uint64_t image_bytes = 0;
  std::uint64_t content_bytes = 0;  ///< bytes stored in CONTENT
  std::uint32_t files_loaded = 0;   ///< files read (stored or only content-scanned)
  std::uint32_t yaml_documents = 0;  ///< YAML files parsed successfully
  std::uint32_t yaml_errors = 0;     ///< YAML files that could not be loaded (each recorded with its reason)
  std::uint64_t yaml_blob_bytes = 0;
  double yaml_seconds = 0;           ///< wall time spent reading, decoding and flattening YAML files
  std::uint64_t probe_values = 0;    ///< content-scan results stored (files x probes that apply to them)
  double fill_seconds = 0;           ///< wall time spent reading the loaded files and content-scanning them
  double checksum_seconds = 0;       ///< wall time spent hashing the finished image
};

/// Lays out and fills an image. `allocate(size)` must return `size` writable,
/// 8-byte-aligned, zeroed bytes that stay valid after the call (heap or a
/// memfd mapping); returns the size written.
util::Result<BuildStats> build_image(const WalkTree& tree, TreeSource& source, const BuildOptions& options,
                                     const std::function<std::byte*(std::size_t)>& allocate);

/// An image in ordinary heap memory (sequential and thread modes, tests).
class HeapImage {
 public:
  static util::Result<HeapImage> build(const WalkTree& tree, TreeSource& source, const BuildOptions& options,
                                       BuildStats* stats = nullptr);
  const std::byte* data() const { return reinterpret_cast<const std::byte*>(m_words.get()); }
  std::size_t size() const { return m_size; }
  /// Attaches a view (validates; cannot fail for an image this class built
  /// unless memory was corrupted).
  util::Result<ImageView> view() const { return ImageView::attach(data(), m_size); }

 private:
  struct FreeWords {
    void operator()(std::uint64_t* words) const;
  };
  // calloc'd: large blocks come from the kernel already zeroed (no memset pass
  // over a 100+ MiB image), and uint64 storage keeps the records aligned.
  std::unique_ptr<std::uint64_t[], FreeWords> m_words;
  std::size_t m_size = 0;
};

}  // namespace sotcheck::snapshot
