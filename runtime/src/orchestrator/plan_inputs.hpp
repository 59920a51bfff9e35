// A plan step's calls once the steps before it have run: values the plan knew, values bound to
// earlier steps' outputs (their entities of the kinds asked for, or a field of the input's name),
// the session export, and one call per value of a fan-out.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "secpilot/planner/plan.hpp"
#include "secpilot/util/expected.hpp"

namespace secpilot::orchestrator {

// The distinct values of entities of `kinds` in a skill's output, in order of appearance: string
// values that are such entities, and values of keys that name the kind ("hostname" for host,
// "id" of a detection or an incident for incident_id).
std::vector<std::string> output_entities(const boost::json::value& output,
                                         const std::vector<std::string>& kinds);

// The inputs of each call of `plan.steps[index]`. `outputs[s]` holds the outputs of step s's
// successful calls. Fails (not_found) when a binding finds nothing to pass, naming the step.
Expected<std::vector<boost::json::object>> step_calls(
    const planner::Plan& plan, std::size_t index,
    const std::vector<std::vector<boost::json::value>>& outputs,
    const std::function<std::string()>& session_export, std::size_t max_calls = 20);

}  // namespace secpilot::orchestrator
