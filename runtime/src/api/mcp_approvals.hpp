// Side-effecting tools called over /mcp go through the same approval gate as evaluations
// (docs/mcp.md, "Approvals over MCP"). The first call of such a tool with given arguments becomes
// a direct-invocation evaluation in the caller's session "MCP tool calls", which pauses for an
// approval; the tool result names it. The same call made again answers with what became of it:
// still waiting, denied, or — once approved and run — the skill's output. An outcome is handed
// out once (the approval is then claimed): a further identical call asks anew.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "secpilot/mcp/server.hpp"
#include "secpilot/orchestrator/orchestrator.hpp"
#include "secpilot/store/store.hpp"

namespace secpilot::api {

class McpApprovals {
 public:
  // `wait` bounds how long a call waits for its evaluation to ask for the approval, or for an
  // approved call that is still running to finish.
  McpApprovals(std::shared_ptr<store::Store> store, orchestrator::Orchestrator& orchestrator,
               std::chrono::milliseconds wait);

  // A call of `entry` (a skill with side effects) with `arguments` (a JSON object's text) by
  // `user`, who may invoke skills.
  mcp::GatedResult call(const skills::SkillEntry& entry, std::string_view arguments,
                        const std::string& user) const;

 private:
  // Asks for a new approval: submits the call as an evaluation and waits for it to pause.
  mcp::GatedResult ask(const skills::SkillEntry& entry, const boost::json::object& inputs,
                       const std::string& user, const std::string& session) const;
  // What became of a call whose approval exists.
  mcp::GatedResult outcome(const store::Approval& approval) const;
  // Waits until the evaluation has paused or ended, or `wait` has passed; its latest state.
  Expected<store::Evaluation> settle(const std::string& evaluation_id, bool until_ended) const;
  Expected<std::string> session_of(const std::string& user) const;

  std::shared_ptr<store::Store> store_;
  orchestrator::Orchestrator& orchestrator_;
  std::chrono::milliseconds wait_;
};

}  // namespace secpilot::api
