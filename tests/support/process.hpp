#pragma once
// Runs the real sotcheck binary for end-to-end tests.

#include <string>
#include <vector>

namespace sotcheck::testing {

struct ProcessResult {
  int exit_code = -1;  ///< or 128 + signal
  std::string out, err;
};

/// Runs `argv` (argv[0] is a path) with extra environment entries "K=V";
/// stdin is /dev/null.
ProcessResult run_process(const std::vector<std::string>& argv, const std::vector<std::string>& env = {});
/// Runs the sotcheck binary built with the tests.
ProcessResult run_sotcheck(const std::vector<std::string>& args, const std::vector<std::string>& env = {});

/// A fresh directory under /tmp, removed when this object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return m_path; }

 private:
  std::string m_path;
};

/// True when `program` is on PATH.
bool on_path(const std::string& program);
/// True when scripts/test.sh has installed every optional test tool and set
/// SOTCHECK_REQUIRE_TOOLS=1: a missing tool is then a failure, not a skip.
bool tools_required();

std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& content);

}  // namespace sotcheck::testing

/// Skips the current test when `present` is false, saying `why` -- or fails it
/// when the run promised the tool would be there (tools_required()).
#define SOTCHECK_NEEDS_TOOL(present, why)                                   \
  do {                                                                      \
    if (!(present)) {                                                       \
      if (::sotcheck::testing::tools_required()) GTEST_FAIL() << (why);     \
      GTEST_SKIP() << (why);                                                \
    }                                                                       \
  } while (0)
