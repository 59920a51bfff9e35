#include "orchestrator/plan_json.hpp"

#include <string>

namespace secpilot::orchestrator {

boost::json::value plan_to_json(const planner::Plan& plan) {
  return plan.to_json();
}

Expected<planner::Plan> plan_from_json(const boost::json::value& stored) {
  if (const auto* calls = stored.if_array()) {
    planner::Plan plan;
    for (std::size_t i = 0; i < calls->size(); ++i) {
      const auto* call = (*calls)[i].if_object();
      const auto* skill = call ? call->if_contains("skill") : nullptr;
      const auto* inputs = call ? call->if_contains("inputs") : nullptr;
      if (!skill || !skill->is_string() || (inputs && !inputs->is_object()))
        return make_error(Status::invalid_input,
                          "call " + std::to_string(i + 1) +
                              " of the stored plan is not {\"skill\": \"...\", \"inputs\": {...}}");
      planner::Step step;
      step.skill = skill->as_string();
      if (inputs) step.inputs = inputs->as_object();
      step.group = i;
      plan.steps.push_back(std::move(step));
    }
    return plan;
  }
  if (auto plan = planner::Plan::from_json(stored)) return std::move(*plan);
  return make_error(Status::invalid_input, "the stored plan is not a plan");
}

}  // namespace secpilot::orchestrator
