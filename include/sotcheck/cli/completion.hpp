#pragma once
/// Shell completions (bash, zsh, fish) and the sotcheck(1) man page, generated
/// by walking the CLI11 app itself: every subcommand, option, choice and
/// description comes from the same definitions the parser uses, so the
/// documentation cannot drift from the command line. Hidden subcommands and
/// options (group "") are left out.

#include <optional>
#include <string>

namespace CLI {
class App;
}

namespace sotcheck::cli {

std::string bash_completion(CLI::App& app);
std::string zsh_completion(CLI::App& app);
std::string fish_completion(CLI::App& app);
/// A roff man page, section 1; `version` goes into the footer.
std::string man_page(CLI::App& app, const std::string& version);

/// Registers `completion bash|zsh|fish` and the hidden `__manpage` (which the
/// build runs to write sotcheck.1) on `app`. Construct it before parsing; the
/// output is generated after parsing, from the complete app, so it does not
/// matter which subcommands are registered after it.
class GeneratedDocsCommands {
 public:
  GeneratedDocsCommands(CLI::App& app, std::string version);
  GeneratedDocsCommands(const GeneratedDocsCommands&) = delete;
  GeneratedDocsCommands& operator=(const GeneratedDocsCommands&) = delete;

  /// After parsing: the exit code when one of these subcommands ran.
  std::optional<int> run_if_selected() const;

 private:
  CLI::App& m_app;
  CLI::App* m_completion = nullptr;
  CLI::App* m_manpage = nullptr;
  std::string m_version;
  std::string m_shell;
};

}  // namespace sotcheck::cli
