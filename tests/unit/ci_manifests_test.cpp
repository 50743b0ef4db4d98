// action.yml (the GitHub Action) and .pre-commit-hooks.yaml call the binary
// with options of their own choosing; these tests hold them to the real
// command line so a renamed option breaks here, not in a user's pipeline.

#include <gtest/gtest.h>

#include <yaml-cpp/yaml.h>

#include <regex>
#include <set>

#include "support/process.hpp"

namespace sotcheck {
namespace {

using testing::run_sotcheck;

const std::string k_source_dir = SOTCHECK_SOURCE_DIR;

/// The action's inputs that choose how the binary is installed or what
/// happens to its reports, rather than passing an option to `validate`.
const std::set<std::string> k_action_only_inputs = {"sotcheck-from", "upload-sarif", "upload-html"};
/// Inputs given to `validate` as its positional argument.
const std::set<std::string> k_positional_inputs = {"path"};

std::string validate_help() {
  const auto result = run_sotcheck({"validate", "--help"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return result.out;
}

bool help_lists_option(const std::string& help, const std::string& option) {
  return std::regex_search(help, std::regex("(^|[\\s,])" + option + "([\\s,=]|$)"));
}

/// The `run` script of the step with this id.
std::string step_script(const YAML::Node& action, const std::string& id) {
  for (const auto& step : action["runs"]["steps"])
    if (step["id"] && step["id"].as<std::string>() == id) return step["run"].as<std::string>();
  ADD_FAILURE() << "no step with id " << id;
  return "";
}

TEST(ActionManifest, EveryInputIsARealValidateOptionOrDocumentedAsActionOnly) {
  const YAML::Node action = YAML::LoadFile(k_source_dir + "/action.yml");
  ASSERT_EQ(action["runs"]["using"].as<std::string>(), "composite");
  const std::string help = validate_help();
  const std::string script = step_script(action, "validate");
  ASSERT_FALSE(script.empty());
  ASSERT_GT(action["inputs"].size(), 4u);
  for (const auto& input : action["inputs"]) {
    const std::string name = input.first.as<std::string>();
    ASSERT_TRUE(input.second["description"]) << name << " has no description";
    if (k_action_only_inputs.count(name) != 0) continue;
    if (k_positional_inputs.count(name) != 0) {
      EXPECT_TRUE(std::regex_search(help, std::regex("\\n\\s+" + name + "\\s"))) << name << " is not a positional";
      continue;
    }
    const std::string option = "--" + name;
    EXPECT_TRUE(help_lists_option(help, option)) << "input '" << name << "' maps to " << option
                                                  << ", which `sotcheck validate` does not accept";
    EXPECT_NE(script.find(option + " "), std::string::npos) << "the validate step never passes " << option;
  }
}

TEST(ActionManifest, EveryReferencedInputIsDeclared) {
  const YAML::Node action = YAML::LoadFile(k_source_dir + "/action.yml");
  const std::string text = testing::read_file(k_source_dir + "/action.yml");
  const std::regex reference(R"(inputs\.([A-Za-z0-9_-]+))");
  int seen = 0;
  for (std::sregex_iterator it(text.begin(), text.end(), reference), end; it != end; ++it, ++seen)
    EXPECT_TRUE(action["inputs"][(*it)[1].str()]) << "inputs." << (*it)[1] << " is used but not declared";
  EXPECT_GT(seen, 5);
  // And the other way round: an input nobody reads is a lie in the README.
  for (const auto& input : action["inputs"]) {
    const std::string name = input.first.as<std::string>();
    EXPECT_NE(text.find("inputs." + name + " "), std::string::npos) << "input " << name << " is never used";
  }
}

TEST(ActionManifest, HelpCheckRejectsAnOptionValidateDoesNotHave) {
  // The check above must be able to fail.
  const std::string help = validate_help();
  EXPECT_TRUE(help_lists_option(help, "--fail-on"));
  EXPECT_FALSE(help_lists_option(help, "--fail"));
  EXPECT_FALSE(help_lists_option(help, "--no-such-option"));
}

TEST(PreCommitHooks, EntryAndArgsAreAcceptedByTheBinary) {
  const YAML::Node hooks = YAML::LoadFile(k_source_dir + "/.pre-commit-hooks.yaml");
  ASSERT_TRUE(hooks.IsSequence());
  ASSERT_GE(hooks.size(), 1u);
  for (const auto& hook : hooks) {
    EXPECT_FALSE(hook["pass_filenames"].as<bool>()) << "the hook validates the whole tree, not file names";
    std::vector<std::string> words;
    std::istringstream entry(hook["entry"].as<std::string>());
    for (std::string word; entry >> word;) words.push_back(word);
    ASSERT_GE(words.size(), 2u);
    EXPECT_EQ(words[0], "sotcheck");
    std::vector<std::string> args(words.begin() + 1, words.end());
    if (hook["args"])
      for (const auto& arg : hook["args"]) args.push_back(arg.as<std::string>());
    args.push_back("--help");  // parses every option, runs nothing
    const auto result = run_sotcheck(args);
    EXPECT_EQ(result.exit_code, 0) << hook["id"] << ": " << result.err;
  }
}

}  // namespace
}  // namespace sotcheck
