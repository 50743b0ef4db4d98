# One static library per module (src/<module>/CMakeLists.txt lists its
# sources), linked to the modules cmake/ModuleGraph.cmake allows it.
include(${CMAKE_SOURCE_DIR}/cmake/ModuleGraph.cmake)
include(${CMAKE_SOURCE_DIR}/cmake/PrecompiledHeaders.cmake)

# The layering check runs before any module compiles: a forbidden include
# fails the build. It re-runs when a source changes (the globs are only the
# stamp's dependencies; each library's source list is explicit).
file(GLOB_RECURSE SOTCHECK_LAYERED_FILES CONFIGURE_DEPENDS
     ${CMAKE_SOURCE_DIR}/src/*.cpp ${CMAKE_SOURCE_DIR}/src/*.hpp ${CMAKE_SOURCE_DIR}/include/sotcheck/*.hpp)
set(SOTCHECK_LAYERING_STAMP ${CMAKE_BINARY_DIR}/generated/layering.stamp)
add_custom_command(
  OUTPUT ${SOTCHECK_LAYERING_STAMP}
  COMMAND ${CMAKE_COMMAND} -DTREE=${CMAKE_SOURCE_DIR} -DGRAPH=${CMAKE_SOURCE_DIR}/cmake/ModuleGraph.cmake
          -DSTAMP=${SOTCHECK_LAYERING_STAMP} -P ${CMAKE_SOURCE_DIR}/cmake/CheckLayering.cmake
  DEPENDS ${SOTCHECK_LAYERED_FILES} ${CMAKE_SOURCE_DIR}/cmake/ModuleGraph.cmake
          ${CMAKE_SOURCE_DIR}/cmake/CheckLayering.cmake
  COMMENT "Checking includes against cmake/ModuleGraph.cmake")
add_custom_target(sotcheck_layering DEPENDS ${SOTCHECK_LAYERING_STAMP})

# sotcheck_module(<name> <sources...>): the library sotcheck_<name>.
# Third-party libraries are attached in the module's own CMakeLists.txt.
function(sotcheck_module name)
  add_library(sotcheck_${name} STATIC ${ARGN})
  target_include_directories(sotcheck_${name} PUBLIC ${CMAKE_SOURCE_DIR}/include)
  set(deps "")
  foreach(dep IN LISTS SOTCHECK_MODULE_DEPS_${name})
    list(APPEND deps sotcheck_${dep})
  endforeach()
  # Public: a module's headers include its dependencies' headers.
  target_link_libraries(sotcheck_${name} PUBLIC ${deps} sotcheck_settings)
  add_dependencies(sotcheck_${name} sotcheck_layering)
  if(name IN_LIST SOTCHECK_JSON_MODULES)
    sotcheck_precompile_headers(sotcheck_${name} <nlohmann/json.hpp>)
  endif()
  # GCC 12 at -O2 reports false -Wrestrict positives inside libstdc++'s inlined
  # `"literal" + std::string` (GCC bug 105329): ~100 lines of noise per Release
  # build, none of them about our code. The dev preset (-Werror) never sees them.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(sotcheck_${name} PRIVATE $<$<CONFIG:Release,MinSizeRel>:-Wno-restrict>)
  endif()
  set_property(GLOBAL APPEND PROPERTY SOTCHECK_MODULE_TARGETS sotcheck_${name})
endfunction()
