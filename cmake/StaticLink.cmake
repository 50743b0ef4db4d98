# SOTCHECK_STATIC (the release-static preset): one self-contained executable
# that runs on any x86-64 Linux, whatever its distribution ships -- the shared
# build needs Debian 12's exact sonames (libyaml-cpp.so.0.7, libre2.so.9, ...).
#
# Every dependency is linked from the static archive its Debian -dev package
# ships next to the shared library: libyaml-cpp.a, libyaml.a, libre2.a (RE2
# 2022-12 needs no abseil), libxxhash.a, libjemalloc.a, plus glibc's libc.a
# and GCC's libstdc++.a. sotcheck makes no NSS call (no getpwnam, no
# getaddrinfo), so a static glibc gives no run-time surprises.
if(NOT SOTCHECK_STATIC)
  return()
endif()

# Replaces each shared library a target links with its static archive, and
# stops with the name of the archive when Debian does not ship it.
function(sotcheck_prefer_static_archives target)
  if(NOT TARGET ${target})
    return()
  endif()
  foreach(property INTERFACE_LINK_LIBRARIES IMPORTED_LOCATION IMPORTED_LOCATION_NONE
                   IMPORTED_LOCATION_RELEASE IMPORTED_LOCATION_RELWITHDEBINFO)
    get_target_property(items ${target} ${property})
    if(NOT items)
      continue()
    endif()
    set(rewritten "")
    foreach(item IN LISTS items)
      if(item MATCHES "^(.*/lib[^/]+)\\.so(\\.[0-9.]+)?$")
        set(archive "${CMAKE_MATCH_1}.a")
        if(NOT EXISTS "${archive}")
          message(FATAL_ERROR "SOTCHECK_STATIC: ${target} needs ${archive}, which is not installed "
                              "(its Debian -dev package ships no static archive); build without SOTCHECK_STATIC")
        endif()
        set(item "${archive}")
      endif()
      list(APPEND rewritten "${item}")
    endforeach()
    set_target_properties(${target} PROPERTIES ${property} "${rewritten}")
  endforeach()
endfunction()

foreach(dependency yaml-cpp PkgConfig::LIBYAML PkgConfig::RE2 PkgConfig::XXHASH PkgConfig::JEMALLOC)
  sotcheck_prefer_static_archives(${dependency})
endforeach()
target_link_options(sotcheck PRIVATE -static)
message(STATUS "sotcheck: linking the executable statically")
