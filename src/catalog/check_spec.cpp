// CheckSpec (check_spec.hpp): a JSON value held now or decoded on first read.

#include "sotcheck/catalog/check_spec.hpp"

#include <utility>

namespace sotcheck::catalog {

CheckSpec::CheckSpec(nlohmann::ordered_json value) : m_state(std::make_shared<State>()) {
  m_state->value = std::move(value);
}

CheckSpec CheckSpec::deferred(std::function<nlohmann::ordered_json()> decode) {
  CheckSpec spec;
  spec.m_state = std::make_shared<State>();
  spec.m_state->decode = std::move(decode);
  return spec;
}

const nlohmann::ordered_json& CheckSpec::get() const {
  static const nlohmann::ordered_json k_null;
  if (!m_state) return k_null;
  std::call_once(m_state->once, [state = m_state.get()] {
    if (!state->decode) return;  // held from the start
    state->value = state->decode();
    state->decode = nullptr;  // what it captured (the blob) is no longer needed
  });
  return m_state->value;
}

void to_json(nlohmann::ordered_json& out, const CheckSpec& spec) {
  out = spec.get();
}

}  // namespace sotcheck::catalog
