// An evaluation's plan as the store keeps it, so that a paused evaluation resumes from the same
// plan (also in another process) instead of planning again: planner::Plan::to_json. An array of
// {"skill", "inputs"} calls (what the first approvals release stored) still loads, as one step
// per call.
#pragma once

#include <boost/json/value.hpp>

#include "secpilot/planner/plan.hpp"
#include "secpilot/util/expected.hpp"

namespace secpilot::orchestrator {

boost::json::value plan_to_json(const planner::Plan& plan);

// invalid_input when the stored value is neither form.
Expected<planner::Plan> plan_from_json(const boost::json::value& stored);

}  // namespace secpilot::orchestrator
