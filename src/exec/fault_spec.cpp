// The process pool's vocabulary on the command line: the start method's
// names and --debug-inject-fault specs (parsed, and written back for spawned workers).

#include "sotcheck/exec/process_pool.hpp"

namespace sotcheck::exec {

std::string_view start_method_name(StartMethod method) { return method == StartMethod::spawn ? "spawn" : "fork"; }

util::Result<FaultSpec> parse_fault_spec(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0)
    return util::make_error("--debug-inject-fault " + std::string(text) +
                            ": expected RULE_ID:crash|abort|hang|exit|garbage or pool:fork");
  FaultSpec spec;
  spec.rule_id = std::string(text.substr(0, colon));
  const std::string_view kind = text.substr(colon + 1);
  if (spec.rule_id == "pool") {
    if (kind != "fork") return util::make_error("--debug-inject-fault pool:" + std::string(kind) + ": expected pool:fork");
    spec.kind = FaultKind::pool_fork;
    return spec;
  }
  if (kind == "crash") spec.kind = FaultKind::crash;
  else if (kind == "abort") spec.kind = FaultKind::abort;
  else if (kind == "hang") spec.kind = FaultKind::hang;
  else if (kind == "exit") spec.kind = FaultKind::exit;
  else if (kind == "garbage") spec.kind = FaultKind::garbage;
  else
    return util::make_error("--debug-inject-fault " + std::string(text) +
                            ": the fault is one of crash, abort, hang, exit, garbage");
  return spec;
}

std::string fault_spec_text(const FaultSpec& fault) {
  static constexpr const char* k_names[] = {"crash", "abort", "hang", "exit", "garbage", "fork"};
  return fault.rule_id + ":" + k_names[static_cast<int>(fault.kind)];
}

}  // namespace sotcheck::exec
