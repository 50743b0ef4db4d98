// load_embedded_catalog is built into the embedded catalog's own library
// (cmake/EmbedCatalog.cmake), not the catalog library: the build-time
// catalog compiler links the catalog library before the blob exists.
#include "sotcheck/catalog/compiled_catalog.hpp"
#include "sotcheck/catalog/embedded.hpp"
#include "sotcheck/catalog/loader.hpp"

namespace sotcheck::catalog {

util::Result<Catalog> load_embedded_catalog(util::Diagnostics& diagnostics, const ProfilesReady& profiles_ready) {
  return load_static_compiled_catalog(embedded_compiled_catalog(), "embedded", diagnostics, profiles_ready);
}

}  // namespace sotcheck::catalog
