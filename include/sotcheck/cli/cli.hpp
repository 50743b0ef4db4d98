#pragma once
/// The command line: parses arguments and runs a subcommand. Returns the
/// process exit code (0 clean, 1 failures, 2 usage/catalog/config errors,
/// 3 internal error or an ERROR verdict, 130 interrupted).

namespace sotcheck::cli {

inline constexpr int k_exit_clean = 0;
inline constexpr int k_exit_failures = 1;
inline constexpr int k_exit_usage = 2;
inline constexpr int k_exit_internal = 3;
inline constexpr int k_exit_interrupted = 130;

int run(int argc, char** argv);

}  // namespace sotcheck::cli
