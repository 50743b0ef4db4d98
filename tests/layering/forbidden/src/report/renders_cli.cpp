// Fixture for the layering test: report may not use cli.
#include "sotcheck/exec/verdict.hpp"
#include "sotcheck/cli/cli.hpp"
