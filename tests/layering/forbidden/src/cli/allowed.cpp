// Fixture for the layering test: cli may use report.
#include "sotcheck/report/report.hpp"
