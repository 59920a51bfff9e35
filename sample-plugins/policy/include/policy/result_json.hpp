// The skill's result as JSON: the shape manifests/policy.yaml's Outputs.Schema describes.
#pragma once

#include <boost/json/object.hpp>

#include "policy/analysis.hpp"

namespace policy {

boost::json::object analysis_json(const Analysis& analysis, const Directory& directory);

}  // namespace policy
