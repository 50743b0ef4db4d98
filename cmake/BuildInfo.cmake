# --version names the commit and the build: a header regenerated on every build
# (cmake/WriteBuildInfo.cmake), included only by src/cli/build_info.cpp.
set(SOTCHECK_COMMIT "" CACHE STRING "Commit to report in --version when the source has no .git (e.g. a container build)")
set(SOTCHECK_BUILD_INFO_H ${CMAKE_BINARY_DIR}/generated/sotcheck_build_info.h)
if(SOTCHECK_STATIC)
  set(SOTCHECK_LINKAGE static)
else()
  set(SOTCHECK_LINKAGE dynamic)
endif()
add_custom_target(sotcheck_build_info
  COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${CMAKE_SOURCE_DIR} -DOUT=${SOTCHECK_BUILD_INFO_H}
          -DBUILD_TYPE=${CMAKE_BUILD_TYPE} -DLINKAGE=${SOTCHECK_LINKAGE} "-DCOMMIT=${SOTCHECK_COMMIT}"
          -P ${CMAKE_SOURCE_DIR}/cmake/WriteBuildInfo.cmake
  BYPRODUCTS ${SOTCHECK_BUILD_INFO_H}
  COMMENT "Recording the commit for --version")
add_dependencies(sotcheck_cli sotcheck_build_info)
set_source_files_properties(${CMAKE_SOURCE_DIR}/src/cli/build_info.cpp TARGET_DIRECTORY sotcheck_cli PROPERTIES
  INCLUDE_DIRECTORIES ${CMAKE_BINARY_DIR}/generated OBJECT_DEPENDS ${SOTCHECK_BUILD_INFO_H})
