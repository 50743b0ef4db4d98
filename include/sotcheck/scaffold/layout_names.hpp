#pragma once
/// The SSID master definition's canonical names, in order: the 24 root folders
/// and the 16 shard folders every root holds, and the shape every root or
/// shard name has. The scaffold writes them; the CLI hands them to the shard
/// matrix of the HTML and matrix reports and knows a repository by them.

#include <string>
#include <string_view>
#include <vector>

namespace sotcheck::scaffold {

std::vector<std::string> canonical_root_names();   ///< "01_ai_layer" ... "24_meta_orchestration"
std::vector<std::string> canonical_shard_names();  ///< "01_identitaet_personen" ... "16_behoerden_verwaltung"

/// A root or shard folder name: two digits, '_', then one or more lower-case
/// ASCII letters or '_' (`01_ai_layer`), the catalog's `matrix_name` pattern
/// `^[0-9]{2}_[a-z_]+$`. Every canonical name has it.
bool is_layout_folder_name(std::string_view name);

}  // namespace sotcheck::scaffold
