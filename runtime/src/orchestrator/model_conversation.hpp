// What a model evaluation tells the model and keeps between a pause and its resumption: the
// system prompt, the session's earlier turns, and the paused conversation with the call that
// waits for an approval (stored as the evaluation's plan, {"kind": "model", ...}).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "secpilot/model/chat.hpp"
#include "secpilot/store/records.hpp"
#include "secpilot/util/expected.hpp"

namespace secpilot::orchestrator {

// How secpilot asks the model to work: use the offered skills, never invent indicators, cite
// what it used, and leave side effects to approvals.
std::string model_system_prompt();

// The session's earlier prompts and their answers, oldest first, each answer cut to a budget.
std::vector<model::ChatMessage> session_turns(const std::vector<store::Prompt>& prompts,
                                              const std::vector<store::Evaluation>& evaluations,
                                              std::int64_t before_seq);

// A call the model asked for that waits for a person's approval.
struct PendingCall {
  std::string skill;
  boost::json::object inputs;
  std::string tool_call_id;
};

struct PausedConversation {
  std::vector<std::string> tools;              // the skills offered, by full name
  std::vector<model::ChatMessage> transcript;  // after the system prompt
  PendingCall pending;
};

bool is_model_plan(const boost::json::value& stored) noexcept;
boost::json::value to_json(const PausedConversation& paused);
Expected<PausedConversation> paused_from_json(const boost::json::value& stored);

// The user message that resumes a paused conversation: what the person decided and, for an
// approved call, its result or error in the untrusted-data envelope.
std::string decision_message(const store::Approval& approval, const store::Step& step,
                             std::size_t output_budget);

}  // namespace secpilot::orchestrator
