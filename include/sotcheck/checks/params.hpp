#pragma once
/// Typed access to a check's parameters (a ParamNode map: the rule's `check:`
/// block) at catalog-load time. Every problem is recorded (with file and line)
/// rather than thrown, and keys that no getter asked for are reported as
/// unknown by finish().

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <re2/re2.h>

#include "sotcheck/checks/check.hpp"
#include "sotcheck/checks/param_node.hpp"
#include "sotcheck/util/diagnostics.hpp"

namespace sotcheck::checks {

class FactoryMemo;

/// The profile a check is compiled for, with the settings of the catalog's
/// profile definition that primitives read (rules/catalog.yaml `profiles`,
/// docs/profiles.md). Converts to the plain Profile, so `params.profile() ==
/// Profile::strict` reads as before, and copying it into a nested Params
/// (`sub.set_profile(params.profile())`) carries the settings along.
struct ProfileContext {
  ProfileContext(Profile p = Profile::strict) : id(p) {}  // NOLINT: implicit, a bare profile has no settings
  Profile id;
  /// Directory names no file query returns anything below (`query_excluded_dirs`).
  std::shared_ptr<const std::vector<std::string>> query_excluded_dirs;
  /// What this profile's factories share across the rules of one load (factory_memo.hpp); null: nothing shared.
  std::shared_ptr<FactoryMemo> memo;
  operator Profile() const { return id; }  // NOLINT: implicit on purpose (see above)
};

class Params {
 public:
  /// `fallback_line` locates errors when the node lost its position (a map
  /// rebuilt by profile selection, or a compiled catalog's, which keeps no
  /// positions). `node` must outlive the Params (it is a handle into its tree).
  Params(ParamNode node, std::string file, util::Diagnostics& diagnostics, int fallback_line = 0);

  std::optional<std::string> string(const std::string& key, bool required = true);
  std::string string_or(const std::string& key, const std::string& fallback);
  std::optional<long long> integer(const std::string& key, bool required = true);
  long long integer_or(const std::string& key, long long fallback);
  bool boolean_or(const std::string& key, bool fallback);
  std::vector<std::string> string_list(const std::string& key, bool required = false);
  /// One of `allowed`; reports an error listing them otherwise.
  std::string choice(const std::string& key, const std::vector<std::string>& allowed, const std::string& fallback);
  /// Compiles an RE2 regex; reports a bad pattern with RE2's message.
  std::shared_ptr<const RE2> regex(const std::string& key, bool required = true, int captures = -1);
  ParamNode node(const std::string& key);  ///< raw sub-node (marks the key as used)

  void error(const std::string& message, const ParamNode& at);
  void error(const std::string& message);
  /// Reports every key present but never read.
  void finish();

  const std::string& file() const { return m_file; }
  int fallback_line() const { return m_fallback_line; }
  /// The profile this check is being compiled for (the loader compiles each rule once per profile).
  const ProfileContext& profile() const { return m_profile; }
  void set_profile(ProfileContext profile) { m_profile = std::move(profile); }
  util::Diagnostics& diagnostics() { return m_diagnostics; }

 private:
  ParamNode get(const std::string& key, bool required);
  ParamNode m_node;
  std::string m_file;
  util::Diagnostics& m_diagnostics;
  int m_fallback_line = 0;
  ProfileContext m_profile;
  std::vector<std::string> m_used;  // few keys per check: a vector beats a set here
};

}  // namespace sotcheck::checks
