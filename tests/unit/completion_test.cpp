// Shell completions and the man page: generated from the CLI11 app, so they
// list exactly what the parser accepts. Unit tests on a small app pin the
// formats; end-to-end tests drive the real binary's scripts in real shells.

#include "sotcheck/cli/completion.hpp"

#include <gtest/gtest.h>

#include <CLI/CLI.hpp>

#include <regex>
#include <set>

#include "support/process.hpp"

namespace sotcheck {
namespace {

using testing::run_process;
using testing::run_sotcheck;
using testing::TempDir;

/// A small app shaped like sotcheck's: a choice, a path option, a flag, a
/// nested subcommand, and hidden things that must never be offered.
struct SampleApp {
  CLI::App app{"tool: does things"};
  std::string profile, config, hidden_value, dir;
  bool stats = false;
  SampleApp() {
    auto* check = app.add_subcommand("check", "Check a tree");
    check->add_option("--profile", profile, "strict or loose")->check(CLI::IsMember({"strict", "loose"}));
    check->add_option("--config,-c", config, "Config file");
    check->add_flag("--stats", stats, "Print timers");
    check->add_option("--secret", hidden_value, "hidden")->group("");
    check->add_option("dir", dir, "Tree to check");
    auto* rules = app.add_subcommand("rules", "Rules");
    rules->add_subcommand("list", "List them");
    app.add_subcommand("__internal", "")->group("");
  }
};

TEST(Completion, BashOffersSubcommandsOptionsAndChoicesButNothingHidden) {
  SampleApp sample;
  const std::string bash = cli::bash_completion(sample.app);
  EXPECT_NE(bash.find("words='check rules --help -h'"), std::string::npos) << bash;
  EXPECT_NE(bash.find("words='--help -h --profile --config -c --stats'"), std::string::npos) << bash;
  EXPECT_NE(bash.find("compgen -W 'strict loose'"), std::string::npos) << bash;
  EXPECT_NE(bash.find("'rules list')"), std::string::npos) << bash;
  EXPECT_EQ(bash.find("secret"), std::string::npos);
  EXPECT_EQ(bash.find("__internal"), std::string::npos);
}

TEST(Completion, ZshAndFishDescribeEachOption) {
  SampleApp sample;
  const std::string zsh = cli::zsh_completion(sample.app);
  EXPECT_EQ(zsh.rfind("#compdef sotcheck\n", 0), 0u);
  EXPECT_NE(zsh.find("'--profile:strict or loose'"), std::string::npos) << zsh;
  EXPECT_NE(zsh.find("compadd -- strict loose"), std::string::npos) << zsh;
  EXPECT_EQ(zsh.find("secret"), std::string::npos);
  const std::string fish = cli::fish_completion(sample.app);
  EXPECT_NE(fish.find("-n '__fish_seen_subcommand_from check' -l profile -r -f -a 'strict loose' -d 'strict or loose'"),
            std::string::npos)
      << fish;
  EXPECT_NE(fish.find("-l config -s c -r -d 'Config file'"), std::string::npos) << fish;
  EXPECT_NE(fish.find("__fish_seen_subcommand_from rules; and not __fish_seen_subcommand_from list"),
            std::string::npos)
      << fish;
  EXPECT_EQ(fish.find("__internal"), std::string::npos);
}

TEST(Completion, ManPageEscapesDashesAndDocumentsEveryCommand) {
  SampleApp sample;
  const std::string man = cli::man_page(sample.app, "9.9.9");
  EXPECT_NE(man.find(".TH SOTCHECK 1 \"\" \"sotcheck 9.9.9\""), std::string::npos) << man;
  EXPECT_NE(man.find("\\fB\\-\\-profile\\fR \\fIstrict|loose\\fR"), std::string::npos) << man;
  EXPECT_NE(man.find(".SS \"sotcheck rules list\""), std::string::npos) << man;
  EXPECT_NE(man.find(".SH EXIT STATUS"), std::string::npos);
  EXPECT_EQ(man.find("secret"), std::string::npos);
}

/// The long options `sotcheck SUBCOMMAND --help` lists.
std::set<std::string> options_in_help(const std::vector<std::string>& subcommand) {
  std::vector<std::string> args = subcommand;
  args.push_back("--help");
  const auto result = run_sotcheck(args);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  std::set<std::string> options;
  const std::regex option(R"((^|[\s,])(--[a-z][a-z-]*))");
  for (std::sregex_iterator it(result.out.begin(), result.out.end(), option), end; it != end; ++it)
    options.insert((*it)[2]);
  return options;
}

/// Runs bash completion for the words typed so far (the last one is being completed).
std::vector<std::string> complete_in_bash(const std::string& script_file, const std::vector<std::string>& words) {
  std::string array;
  for (const auto& word : words) array += " '" + word + "'";
  const std::string program = "source '" + script_file + "'; COMP_WORDS=(" + array + "); COMP_CWORD=" +
                              std::to_string(words.size() - 1) + "; _sotcheck; printf '%s\\n' \"${COMPREPLY[@]}\"";
  const auto result = run_process({"/bin/bash", "--norc", "-c", program});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t end; (end = result.out.find('\n', start)) != std::string::npos; start = end + 1)
    if (end > start) lines.push_back(result.out.substr(start, end - start));
  return lines;
}

TEST(CompletionE2e, BashCompletesTheRealCommandLine) {
  TempDir dir;
  const auto script = run_sotcheck({"completion", "bash"});
  ASSERT_EQ(script.exit_code, 0) << script.err;
  const std::string file = dir.path() + "/sotcheck.bash";
  testing::write_file(file, script.out);

  EXPECT_EQ(complete_in_bash(file, {"sotcheck", "comp"}), std::vector<std::string>{"completion"});
  EXPECT_EQ(complete_in_bash(file, {"sotcheck", "validate", "--prof"}), std::vector<std::string>{"--profile"});
  EXPECT_EQ(complete_in_bash(file, {"sotcheck", "validate", "--profile", ""}),
            (std::vector<std::string>{"strict", "reference"}));
  EXPECT_EQ(complete_in_bash(file, {"sotcheck", "rules", "l"}), std::vector<std::string>{"list"});
  EXPECT_EQ(complete_in_bash(file, {"sotcheck", "completion", ""}),
            (std::vector<std::string>{"bash", "zsh", "fish", "--help", "-h"}));
  // Hidden things stay hidden.
  EXPECT_TRUE(complete_in_bash(file, {"sotcheck", "__"}).empty());
  EXPECT_TRUE(complete_in_bash(file, {"sotcheck", "validate", "--debug"}).empty());
}

TEST(CompletionE2e, EveryOptionInHelpIsCompletedAndDocumented) {
  const auto bash = run_sotcheck({"completion", "bash"});
  const auto man = run_sotcheck({"__manpage"});
  ASSERT_EQ(bash.exit_code, 0);
  ASSERT_EQ(man.exit_code, 0);
  for (const std::vector<std::string>& command :
       {std::vector<std::string>{"validate"}, {"scaffold"}, {"bench"}, {"rules", "list"}}) {
    const auto options = options_in_help(command);
    EXPECT_GT(options.size(), 1u);
    for (const auto& option : options) {
      EXPECT_NE(bash.out.find(" " + option), std::string::npos) << option << " missing from the bash completion";
      std::string roff;
      for (char c : option) roff += c == '-' ? std::string("\\-") : std::string(1, c);
      EXPECT_NE(man.out.find("\\fB" + roff + "\\fR"), std::string::npos) << option << " missing from the man page";
    }
  }
}

TEST(CompletionE2e, ZshAndFishScriptsParse) {
  SOTCHECK_NEEDS_TOOL(testing::on_path("zsh") && testing::on_path("fish"), "zsh and fish are not installed");
  TempDir dir;
  for (const std::string shell : {"zsh", "fish"}) {
    const auto script = run_sotcheck({"completion", shell});
    ASSERT_EQ(script.exit_code, 0) << script.err;
    const std::string file = dir.path() + "/completion." + shell;
    testing::write_file(file, script.out);
    const auto parsed = run_process({"/usr/bin/env", shell, "-n", file});
    EXPECT_EQ(parsed.exit_code, 0) << shell << ": " << parsed.err;
  }
  // fish: the completions it offers after loading the script.
  const auto fish = run_process(
      {"/usr/bin/env", "fish", "--no-config", "-c",
       "source " + dir.path() + "/completion.fish; complete -C 'sotcheck validate --profile '"});
  EXPECT_EQ(fish.exit_code, 0) << fish.err;
  EXPECT_NE(fish.out.find("strict"), std::string::npos) << fish.out;
  EXPECT_NE(fish.out.find("reference"), std::string::npos) << fish.out;
}

TEST(CompletionE2e, ManPageRendersWithoutWarnings) {
  SOTCHECK_NEEDS_TOOL(testing::on_path("groff"), "groff is not installed");
  TempDir dir;
  const auto man = run_sotcheck({"__manpage"});
  ASSERT_EQ(man.exit_code, 0);
  testing::write_file(dir.path() + "/sotcheck.1", man.out);
  const auto rendered =
      run_process({"/bin/sh", "-c", "groff -man -Tutf8 -ww -z '" + dir.path() + "/sotcheck.1' 2>&1"});
  EXPECT_EQ(rendered.exit_code, 0);
  EXPECT_EQ(rendered.out, "") << "groff warnings";
}

TEST(CompletionE2e, UnknownShellIsAUsageError) {
  const auto result = run_sotcheck({"completion", "powershell"});
  EXPECT_EQ(result.exit_code, 2);
}

TEST(VersionE2e, NamesVersionCommitAndBuild) {
  const auto result = run_sotcheck({"--version"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_TRUE(std::regex_match(result.out, std::regex(R"(sotcheck \d+\.\d+\.\d+ \(commit ([0-9a-f]{7,40}(-dirty)?|unknown), )"
                                                      R"([A-Za-z]+, (static|dynamic)\)\n)")))
      << result.out;
}

}  // namespace
}  // namespace sotcheck
