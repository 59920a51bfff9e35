// What to call for a free-text prompt. The planner issue fills this interface (local and LLM
// planners); until then the daemon uses NoPlanner, and direct invocation bypasses planning.
#pragma once

#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "secpilot/skills/catalog.hpp"
#include "secpilot/util/expected.hpp"

namespace secpilot::orchestrator {

struct PlannedCall {
  std::string skill;  // "Plugin.Skill"
  boost::json::object inputs;
};

class Planner {
 public:
  virtual ~Planner() = default;
  // The calls that answer `prompt`, using only skills of `catalog`, or an error that tells the
  // user what to do instead (status unsupported when nothing fits).
  virtual Expected<std::vector<PlannedCall>> plan(const std::string& prompt,
                                                  const skills::Catalog& catalog) const = 0;
};

// Abstains on every free-text prompt, naming the skills that could be called directly.
class NoPlanner final : public Planner {
 public:
  Expected<std::vector<PlannedCall>> plan(const std::string& prompt,
                                          const skills::Catalog& catalog) const override;
};

}  // namespace secpilot::orchestrator
