// The names of content probes (check.hpp): one stable 64-bit hash of a
// probe's canonical text, the same in every process of a run.

#include "sotcheck/checks/check.hpp"
#include "sotcheck/util/hash.hpp"

namespace sotcheck::checks {

std::uint64_t probe_key(std::string_view canonical) { return util::fnv1a(canonical); }

}  // namespace sotcheck::checks
