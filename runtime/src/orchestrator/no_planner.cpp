#include "secpilot/orchestrator/planner.hpp"
#include "secpilot/plugin/plugin_host.hpp"

namespace secpilot::orchestrator {

planner::Plan NoPlanner::plan(const PlanContext& context) const {
  std::string skills;
  std::size_t shown = 0;
  for (const auto* entry : context.host->catalog().list()) {
    if (!entry->available()) continue;
    if (shown++ == 5) {
      skills += ", …";
      break;
    }
    skills += (skills.empty() ? "" : ", ") + entry->full_name;
  }
  planner::Plan plan;
  plan.abstention = planner::Abstention{
      "this daemon has no planner for free-text prompts — call a skill directly: "
      "/Plugin.Skill name=value" +
          (skills.empty() ? std::string() : " (available: " + skills + ")"),
      {}};
  return plan;
}

}  // namespace secpilot::orchestrator
