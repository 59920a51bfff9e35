// An evaluation's planned calls as the store keeps them, so that a paused evaluation resumes from
// the same plan (also in another process) instead of planning again:
//   [{"skill": "Plugin.Skill", "inputs": {...}}, ...]
// Loading ignores members it does not know, so that plans written by a later format (with more
// keys per call, or more keys beside them) still load here.
#pragma once

#include <vector>

#include <boost/json/array.hpp>

#include "secpilot/orchestrator/planner.hpp"
#include "secpilot/util/expected.hpp"

namespace secpilot::orchestrator {

boost::json::array plan_to_json(const std::vector<PlannedCall>& calls);

// invalid_input naming the first call that is not an object with a string "skill" (and, if
// present, an object "inputs").
Expected<std::vector<PlannedCall>> plan_from_json(const boost::json::array& plan);

}  // namespace secpilot::orchestrator
