# Script mode (cmake -P): writes OUT, a header with the commit the tree was
# built from, the build type and the linkage, for --version. Run on every
# build; configure_file leaves OUT untouched when nothing changed, so an
# unchanged commit rebuilds nothing.
#   -DSOURCE_DIR= -DOUT= -DBUILD_TYPE= -DLINKAGE= [-DCOMMIT=]  (COMMIT overrides git,
#   for builds from a tarball or a container context without .git)
cmake_minimum_required(VERSION 3.25)  # script mode: current policies
if(NOT COMMIT)
  find_package(Git QUIET)
  if(GIT_FOUND)
    execute_process(COMMAND ${GIT_EXECUTABLE} -C ${SOURCE_DIR} rev-parse --short=12 HEAD
                    OUTPUT_VARIABLE COMMIT OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      set(COMMIT "")
    endif()
    if(COMMIT)
      execute_process(COMMAND ${GIT_EXECUTABLE} -C ${SOURCE_DIR} diff --quiet HEAD -- RESULT_VARIABLE dirty ERROR_QUIET)
      if(dirty EQUAL 1)
        string(APPEND COMMIT "-dirty")
      endif()
    endif()
  endif()
endif()
if(NOT COMMIT)
  set(COMMIT "unknown")
endif()
if(NOT BUILD_TYPE)
  set(BUILD_TYPE "unspecified")
endif()
file(CONFIGURE OUTPUT ${OUT} CONTENT
"#pragma once
#define SOTCHECK_COMMIT \"@COMMIT@\"
#define SOTCHECK_BUILD_TYPE \"@BUILD_TYPE@\"
#define SOTCHECK_LINKAGE \"@LINKAGE@\"
" @ONLY)
