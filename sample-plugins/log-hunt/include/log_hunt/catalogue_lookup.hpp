// kql_core's schema catalogue (Defender XDR and Sentinel tables) as a LogStore's SchemaLookup.
#pragma once

#include <memory>

#include "kql/catalogue.hpp"
#include "log_hunt/log_store.hpp"

namespace log_hunt {

// Columns of unknown type in the catalogue are read as strings.
SchemaLookup catalogue_lookup(std::shared_ptr<const kql::Catalogue> catalogue);

}  // namespace log_hunt
