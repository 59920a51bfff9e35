// A detection's marked indicators of compromise (GET /detections/{id}/marked_indicators_of_compromise):
// primitives.File, primitives.Domain, primitives.IpAddress, and whatever else Red Canary adds.
#pragma once

#include <vector>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

namespace red_canary {

// [{type: file|domain|ip|other, value, source_type, path?, md5?, sha256?}]; value is the path for
// a file (or its hash when it has no path), the name for a domain, the address for an IP.
boost::json::array indicator_list(const std::vector<boost::json::object>& items);

}  // namespace red_canary
