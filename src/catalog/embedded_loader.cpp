// load_embedded_catalog lives apart from the YAML loader so the build-time
// catalog compiler, which links the loader, does not need the compiled
// catalog it is about to produce.
#include "sotcheck/catalog/compiled_catalog.hpp"
#include "sotcheck/catalog/embedded.hpp"
#include "sotcheck/catalog/loader.hpp"

namespace sotcheck::catalog {

util::Result<Catalog> load_embedded_catalog(util::Diagnostics& diagnostics, const ProfilesReady& profiles_ready) {
  return load_static_compiled_catalog(embedded_compiled_catalog(), "embedded", diagnostics, profiles_ready);
}

}  // namespace sotcheck::catalog
