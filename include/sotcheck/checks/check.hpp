#pragma once
/// The check primitives' common interface (rules.md section 3). A check is a
/// pure function of (image, its parameters): it knows nothing of processes,
/// threads or output formats. It yields `passed` plus named outputs, which the
/// rule's message template and evidence list refer to.

#include <nlohmann/json.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sotcheck/snapshot/image.hpp"

namespace sotcheck::checks {

enum class Profile { strict = 0, reference = 1 };
inline constexpr std::size_t k_profile_count = 2;

struct EvalContext {
  const snapshot::ImageView& image;
  Profile profile;
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
};

class FileQuery;

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
};

}  // namespace sotcheck::checks
