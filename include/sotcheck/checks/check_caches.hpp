#pragma once
/// What checks compute once per run and share between rules. A check keeps no
/// state of its own between evaluations: whoever evaluates a run's rules on
/// one image (the sequential and thread executors, each process-pool worker)
/// owns one CheckCaches for that image and hands it to every rule through
/// EvalContext, so the caches live exactly as long as the run. One object may
/// serve all the threads of a run.

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "sotcheck/checks/contract_resolution.hpp"

namespace sotcheck::checks {

class CheckCaches {
 public:
  CheckCaches();
  ~CheckCaches();
  CheckCaches(const CheckCaches&) = delete;
  CheckCaches& operator=(const CheckCaches&) = delete;

  /// The contract resolution that `key` names (a text that determines it fully), computed by `compute` for the
  /// first rule that asks; a rule asking meanwhile on another thread waits for it. Valid while the caches live.
  const ContractResolution& contract_resolution(const std::string& key,
                                                const std::function<ContractResolution()>& compute);

  /// How many contract resolutions this run has computed.
  std::size_t contract_resolution_count() const;

 private:
  struct ContractSlot;
  mutable std::mutex m_mutex;
  std::map<std::string, std::unique_ptr<ContractSlot>> m_contracts;
};

}  // namespace sotcheck::checks
