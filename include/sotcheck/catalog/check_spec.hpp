#pragma once
/// A rule's `check:` block as one profile sees it (profile maps and named
/// queries resolved), as JSON: what `rules show` prints and describe_check
/// reads. The YAML loader holds the value; the compiled catalog decodes it from
/// the blob only when something first reads it, once, whatever the threads:
/// `validate` never does, and decoding every rule's block was a tenth of
/// building the forms a run needs. Reads as a `const nlohmann::ordered_json&`,
/// and converts into a JSON document like a JSON value.

#include <functional>
#include <memory>
#include <mutex>

#include <nlohmann/json.hpp>

namespace sotcheck::catalog {

class CheckSpec {
 public:
  CheckSpec() = default;
  CheckSpec(nlohmann::ordered_json value);  // NOLINT: implicit, so a loader assigns a JSON value
  /// A spec that `decode` produces on first read (it must not throw).
  static CheckSpec deferred(std::function<nlohmann::ordered_json()> decode);

  const nlohmann::ordered_json& get() const;
  operator const nlohmann::ordered_json&() const { return get(); }  // NOLINT: reads as the JSON value
  friend bool operator==(const CheckSpec& a, const CheckSpec& b) { return a.get() == b.get(); }

 private:
  struct State {
    std::once_flag once;
    std::function<nlohmann::ordered_json()> decode;
    nlohmann::ordered_json value;
  };
  std::shared_ptr<State> m_state;  // shared by copies (an alias copies its target's form); null: JSON null
};

/// Lets a CheckSpec be placed in a JSON document (`{"check", spec}`, `doc[k] = spec`).
void to_json(nlohmann::ordered_json& out, const CheckSpec& spec);

}  // namespace sotcheck::catalog
