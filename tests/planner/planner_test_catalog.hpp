// The local planner's test catalog: the manifests of tests/planner/data read by PluginHost, as the
// daemon reads a plugin folder, and indexed for retrieval. Their GPT skills need a model client to
// run, which this build lacks; the planner reads only manifests, so the catalog marks them
// available, as they are once a model is configured. Skills of other formats keep the host's
// verdict (Offline's MCP skill stays unavailable).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "secpilot/grounding/skill_index.hpp"
#include "secpilot/plugin/plugin_host.hpp"

namespace secpilot::planner::fixtures {

class PlannerTestCatalog {
 public:
  PlannerTestCatalog();

  // What the host reported about the test manifests: failed plugins and lint diagnostics.
  std::vector<std::string> problems() const;
  const grounding::SkillIndex& index() const noexcept { return index_; }
  // By "Plugin.Skill"; nullptr when the catalog has no such skill.
  const skills::SkillEntry* find(std::string_view full_name) const;

 private:
  plugin::PluginHost host_;
  std::vector<std::unique_ptr<const skills::SkillEntry>> entries_;
  grounding::SkillIndex index_;
};

// One catalog per test process (it only reads files).
const PlannerTestCatalog& planner_test_catalog();

}  // namespace secpilot::planner::fixtures
