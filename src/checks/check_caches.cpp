// The per-run caches of the checks (check_caches.hpp).

#include "sotcheck/checks/check_caches.hpp"

namespace sotcheck::checks {

struct CheckCaches::ContractSlot {
  std::once_flag computed;
  ContractResolution resolution;
};

CheckCaches::CheckCaches() = default;
CheckCaches::~CheckCaches() = default;

const ContractResolution& CheckCaches::contract_resolution(const std::string& key,
                                                           const std::function<ContractResolution()>& compute) {
  ContractSlot* slot = nullptr;
  {
    const std::lock_guard<std::mutex> lock(m_mutex);
    auto& entry = m_contracts[key];
    if (!entry) entry = std::make_unique<ContractSlot>();
    slot = entry.get();
  }
  // Outside the map's lock, so resolutions of different contracts do not wait for each other.
  std::call_once(slot->computed, [&] { slot->resolution = compute(); });
  return slot->resolution;
}

std::size_t CheckCaches::contract_resolution_count() const {
  const std::lock_guard<std::mutex> lock(m_mutex);
  return m_contracts.size();
}

}  // namespace sotcheck::checks
