# Warnings and sanitizers live in one INTERFACE target that every sotcheck
# target links, so the flags are set in one place (the ccache habit).
add_library(sotcheck_settings INTERFACE)
target_compile_options(sotcheck_settings INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
  -Wcast-align -Wunused -Woverloaded-virtual -Wformat=2)
if(SOTCHECK_WERROR)
  target_compile_options(sotcheck_settings INTERFACE -Werror)
endif()
if(SOTCHECK_BUILD_FUZZERS)
  # libFuzzer steers by coverage, so the code under test is instrumented too,
  # not only the harnesses; and a bad read must crash, not go unnoticed.
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "SOTCHECK_BUILD_FUZZERS needs clang (the asan preset uses it)")
  endif()
  if(NOT SOTCHECK_SANITIZE MATCHES "address")
    message(FATAL_ERROR "SOTCHECK_BUILD_FUZZERS needs SOTCHECK_SANITIZE=address,undefined")
  endif()
  target_compile_options(sotcheck_settings INTERFACE -fsanitize=fuzzer-no-link)
endif()
if(SOTCHECK_SANITIZE)
  target_compile_options(sotcheck_settings INTERFACE -fsanitize=${SOTCHECK_SANITIZE} -fno-omit-frame-pointer
    -fno-sanitize-recover=all)
  target_link_options(sotcheck_settings INTERFACE -fsanitize=${SOTCHECK_SANITIZE})
  if(SOTCHECK_SANITIZE MATCHES "undefined")
    # UBSan's vptr check reads the object's memory through a pipe; under the
    # descriptor limits the robustness tests set on purpose (ulimit -n 9) the
    # pipe cannot be made and it reports a live object as "invalid vptr".
    target_compile_options(sotcheck_settings INTERFACE -fno-sanitize=vptr)
    target_link_options(sotcheck_settings INTERFACE -fno-sanitize=vptr)
  endif()
endif()
