// The assessment as the skill's JSON result (the shape the manifest's Outputs schema declares).
#pragma once

#include <boost/json.hpp>

#include "posture/assessment.hpp"

namespace posture {

boost::json::object assessment_json(const Assessment& assessment);
boost::json::object check_json(const CheckResult& check);

}  // namespace posture
