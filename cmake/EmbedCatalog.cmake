# The embedded catalog, compiled at build time (docs/ARCHITECTURE.md, "The embedded catalog").
# sotcheck_compile_catalog (tools/compile_catalog.cpp) loads rules/*.yaml with the
# ordinary loader of the catalog module and writes the compiled catalog as a C++
# source; that source and its only reader (src/catalog/embedded_loader.cpp) are
# the library sotcheck_embedded_catalog, which every consumer of sotcheck_core
# links. Included from the root CMakeLists.txt after sotcheck_core.
file(GLOB SOTCHECK_CATALOG_FILES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/rules/*.yaml)
set(SOTCHECK_EMBEDDED_CATALOG_CPP ${CMAKE_BINARY_DIR}/generated/embedded_catalog.cpp)

add_executable(sotcheck_compile_catalog ${CMAKE_SOURCE_DIR}/tools/compile_catalog.cpp)
target_link_libraries(sotcheck_compile_catalog PRIVATE sotcheck_catalog sotcheck_settings)

add_custom_command(
  OUTPUT ${SOTCHECK_EMBEDDED_CATALOG_CPP}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/generated
  COMMAND sotcheck_compile_catalog ${CMAKE_SOURCE_DIR}/rules ${SOTCHECK_EMBEDDED_CATALOG_CPP}
  DEPENDS ${SOTCHECK_CATALOG_FILES} sotcheck_compile_catalog
  COMMENT "Compiling rules/*.yaml into the embedded catalog")

# The loader of the embedded blob goes with the blob, not into the catalog
# library: the catalog compiler above links that library before the blob
# exists, so nothing in it may refer to the blob.
add_library(sotcheck_embedded_catalog STATIC ${SOTCHECK_EMBEDDED_CATALOG_CPP}
            ${CMAKE_SOURCE_DIR}/src/catalog/embedded_loader.cpp)
target_include_directories(sotcheck_embedded_catalog PRIVATE ${CMAKE_SOURCE_DIR}/include)
target_link_libraries(sotcheck_embedded_catalog PRIVATE sotcheck_catalog sotcheck_settings)
target_link_libraries(sotcheck_core INTERFACE sotcheck_embedded_catalog)
