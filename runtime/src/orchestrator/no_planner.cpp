#include "secpilot/orchestrator/planner.hpp"

namespace secpilot::orchestrator {

Expected<std::vector<PlannedCall>> NoPlanner::plan(const std::string& /*prompt*/,
                                                   const skills::Catalog& catalog) const {
  std::string skills;
  std::size_t shown = 0;
  for (const auto* entry : catalog.list()) {
    if (!entry->available()) continue;
    if (shown++ == 5) {
      skills += ", …";
      break;
    }
    skills += (skills.empty() ? "" : ", ") + entry->full_name;
  }
  return make_error(Status::unsupported,
                    "this daemon has no planner for free-text prompts yet — call a skill directly: "
                    "/Plugin.Skill name=value" +
                        (skills.empty() ? std::string() : " (available: " + skills + ")"));
}

}  // namespace secpilot::orchestrator
