#pragma once
/// The check primitives' common interface (docs/catalog-format.md). A check is a
/// pure function of (image, its parameters): it knows nothing of processes,
/// threads or output formats. It yields `passed` plus named outputs, which the
/// rule's message template and evidence list refer to.

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sotcheck/checks/finding.hpp"
#include "sotcheck/snapshot/image_view.hpp"

namespace sotcheck::checks {

enum class Profile { strict = 0, reference = 1 };
inline constexpr std::size_t k_profile_count = 2;

class CheckCaches;

struct EvalContext {
  const snapshot::ImageView& image;
  Profile profile;
  /// The run's caches (check_caches.hpp), shared by every rule evaluated on `image`; null: nothing is
  /// shared, each evaluation computes what it needs.
  CheckCaches* caches = nullptr;
};

struct Outputs {
  bool passed = false;
  nlohmann::ordered_json values = nlohmann::ordered_json::object();
  /// Evidence the primitive adds after the rule's own keys (e.g. why a strict
  /// check failed on an empty scope); empty in the common case.
  nlohmann::ordered_json notes = nlohmann::ordered_json::object();
  /// A primitive's fixed message/evidence for a special case (e.g. P3 with no
  /// roots), replacing the rule's template when set.
  std::optional<std::string> message;
  std::optional<nlohmann::ordered_json> evidence;
  /// Every concrete thing wrong, uncut (empty when passed).
  std::vector<Finding> findings;
};

class FileQuery;

/// A text predicate a check offers to the fused content scan (docs/ARCHITECTURE.md):
/// the snapshot evaluates it on every file `query` may return, right after
/// reading the file, and the check looks the value up instead of scanning the
/// text again. `key` names it across processes (probe_key() of a canonical
/// text of the predicate, so equal predicates of different rules share one
/// evaluation); `evaluate` gets the text decoded as TextRead errors=ignore
/// reads it (which is also the strict text of every file that decodes) and
/// whether it is all ASCII. Its `atoms` (lowercase ASCII literals) join one
/// LiteralSet for all probes, found in a single pass over the file; the probe
/// learns which of them occur, so it can skip work for the absent ones.
struct ProbeText {
  std::string_view text;
  bool ascii = false;
  const char* atoms_present = nullptr;  ///< one flag per ContentProbe::atoms entry (null: not known)
};

struct ContentProbe {
  std::shared_ptr<const FileQuery> query;
  std::uint64_t key = 0;
  std::vector<std::string> atoms;
  std::function<std::int32_t(const ProbeText&)> evaluate;
};

/// The 64-bit name of a probe's canonical text (FNV-1a; stable across builds and processes).
std::uint64_t probe_key(std::string_view canonical);

class Check {
 public:
  virtual ~Check() = default;
  virtual Outputs evaluate(const EvalContext& context) const = 0;
  /// The queries whose files' bytes this check reads, so the snapshot loads
  /// exactly those (each file once). Structural checks read none.
  virtual void content_queries(std::vector<std::shared_ptr<const FileQuery>>* /*out*/) const {}
  /// The queries whose files this check reads as YAML documents, so the
  /// snapshot parses exactly those, once, in the parent.
  virtual void yaml_queries(std::vector<std::shared_ptr<const FileQuery>>* /*out*/) const {}
  /// The text predicates this check would like evaluated by the fused content
  /// scan. Optional: a check must still answer, by scanning itself, for any
  /// file the image has no value for.
  virtual void content_probes(std::vector<ContentProbe>* /*out*/) const {}
  /// Of content_queries(), those whose files' bytes this check still reads
  /// when the image carries its probes' values (the snapshot keeps only
  /// these files' bytes; the others are read, scanned and dropped). By
  /// default all of them.
  virtual void unprobed_content_queries(std::vector<std::shared_ptr<const FileQuery>>* out) const {
    content_queries(out);
  }
};

}  // namespace sotcheck::checks
