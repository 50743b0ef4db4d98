# `cpack` in a Release build directory writes sotcheck_<version>_<arch>.deb
# from the install rules of cmake/Install.cmake. dpkg-shlibdeps computes the
# Depends line from the shared libraries the binary really links, so the
# package asks for exactly what it needs (libyaml-cpp0.7, libre2-9, ... for the
# shared build; only libc6 for a SOTCHECK_STATIC one).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME sotcheck)
set(CPACK_PACKAGE_VENDOR "sotcheck")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Validator for SSID repositories (24 roots x 16 shards, 384 rules)")
set(CPACK_PACKAGE_DESCRIPTION
    "sotcheck validates an SSID repository against its Source-of-Truth rule catalog and reports in text, JSON, SARIF, JUnit and GitHub formats, with exit codes CI can trust.")
set(CPACK_PACKAGE_CONTACT "sotcheck maintainers <sotcheck@localhost>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_RESOURCE_FILE_LICENSE ${CMAKE_SOURCE_DIR}/LICENSE)
include(CPack)
