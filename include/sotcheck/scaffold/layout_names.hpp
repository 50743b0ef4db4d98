#pragma once
/// The SSID master definition's canonical names, in order: the 24 root folders
/// and the 16 shard folders every root holds (each of the shape util::is_nn_name
/// accepts). The scaffold writes them; the CLI hands them to the shard
/// matrix of the HTML and matrix reports and knows a repository by them.

#include <string>
#include <vector>

namespace sotcheck::scaffold {

std::vector<std::string> canonical_root_names();   ///< "01_ai_layer" ... "24_meta_orchestration"
std::vector<std::string> canonical_shard_names();  ///< "01_identitaet_personen" ... "16_behoerden_verwaltung"

}  // namespace sotcheck::scaffold
