#include "sotcheck/checks/params.hpp"

#include <algorithm>
#include <utility>

namespace sotcheck::checks {

Params::Params(ParamNode node, std::string file, util::Diagnostics& diagnostics, int fallback_line)
    : m_node(std::move(node)), m_file(std::move(file)), m_diagnostics(diagnostics), m_fallback_line(fallback_line) {}

void Params::error(const std::string& message, const ParamNode& at) {
  int line = line_of(at);
  if (line == 0) line = line_of(m_node);
  if (line == 0) line = m_fallback_line;
  m_diagnostics.add(m_file, line, message);
}

void Params::error(const std::string& message) { error(message, ParamNode()); }

ParamNode Params::get(const std::string& key, bool required) {
  if (std::find(m_used.begin(), m_used.end(), key) == m_used.end()) m_used.push_back(key);
  if (!m_node.is_map()) return {};
  const ParamNode value = m_node[key];
  if (!value.is_defined() || value.is_null()) {
    if (required) error("check is missing required parameter '" + key + "'");
    return {};
  }
  return value;
}

std::optional<std::string> Params::string(const std::string& key, bool required) {
  const ParamNode v = get(key, required);
  if (!v.is_defined()) return std::nullopt;
  if (!v.is_scalar()) {
    error("parameter '" + key + "' must be a string", v);
    return std::nullopt;
  }
  return v.scalar();
}

std::string Params::string_or(const std::string& key, const std::string& fallback) {
  auto v = string(key, false);
  return v ? *v : fallback;
}

std::optional<long long> Params::integer(const std::string& key, bool required) {
  const ParamNode v = get(key, required);
  if (!v.is_defined()) return std::nullopt;
  const auto value = v.to_integer();
  if (!value) error("parameter '" + key + "' must be an integer", v);
  return value;
}

long long Params::integer_or(const std::string& key, long long fallback) {
  auto v = integer(key, false);
  return v ? *v : fallback;
}

bool Params::boolean_or(const std::string& key, bool fallback) {
  const ParamNode v = get(key, false);
  if (!v.is_defined()) return fallback;
  const auto value = v.to_bool();
  if (!value) error("parameter '" + key + "' must be true or false", v);
  return value.value_or(fallback);
}

std::vector<std::string> Params::string_list(const std::string& key, bool required) {
  const ParamNode v = get(key, required);
  std::vector<std::string> out;
  if (!v.is_defined()) return out;
  if (!v.is_sequence()) {
    error("parameter '" + key + "' must be a list of strings", v);
    return out;
  }
  out.reserve(v.size());
  for (const ParamNode& item : v) {
    if (!item.is_scalar()) {
      error("parameter '" + key + "' must be a list of strings", item);
      continue;
    }
    out.push_back(item.scalar());
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

ParamNode Params::node(const std::string& key) { return get(key, false); }

void Params::finish() {
  if (!m_node.is_map()) return;
  for (const auto& kv : m_node) {
    const std::string& key = kv.first.scalar();
    if (std::find(m_used.begin(), m_used.end(), key) == m_used.end())
      error("unknown check parameter '" + key + "'", kv.first);
  }
}

}  // namespace sotcheck::checks
