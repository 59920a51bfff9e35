// What to call for a free-text prompt: the planner interface the orchestrator asks, with the
// local planner over the current catalog (the default) and a planner that always abstains.
// Direct invocation (`/Plugin.Skill key=value`) never reaches a planner.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "secpilot/orchestrator/per_host.hpp"
#include "secpilot/planner/plan.hpp"
#include "secpilot/skills/catalog.hpp"
#include "secpilot/util/expected.hpp"

namespace secpilot::plugin {
class PluginHost;
}

namespace secpilot::orchestrator {

// One call of a skill, as the orchestrator makes it (a plan step expands into one or more).
struct PlannedCall {
  std::string skill;  // "Plugin.Skill"
  boost::json::object inputs;
};

struct PlanContext {
  std::string_view prompt;
  std::span<const std::string> history;            // the session's earlier prompts, oldest first
  std::shared_ptr<const plugin::PluginHost> host;  // whose catalog to plan over
  std::function<bool(const skills::SkillEntry&)> enabled;  // the caller's enabled skills
};

class Planner {
 public:
  virtual ~Planner() = default;
  // A plan that uses only enabled skills of the host's catalog, or one that abstains saying why.
  virtual planner::Plan plan(const PlanContext& context) const = 0;
};

// Abstains on every free-text prompt, naming the skills that could be called directly.
class NoPlanner final : public Planner {
 public:
  planner::Plan plan(const PlanContext& context) const override;
};

// The local planner (planner/local_planner.hpp) over a retrieval index of the host's catalog,
// built on first use and again after each plugin reload.
class LocalPlanning final : public Planner {
 public:
  planner::Plan plan(const PlanContext& context) const override;

 private:
  struct Indexed;
  PerHost<Indexed> indexed_;
};

}  // namespace secpilot::orchestrator
