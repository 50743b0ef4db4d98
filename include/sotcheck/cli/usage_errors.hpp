#pragma once
/// Command-line mistakes in sotcheck's words: CLI11's own parse errors become
/// one `sotcheck: error: ...` line, and an unknown subcommand or flag gets the
/// nearest known one as a did-you-mean (util/edit_distance.hpp).

#include <string>
#include <vector>

namespace CLI {
class App;
class ParseError;
}  // namespace CLI

namespace sotcheck::cli {

/// The one-line message (without the "sotcheck: error: " prefix) for a parse
/// error of `app` on `args` (the arguments after the program name).
std::string usage_error_message(CLI::App& app, const CLI::ParseError& error, const std::vector<std::string>& args);

/// `sotcheck help [COMMAND...]` as CLI11 understands it: `[COMMAND...] --help`
/// when every COMMAND is one of `app`'s (nested) subcommands, else the
/// COMMANDs alone (so a typo is reported with its suggestion). Other argument
/// lists are returned unchanged.
std::vector<std::string> rewrite_help_command(CLI::App& app, std::vector<std::string> args);

}  // namespace sotcheck::cli
