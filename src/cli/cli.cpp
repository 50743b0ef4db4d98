#include "sotcheck/cli/cli.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <map>

#include "sotcheck/cli/bench.hpp"
#include "sotcheck/cli/build_info.hpp"
#include "sotcheck/cli/completion.hpp"
#include "sotcheck/cli/config.hpp"
#include "sotcheck/cli/interrupts.hpp"
#include "sotcheck/cli/rules_command.hpp"
#include "sotcheck/cli/usage_errors.hpp"
#include "sotcheck/cli/validate.hpp"
#include "sotcheck/scaffold/scaffold.hpp"
#include "sotcheck/util/strings.hpp"

namespace sotcheck::cli {
namespace {

/// Parses "16M", "1G", "4096" into bytes.
bool parse_size(const std::string& text, std::uint64_t* out) {
  if (text.empty()) return false;
  std::size_t used = 0;
  unsigned long long value = 0;
  try {
    value = std::stoull(text, &used);
  } catch (const std::exception&) {
    return false;
  }
  const std::string suffix = util::to_upper_ascii(text.substr(used));
  std::uint64_t scale = 1;
  if (suffix == "" || suffix == "B") scale = 1;
  else if (suffix == "K" || suffix == "KIB" || suffix == "KB") scale = 1ull << 10;
  else if (suffix == "M" || suffix == "MIB" || suffix == "MB") scale = 1ull << 20;
  else if (suffix == "G" || suffix == "GIB" || suffix == "GB") scale = 1ull << 30;
  else return false;
  *out = value * scale;
  return true;
}

int scaffold_command(const std::string& directory, const std::string& size, std::uint64_t seed, std::uint32_t copies) {
  scaffold::ScaffoldOptions options;
  options.directory = directory;
  options.size = size == "large" ? scaffold::Size::large : scaffold::Size::small;
  options.seed = seed;
  options.copies = copies;
  auto stats = scaffold::write_scaffold(options);
  if (!stats) {
    std::fprintf(stderr, "sotcheck: error: %s\n", stats.error().c_str());
    return k_exit_usage;
  }
  std::printf("scaffolded %s: %llu files, %llu directories, %s\n", directory.c_str(),
              static_cast<unsigned long long>(stats->files), static_cast<unsigned long long>(stats->directories),
              util::format_bytes(stats->bytes).c_str());
  return k_exit_clean;
}

}  // namespace

int run(int argc, char** argv) {
  // Named explicitly: usage lines say "sotcheck", not the path the binary was run by.
  CLI::App app{"sotcheck: validates an SSID repository against its 384-rule Source of Truth catalog", "sotcheck"};
  app.set_version_flag("--version,-V", version_text());
  app.require_subcommand(1);
  app.fallthrough();

  // ---- validate
  ValidateOptions options;
  std::string profile = "strict", mode = "auto", fail_on = "INFO", max_file_size = "16M", max_image_size = "0";
  std::vector<std::string> formats;
  std::string output;
  auto* validate = app.add_subcommand("validate", "Validate a repository (default: the current directory)");
  validate->add_option("path", options.repo, "Repository root")->capture_default_str();
  validate->add_option("--profile", profile, "strict (the master definition) or reference (the Python validator)")
      ->check(CLI::IsMember({"strict", "reference"}))
      ->capture_default_str();
  validate->add_option("--format", formats, "text | json | sarif | junit | github | gitlab | html | matrix, optionally NAME=FILE; repeatable");
  validate->add_option("--output,-o", output, "Write the (single) report to FILE");
  validate->add_option("--select", options.selection.select, "Rule ids, families or globs to run (any case); comma list, repeatable");
  validate->add_option("--ignore", options.selection.ignore, "Rule ids, families or globs to skip (any case); comma list, repeatable");
  validate->add_option("--catalog", options.catalog_dir, "Load the catalog from DIR instead of the built-in one");
  validate->add_option("--mode", mode, "auto | process | thread | sequential")
      ->check(CLI::IsMember({"auto", "process", "thread", "sequential"}))
      ->capture_default_str();
  validate->add_option("--workers,-j", options.workers, "Worker count (default: usable CPUs)");
  validate->add_option("--start-method", options.start_method, "How process-mode workers start: fork | spawn")
      ->check(CLI::IsMember({"fork", "spawn"}))
      ->capture_default_str();
  std::string rule_timeout = "60";
  validate->add_option("--rule-timeout", rule_timeout,
                       "Seconds a worker may spend on one rule (process mode; huge = no limit)")
      ->capture_default_str();
  // Hidden (empty group): for tests, and for users who want to see the fault handling work.
  std::vector<std::string> inject_faults;
  validate->add_option("--debug-inject-fault", inject_faults, "RULE_ID:crash|abort|hang|exit|garbage or pool:fork")
      ->group("");
  validate->add_option("--fail-on", fail_on, "Lowest severity whose failures fail the run, or none (report only)")
      ->capture_default_str();
  bool exit_zero = false;
  validate->add_flag("--exit-zero", exit_zero, "Report every failure but exit 0 (2, 3 and 130 still mean what they say)");
  validate->add_flag("--show-known", options.show_known, "Text report with --baseline: list known findings too");
  validate->add_option("--max-file-size", max_file_size, "Files larger than this are recorded, not read")
      ->capture_default_str();
  validate->add_option("--max-image-size", max_image_size, "Refuse to build a snapshot image larger than this (0 = no limit)");
  validate->add_option("--color", options.colour, "auto | always | never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  validate->add_flag("--stats", options.stats, "Print phase timers and counters to stderr");
  validate->add_flag("--verbose,-v", options.verbose, "List passing rules too");
  validate->add_flag("--show-all", options.show_all, "Text report: every finding, not the first 10 of each rule");
  validate->add_flag("--explain", options.explain,
                     "Text report: under each failing rule, why it matters and how to fix it");
  std::string min_severity, exit_code_style = "default";
  options.progress = "auto";
  validate->add_option("--min-severity", min_severity, "Run only rules at least this severe (CRITICAL ... INFO)");
  validate->add_option("--exit-code-style", exit_code_style,
                       "default (0 clean, 1 failures, 2 usage, 3 error) | reference (the Python CLI's 4/3/2/1/0)")
      ->check(CLI::IsMember({"default", "reference"}))
      ->capture_default_str();
  validate->add_option("--config", options.config_file,
                       "Trusted config file (default: REPO/.sotcheck.yaml when present, confined to REPO)");
  validate->add_flag("--no-config", options.no_config, "Ignore REPO/.sotcheck.yaml (e.g. for a pull request)");
  validate->add_option("--baseline", options.baseline_file, "Fail only on failures not recorded in this baseline");
  validate->add_option("--write-baseline", options.write_baseline_file, "Record this run's failures as a baseline");
  validate->add_flag("--honour-dependencies,--honor-dependencies", options.honour_dependencies,
                     "Skip (with blocked_by) rules whose prerequisite did not pass");
  validate->add_flag("--force", options.force,
                     "Validate PATH even if it does not look like a repository (no NN_* root folder, unreadable)");
  validate->add_flag("--follow-outside-links", options.follow_outside_links,
                     "Reference profile: follow symlinks that leave the repository (never followed by default)");
  validate->add_option("--progress", options.progress, "Progress bar on stderr: never | auto (a TTY, not CI) | always")
      ->check(CLI::IsMember({"never", "auto", "always"}))
      ->capture_default_str();

  // ---- scaffold
  std::string scaffold_dir, scaffold_size = "small";
  std::uint64_t seed = 1;
  auto* scaffold_cmd = app.add_subcommand("scaffold", "Write a compliant SSID demo tree");
  scaffold_cmd->add_option("dir", scaffold_dir, "Directory to create (must be empty or absent)")->required();
  scaffold_cmd->add_option("--size", scaffold_size, "small | large")
      ->check(CLI::IsMember({"small", "large"}))
      ->capture_default_str();
  scaffold_cmd->add_option("--seed", seed, "Seed for the deterministic generator")->capture_default_str();
  std::uint32_t scaffold_copies = 1;
  scaffold_cmd
      ->add_option("--copies", scaffold_copies,
                   "Bigger trees: every shard's implementations (large: and the data volume) N times; the 24x16 "
                   "matrix stays (docs/scaffold.md)")
      ->check(CLI::Range(std::uint32_t{1}, scaffold::k_max_copies))
      ->capture_default_str();

  // ---- rules
  RulesOptions rules_options;
  auto* rules = app.add_subcommand("rules", "Inspect and check the rule catalog");
  rules->require_subcommand(1);
  rules->add_option("--catalog", rules_options.catalog_dir, "Catalog directory (default: built in)");
  auto* rules_list = rules->add_subcommand("list", "List the rules");
  rules_list->add_option("--format", rules_options.format, "text | json")
      ->check(CLI::IsMember({"text", "json"}));
  rules_list->add_option("--family", rules_options.family, "Only this family");
  rules_list->add_option("--batch", rules_options.batch, "Only this batch");
  rules_list->add_option("--severity", rules_options.severity, "Only this severity (CRITICAL, HIGH, ...)");
  auto* rules_show = rules->add_subcommand("show", "Show one rule in full");
  rules_show->add_option("id", rules_options.id, "Rule id")->required();
  rules_show->add_option("--format", rules_options.format, "text | json")->check(CLI::IsMember({"text", "json"}));
  auto* rules_check = rules->add_subcommand("check", "Validate a catalog directory and report every problem");
  rules_check->add_option("dir", rules_options.check_dir, "Catalog directory (default: the built-in catalog)");

  // ---- bench
  BenchOptions bench_options;
  std::string bench_mode = "compare", bench_workers, bench_profile = "strict";
  auto* bench_cmd = app.add_subcommand("bench", "Time the sequential, thread and process executors on a tree");
  bench_cmd->add_option("path", bench_options.tree, "Tree to bench on (default: a large scaffold, removed afterwards)");
  bench_cmd->add_option("--mode", bench_mode, "compare (all three executors) | scaling (thread and process per count)")
      ->check(CLI::IsMember({"compare", "scaling"}))
      ->capture_default_str();
  bench_cmd->add_option("--workers", bench_workers, "Worker counts, comma-separated (scaling default: 2,4,8,16)");
  bench_cmd->add_option("--runs", bench_options.runs, "Runs per configuration (median, min and max are reported)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  bench_cmd->add_option("--start-method", bench_options.start_method, "How process workers start: fork | spawn")
      ->check(CLI::IsMember({"fork", "spawn"}))
      ->capture_default_str();
  bench_cmd->add_option("--profile", bench_profile, "strict | reference")
      ->check(CLI::IsMember({"strict", "reference"}))
      ->capture_default_str();
  bench_cmd->add_option("--output,-o", bench_options.output_file, "Write the results as JSON (docs/bench.md)");

  // ---- __worker (hidden): a process-pool worker re-executed by --start-method spawn.
  exec::SpawnedWorkerArgs worker_args;
  std::string worker_profile = "strict";
  std::vector<std::string> worker_faults;
  auto* worker_cmd = app.add_subcommand("__worker", "");
  worker_cmd->group("");
  worker_cmd->add_option("--image-fd", worker_args.image_fd)->required();
  worker_cmd->add_option("--channel-fd", worker_args.channel_fd)->required();
  worker_cmd->add_option("--parent-pid", worker_args.parent_pid)->required();
  worker_cmd->add_option("--profile", worker_profile)->check(CLI::IsMember({"strict", "reference"}));
  worker_cmd->add_option("--catalog", worker_args.catalog_dir);
  worker_cmd->add_option("--debug-inject-fault", worker_faults);

  // ---- completion, __manpage (hidden): generated from everything registered above.
  const GeneratedDocsCommands generated_docs(app, version_text());

  // `sotcheck help [COMMAND]` is `sotcheck [COMMAND] --help`.
  std::vector<std::string> args(argv + 1, argv + argc);
  args = rewrite_help_command(app, std::move(args));
  std::vector<const char*> parse_argv = {argv[0]};
  for (const auto& a : args) parse_argv.push_back(a.c_str());
  try {
    app.parse(static_cast<int>(parse_argv.size()), parse_argv.data());
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e) == 0 ? k_exit_clean : k_exit_usage;
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e) == 0 ? k_exit_clean : k_exit_usage;
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e) == 0 ? k_exit_clean : k_exit_usage;
  } catch (const CLI::ParseError& e) {
    // CLI11's wording names its own concepts; say what was wrong and what was probably meant.
    std::fprintf(stderr, "sotcheck: error: %s\n", usage_error_message(app, e, args).c_str());
    std::fprintf(stderr, "Run 'sotcheck help' or 'sotcheck help COMMAND' for usage.\n");
    return k_exit_usage;
  }
  if (const auto code = generated_docs.run_if_selected()) return *code;

  if (*validate) {
    // From here to the exit code, every phase ends the same way on a signal.
    const auto interrupt_guard = run_interrupt_guard();
    auto timeout = parse_rule_timeout(rule_timeout);
    if (!timeout) {
      std::fprintf(stderr, "sotcheck: error: %s\n", timeout.error().c_str());
      return k_exit_usage;
    }
    options.rule_timeout = *timeout;
    options.profile = *catalog::parse_profile(profile);
    if (options.follow_outside_links && options.profile != checks::Profile::reference) {
      std::fprintf(stderr, "sotcheck: error: --follow-outside-links applies to --profile reference only; the strict "
                           "profile reports a link out of the repository as unreadable\n");
      return k_exit_usage;
    }
    options.mode = mode == "process"  ? exec::Mode::process
                   : mode == "thread" ? exec::Mode::thread
                   : mode == "sequential" ? exec::Mode::sequential
                                          : exec::Mode::automatic;
    const auto severity = catalog::parse_severity(fail_on);
    const bool fail_on_none = util::to_upper_ascii(fail_on) == "NONE";
    if (!severity && !fail_on_none) {
      std::fprintf(stderr, "sotcheck: error: --fail-on %s: expected CRITICAL, HIGH, MEDIUM, LOW, INFO or none\n",
                   fail_on.c_str());
      return k_exit_usage;
    }
    if (severity) options.fail_on = *severity;
    options.fail_on_given = severity.has_value() && validate->count("--fail-on") > 0;
    if (fail_on_none) options.exit_zero = "--fail-on none";
    if (exit_zero) options.exit_zero = "--exit-zero";
    if (!parse_size(max_file_size, &options.max_file_size) || !parse_size(max_image_size, &options.max_image_size)) {
      std::fprintf(stderr, "sotcheck: error: sizes are a number with an optional K, M or G suffix\n");
      return k_exit_usage;
    }
    for (const std::string& f : formats) {
      auto spec = parse_output_spec(f);
      if (!spec) {
        std::fprintf(stderr, "sotcheck: error: --format %s: %s\n", f.c_str(), spec.error().c_str());
        return k_exit_usage;
      }
      options.outputs.push_back(*spec);
    }
    if (!output.empty()) {
      if (options.outputs.size() > 1) {
        std::fprintf(stderr, "sotcheck: error: --output takes one format; use --format NAME=FILE for several\n");
        return k_exit_usage;
      }
      if (options.outputs.empty()) options.outputs.push_back({"text", ""});
      options.outputs[0].file = output;
    }
    for (const std::string& text : inject_faults) {
      auto fault = exec::parse_fault_spec(text);
      if (!fault) {
        std::fprintf(stderr, "sotcheck: error: %s\n", fault.error().c_str());
        return k_exit_usage;
      }
      options.faults.push_back(*fault);
    }
    if (!min_severity.empty()) {
      const auto least = catalog::parse_severity(min_severity);
      if (!least) {
        std::fprintf(stderr, "sotcheck: error: --min-severity %s: expected CRITICAL, HIGH, MEDIUM, LOW or INFO\n",
                     min_severity.c_str());
        return k_exit_usage;
      }
      options.selection.min_severity = *least;
    }
    options.exit_code_style = exit_code_style == "reference" ? ExitCodeStyle::reference : ExitCodeStyle::standard;
    options.selection.select = normalize_selectors(options.selection.select);
    options.selection.ignore = normalize_selectors(options.selection.ignore);
    // The config file fills in whatever the command line left unset.
    auto config = find_config(options.config_file, options.repo, !options.no_config);
    if (!config) {
      for (const auto& line : util::split(config.error(), '\n'))
        std::fprintf(stderr, "sotcheck: error: %s\n", line.c_str());
      return k_exit_usage;
    }
    if (*config) {
      apply_config(**config, [validate](std::string_view name) {
        const CLI::Option* option = validate->get_option_no_throw(std::string(name));
        return option != nullptr && option->count() > 0;
      }, options);
    }
    std::size_t to_stdout = options.outputs.empty() ? 1 : 0;
    for (const auto& spec : options.outputs) to_stdout += spec.file.empty() || spec.file == "-" ? 1 : 0;
    if (to_stdout > 1) {
      std::fprintf(stderr, "sotcheck: error: only one format can go to stdout; give the others a file (NAME=FILE)\n");
      return k_exit_usage;
    }
    return validate_command(options);
  }
  if (*worker_cmd) {
    worker_args.profile = *catalog::parse_profile(worker_profile);
    for (const std::string& text : worker_faults) {
      auto fault = exec::parse_fault_spec(text);
      if (!fault) return k_exit_usage;
      worker_args.faults.push_back(*fault);
    }
    return exec::run_spawned_worker(worker_args);
  }
  if (*bench_cmd) {
    bench_options.mode = bench_mode == "scaling" ? BenchMode::scaling : BenchMode::compare;
    bench_options.profile = *catalog::parse_profile(bench_profile);
    if (!bench_workers.empty()) {
      auto counts = parse_worker_counts(bench_workers);
      if (!counts) {
        std::fprintf(stderr, "sotcheck: error: %s\n", counts.error().c_str());
        return k_exit_usage;
      }
      bench_options.workers = std::move(*counts);
    }
    return bench_command(bench_options);
  }
  if (*scaffold_cmd) {
    const auto interrupt_guard = run_interrupt_guard();  // one line and 130 on Ctrl-C, as validate
    return scaffold_command(scaffold_dir, scaffold_size, seed, scaffold_copies);
  }
  if (*rules) {
    if (*rules_list) return rules_list_command(rules_options);
    if (*rules_show) return rules_show_command(rules_options);
    if (*rules_check) return rules_check_command(rules_options);
  }
  return k_exit_usage;
}

}  // namespace sotcheck::cli
