#pragma once
/// The rule catalog compiled into the executable: rules/*.yaml compiled at
/// build time (compiled_catalog.hpp) by tools/compile_catalog.cpp, which
/// cmake/EmbedCatalog.cmake runs. Defined in the generated
/// embedded_catalog.cpp, linked into every target that uses sotcheck_core
/// except that tool.

#include <cstdint>
#include <span>

namespace sotcheck::catalog {

std::span<const std::uint8_t> embedded_compiled_catalog();

}  // namespace sotcheck::catalog
