// The shipped table catalogue, loaded once for kql_skills' tests.
#pragma once

#include <string>

#include "kql/catalogue.hpp"

namespace kql_skills::testing {

inline const kql::Catalogue& catalogue() {
  static const kql::CatalogueLoad load = kql::load_catalogue(KQL_SCHEMA_DIR);
  return load.catalogue;
}

}  // namespace kql_skills::testing
