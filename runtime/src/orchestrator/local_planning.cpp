#include "secpilot/grounding/skill_index.hpp"
#include "secpilot/orchestrator/planner.hpp"
#include "secpilot/planner/local_planner.hpp"
#include "secpilot/plugin/plugin_host.hpp"

namespace secpilot::orchestrator {

// The index points into the host's catalog, so it keeps the host alive.
struct LocalPlanning::Indexed {
  explicit Indexed(std::shared_ptr<const plugin::PluginHost> from)
      : host(std::move(from)),
        index(grounding::SkillIndex::build(host->catalog())),
        planner(index) {}
  std::shared_ptr<const plugin::PluginHost> host;
  grounding::SkillIndex index;
  planner::LocalPlanner planner;
};

planner::Plan LocalPlanning::plan(const PlanContext& context) const {
  return indexed_.get(context.host)
      ->planner.plan({context.prompt, context.history, context.enabled});
}

}  // namespace secpilot::orchestrator
