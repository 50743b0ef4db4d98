# The module graph: the one place that says which module may use which.
# A module may include headers of the modules listed for it (and its own);
# its library links exactly these. The layering check (cmake/CheckLayering.cmake)
# rejects any other `#include "sotcheck/<module>/..."`, and the table in
# docs/ARCHITECTURE.md is checked against this file by the `module_graph_docs` test.
# Order matters: every module comes after the modules it uses.
set(SOTCHECK_MODULES util pyyaml snapshot checks catalog plan exec report scaffold cli)

set(SOTCHECK_MODULE_DEPS_util "")
# Python-exact YAML 1.1: what PyYAML's safe_load and Python's repr/==/str make of a scalar.
set(SOTCHECK_MODULE_DEPS_pyyaml util)
set(SOTCHECK_MODULE_DEPS_snapshot pyyaml util)
# checks print message values as Python does with pyyaml's repr of str and float.
set(SOTCHECK_MODULE_DEPS_checks snapshot pyyaml util)
set(SOTCHECK_MODULE_DEPS_catalog checks util)
set(SOTCHECK_MODULE_DEPS_plan catalog checks snapshot util)
set(SOTCHECK_MODULE_DEPS_exec plan catalog checks snapshot util)
# report names checks' Finding model and Profile, the vocabulary verdicts carry.
set(SOTCHECK_MODULE_DEPS_report exec catalog checks util)
set(SOTCHECK_MODULE_DEPS_scaffold util)
set(SOTCHECK_MODULE_DEPS_cli report exec plan catalog checks snapshot scaffold util)
