#include "orchestrator/plan_json.hpp"

#include <string>

namespace secpilot::orchestrator {

boost::json::array plan_to_json(const std::vector<PlannedCall>& calls) {
  boost::json::array plan;
  plan.reserve(calls.size());
  for (const auto& call : calls)
    plan.push_back(boost::json::object{{"skill", call.skill}, {"inputs", call.inputs}});
  return plan;
}

Expected<std::vector<PlannedCall>> plan_from_json(const boost::json::array& plan) {
  std::vector<PlannedCall> calls;
  calls.reserve(plan.size());
  for (std::size_t i = 0; i < plan.size(); ++i) {
    const auto* call = plan[i].if_object();
    const auto* skill = call ? call->if_contains("skill") : nullptr;
    const auto* inputs = call ? call->if_contains("inputs") : nullptr;
    if (!skill || !skill->is_string() || (inputs && !inputs->is_object()))
      return make_error(Status::invalid_input,
                        "call " + std::to_string(i + 1) +
                            " of the stored plan is not {\"skill\": \"...\", \"inputs\": {...}}");
    calls.push_back(
        {std::string(skill->as_string()), inputs ? inputs->as_object() : boost::json::object()});
  }
  return calls;
}

}  // namespace secpilot::orchestrator
