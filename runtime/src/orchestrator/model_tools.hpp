// Which skills the model is offered for a prompt, and how each is described to it: only the
// skills retrieval finds for the prompt (and the caller has enabled and can run), never the whole
// catalog, so that the model chooses among a few that fit and the request stays small.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "secpilot/grounding/skill_index.hpp"
#include "secpilot/model/tool_loop.hpp"
#include "secpilot/plugin/plugin_host.hpp"

namespace secpilot::orchestrator {

// The retrieval index of one host's catalog (see PerHost).
struct ModelIndex {
  explicit ModelIndex(std::shared_ptr<const plugin::PluginHost> from);
  std::shared_ptr<const plugin::PluginHost> host;
  grounding::SkillIndex index;
};

struct OfferedTool {
  const skills::SkillEntry* entry = nullptr;
  double score = 0;
  std::string why;  // the retrieval's reasons, for the process log
};

// At most `limit` skills for `prompt`, best first. A short follow-up ("and the second one?") is
// searched together with the session's last prompt.
std::vector<OfferedTool> offer_tools(const grounding::SkillIndex& index, std::string_view prompt,
                                     std::span<const std::string> history,
                                     const std::function<bool(const skills::SkillEntry&)>& enabled,
                                     std::size_t limit);

// The skill as a function: its full name, what the model reads to choose it (DescriptionForModel,
// else Description; a note when it changes things and needs an approval), its inputs' schema.
model::ToolSpec tool_spec(const skills::SkillEntry& entry);

// The plan event of a model evaluation: {"planner": "model", "tools": [{skill, score, why}],
// "explanation": "..."}.
boost::json::object model_plan_event(const std::vector<OfferedTool>& offered);

}  // namespace secpilot::orchestrator
