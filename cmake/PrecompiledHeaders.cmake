# Nearly every sotcheck translation unit includes nlohmann/json (the catalog
# model, verdicts and findings carry JSON values) and every test includes
# GoogleTest. Under clang, parsing those once per target instead of once per
# file saves about a fifth of a clean build (docs/building.md).
#
# Only with clang (the asan preset). GCC 12 loses the system-header status of
# headers that come from a precompiled header, so its known false positives
# inside libstdc++'s std::string (-Warray-bounds on `string + "literal"`)
# surface and -Werror stops the dev build. SOTCHECK_PCH=OFF turns it off for
# clang too. The lists hold only headers the files already include, so the
# switch changes nothing but the time.
option(SOTCHECK_PCH "Precompile the third-party headers every file includes (clang only)" ON)

# The modules whose files include nlohmann/json through their own headers
# (util, pyyaml and scaffold do not: giving them the header would only hide
# a missing include).
set(SOTCHECK_JSON_MODULES catalog plan snapshot checks exec report cli)

# sotcheck_precompile_headers(<target> <header>...)
function(sotcheck_precompile_headers target)
  if(SOTCHECK_PCH AND CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    target_precompile_headers(${target} PRIVATE ${ARGN})
  endif()
endfunction()
