#include "sotcheck/checks/params.hpp"

#include <utility>

namespace sotcheck::checks {

int line_of(const YAML::Node& node) {
  if (!node.IsDefined()) return 0;
  const YAML::Mark mark = node.Mark();
  return mark.line >= 0 ? mark.line + 1 : 0;
}

Params::Params(YAML::Node node, std::string file, util::Diagnostics& diagnostics, int fallback_line)
    : m_node(std::move(node)), m_file(std::move(file)), m_diagnostics(diagnostics), m_fallback_line(fallback_line) {}

void Params::error(const std::string& message, const YAML::Node& at) {
  int line = at.IsDefined() ? line_of(at) : 0;
  if (line == 0) line = line_of(m_node);
  if (line == 0) line = m_fallback_line;
  m_diagnostics.add(m_file, line, message);
}

void Params::error(const std::string& message) { error(message, YAML::Node(YAML::NodeType::Undefined)); }

YAML::Node Params::get(const std::string& key, bool required) {
  m_used.insert(key);
  if (!m_node.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
  // A const lookup: the mutable operator[] would add a placeholder node to the
  // document for every optional key that is absent (most of them).
  YAML::Node value = std::as_const(m_node)[key];
  if (!value.IsDefined() || value.IsNull()) {
    if (required) error("check is missing required parameter '" + key + "'");
    return YAML::Node(YAML::NodeType::Undefined);
  }
  return value;
}

std::optional<std::string> Params::string(const std::string& key, bool required) {
  YAML::Node v = get(key, required);
  if (!v.IsDefined()) return std::nullopt;
  if (!v.IsScalar()) {
    error("parameter '" + key + "' must be a string", v);
    return std::nullopt;
  }
  return v.Scalar();
}

std::string Params::string_or(const std::string& key, const std::string& fallback) {
  auto v = string(key, false);
  return v ? *v : fallback;
}

std::optional<long long> Params::integer(const std::string& key, bool required) {
  YAML::Node v = get(key, required);
  if (!v.IsDefined()) return std::nullopt;
  try {
    return v.as<long long>();
  } catch (const YAML::Exception&) {
    error("parameter '" + key + "' must be an integer", v);
    return std::nullopt;
  }
}

long long Params::integer_or(const std::string& key, long long fallback) {
  auto v = integer(key, false);
  return v ? *v : fallback;
}

bool Params::boolean_or(const std::string& key, bool fallback) {
  YAML::Node v = get(key, false);
  if (!v.IsDefined()) return fallback;
  try {
    return v.as<bool>();
  } catch (const YAML::Exception&) {
    error("parameter '" + key + "' must be true or false", v);
    return fallback;
  }
}

std::vector<std::string> Params::string_list(const std::string& key, bool required) {
  YAML::Node v = get(key, required);
  std::vector<std::string> out;
  if (!v.IsDefined()) return out;
  if (!v.IsSequence()) {
    error("parameter '" + key + "' must be a list of strings", v);
    return out;
  }
  for (const auto& item : v) {
    if (!item.IsScalar()) {
      error("parameter '" + key + "' must be a list of strings", item);
      continue;
    }
    out.push_back(item.Scalar());
  }
  return out;
}

std::string Params::choice(const std::string& key, const std::vector<std::string>& allowed,
                           const std::string& fallback) {
  auto v = string(key, fallback.empty());
  if (!v) return fallback;
  for (const auto& a : allowed)
    if (*v == a) return *v;
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
  error("parameter '" + key + "' is '" + *v + "'; expected one of: " + list, m_node[key]);
  return fallback;
}

std::shared_ptr<const RE2> Params::regex(const std::string& key, bool required, int captures) {
  auto text = string(key, required);
  if (!text) return nullptr;
  RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_shared<RE2>(*text, options);
  if (!re->ok()) {
    error("parameter '" + key + "': invalid regex '" + *text + "': " + re->error(), m_node[key]);
    return nullptr;
  }
  if (captures >= 0 && re->NumberOfCapturingGroups() != captures) {
    error("parameter '" + key + "': regex '" + *text + "' must have exactly " + std::to_string(captures) +
              " capturing group(s)",
          m_node[key]);
    return nullptr;
  }
  return re;
}

YAML::Node Params::node(const std::string& key) { return get(key, false); }

void Params::finish() {
  if (!m_node.IsMap()) return;
  for (const auto& kv : m_node) {
    const std::string key = kv.first.Scalar();
    if (!m_used.count(key)) error("unknown check parameter '" + key + "'", kv.first);
  }
}

}  // namespace sotcheck::checks
