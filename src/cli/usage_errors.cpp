#include "sotcheck/cli/usage_errors.hpp"

#include <CLI/CLI.hpp>

#include <optional>

#include "sotcheck/util/edit_distance.hpp"
#include "sotcheck/util/terminal_escape.hpp"

namespace sotcheck::cli {
namespace {

/// Subcommands a user may type (hidden ones, in the empty group, are not offered).
std::vector<std::string> visible_subcommands(CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands([](CLI::App* s) { return !s->get_group().empty(); }))
    names.push_back(sub->get_name());
  return names;
}

/// Every flag spelling of `app` and its parents ("--profile", "-j", "--help").
std::vector<std::string> flag_spellings(CLI::App& app) {
  std::vector<std::string> out;
  for (CLI::App* at = &app; at != nullptr; at = at->get_parent()) {
    for (const CLI::Option* option : at->get_options()) {
      if (option->get_group().empty()) continue;  // hidden
      for (const auto& name : option->get_lnames()) out.push_back("--" + name);
      for (const auto& name : option->get_snames()) out.push_back("-" + name);
    }
  }
  return out;
}

/// The option `spelling` names in `app` or a parent it falls through to.
const CLI::Option* find_option(CLI::App& app, const std::string& spelling) {
  for (CLI::App* at = &app; at != nullptr; at = at->get_parent())
    if (const CLI::Option* option = at->get_option_no_throw(spelling)) return option;
  return nullptr;
}

CLI::App* find_subcommand(CLI::App& app, const std::string& name) {
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; }))
    if (sub->check_name(name)) return sub;
  return nullptr;
}

std::string suggestion(const std::optional<std::string>& nearest) {
  return nearest ? "; did you mean " + *nearest + "?" : "";
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::string quoted(const std::string& text) { return "'" + util::escape_for_terminal(text) + "'"; }

}  // namespace

std::string usage_error_message(CLI::App& app, const CLI::ParseError& error, const std::vector<std::string>& args) {
  // Replay the arguments the way CLI11 reads them, to name the first token it could not place.
  CLI::App* current = &app;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& token = args[i];
    if (token == "--") break;
    if (token.size() > 1 && token[0] == '-') {
      const std::string name = token.substr(0, token.find('='));
      // "-j4" is "-j" with a value; "-vj" bundles flags: test the first letter only.
      const std::string spelling = name.rfind("--", 0) == 0 ? name : name.substr(0, 2);
      const CLI::Option* option = find_option(*current, spelling);
      if (option == nullptr) {
        const std::string where = current == &app ? "" : " for '" + current->get_name() + "'";
        return "unknown option " + quoted(name) + where +
               suggestion(util::closest_match(name, flag_spellings(*current)));
      }
      const bool takes_value = option->get_type_size_max() > 0;
      const bool value_attached = token.find('=') != std::string::npos || (spelling.size() == 2 && name.size() > 2);
      if (takes_value && !value_attached) ++i;
      continue;
    }
    const std::vector<std::string> commands = visible_subcommands(*current);
    if (CLI::App* sub = find_subcommand(*current, token); sub != nullptr) {
      current = sub;
      continue;
    }
    if (!commands.empty() && current->get_require_subcommand_min() > 0) {
      const std::string what = current == &app ? "command" : "'" + current->get_name() + "' command";
      return "unknown " + what + " " + quoted(token) + suggestion(util::closest_match(token, commands)) +
             " (commands: " + joined(commands) + ")";
    }
  }
  if (current->get_require_subcommand_min() > 0) {  // every token was understood: the command is missing
    return "a command is required: " + joined(visible_subcommands(*current));
  }
  return util::escape_for_terminal(error.what());
}

std::vector<std::string> rewrite_help_command(CLI::App& app, std::vector<std::string> args) {
  if (args.empty() || args.front() != "help") return args;
  args.erase(args.begin());
  // Only a path of real commands gets --help; anything else is parsed as typed, so a typo gets its suggestion.
  CLI::App* current = &app;
  for (const auto& token : args) {
    current = find_subcommand(*current, token);
    if (current == nullptr) return args;
  }
  args.push_back("--help");
  return args;
}

}  // namespace sotcheck::cli
