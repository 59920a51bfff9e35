#include "api/views.hpp"

#include <ctime>

namespace secpilot::api {

std::string iso_time(store::TimeMs ms) {
  if (ms == 0) return {};
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[40];
  const std::size_t used = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(text + used, sizeof text - used, ".%03dZ", static_cast<int>(ms % 1000));
  return text;
}

boost::json::object session_view(const store::Session& session) {
  return {{"id", session.id},
          {"displayName", session.display_name},
          {"createdDateTime", iso_time(session.created_ms)},
          {"lastModifiedDateTime", iso_time(session.modified_ms)}};
}

boost::json::object prompt_view(const store::Prompt& prompt) {
  return {{"id", prompt.id},           {"sessionId", prompt.session_id},
          {"sequence", prompt.seq},    {"type", store::to_string(prompt.type)},
          {"content", prompt.content}, {"skillName", prompt.skill_name},
          {"inputs", prompt.inputs},   {"createdDateTime", iso_time(prompt.created_ms)}};
}

boost::json::object evaluation_view(const store::Evaluation& evaluation) {
  boost::json::object result{{"type", store::to_string(evaluation.result_type)},
                             {"content", evaluation.result_content}};
  if (evaluation.result_json) result["json"] = *evaluation.result_json;
  boost::json::object out{{"id", evaluation.id},
                          {"promptId", evaluation.prompt_id},
                          {"sessionId", evaluation.session_id},
                          {"state", store::to_string(evaluation.state)},
                          {"result", std::move(result)},
                          {"createdDateTime", iso_time(evaluation.created_ms)},
                          {"runStartDateTime", iso_time(evaluation.started_ms)},
                          {"completedDateTime", iso_time(evaluation.completed_ms)}};
  if (!evaluation.error.empty()) out["error"] = evaluation.error;
  return out;
}

boost::json::object step_view(const store::Step& step) {
  boost::json::object out{{"sequence", step.seq},
                          {"skill", step.skill},
                          {"inputs", step.inputs},
                          {"state", store::to_string(step.state)},
                          {"startedDateTime", iso_time(step.started_ms)},
                          {"durationMs", step.duration_ms}};
  if (step.output) out["output"] = *step.output;
  if (step.error_status != Status::ok)
    out["error"] = {{"status", status_name(step.error_status)}, {"message", step.error_message}};
  return out;
}

boost::json::object key_view(const store::ApiKey& key) {
  boost::json::object out{{"id", key.id},
                          {"name", key.name},
                          {"role", store::to_string(key.role)},
                          {"user", key.user},
                          {"createdDateTime", iso_time(key.created_ms)},
                          {"lastUsedDateTime", iso_time(key.last_used_ms)},
                          {"revoked", key.revoked_ms != 0}};
  if (key.revoked_ms) out["revokedDateTime"] = iso_time(key.revoked_ms);
  return out;
}

boost::json::object audit_view(const store::AuditEntry& entry) {
  return {{"sequence", entry.seq},   {"time", iso_time(entry.time_ms)},
          {"actor", entry.actor},    {"action", entry.action},
          {"target", entry.target},  {"outcome", store::to_string(entry.outcome)},
          {"details", entry.details}};
}

boost::json::object approval_view(const store::Approval& approval) {
  return {{"id", approval.id},
          {"evaluationId", approval.evaluation_id},
          {"sessionId", approval.session_id},
          {"requestedBy", approval.requested_by},
          {"skill", approval.skill},
          {"inputs", approval.inputs},
          {"sideEffects", approval.side_effects},
          {"argsHash", approval.args_hash},
          {"state", store::to_string(approval.state)},
          {"createdDateTime", iso_time(approval.created_ms)},
          {"decidedBy", approval.decided_by},
          {"decidedDateTime", iso_time(approval.decided_ms)},
          {"reason", approval.reason}};
}

// The session with its prompts, each with its evaluations and their steps.
Expected<boost::json::object> session_detail(store::Store& store, const store::Session& session,
                                             bool with_steps) {
  auto prompts = store.list_prompts(session.id);
  if (!prompts) return prompts.error();
  auto evaluations = store.list_session_evaluations(session.id);
  if (!evaluations) return evaluations.error();
  boost::json::array prompt_list;
  for (const auto& prompt : *prompts) {
    auto view = prompt_view(prompt);
    boost::json::array evaluation_list;
    for (const auto& evaluation : *evaluations) {
      if (evaluation.prompt_id != prompt.id) continue;
      auto item = evaluation_view(evaluation);
      if (with_steps) {
        auto steps = store.list_steps(evaluation.id);
        if (!steps) return steps.error();
        boost::json::array step_list;
        for (const auto& step : *steps)
          step_list.push_back(step_view(step));
        item["steps"] = std::move(step_list);
      }
      evaluation_list.push_back(std::move(item));
    }
    view["evaluations"] = std::move(evaluation_list);
    prompt_list.push_back(std::move(view));
  }
  auto out = session_view(session);
  out["prompts"] = std::move(prompt_list);
  return out;
}

}  // namespace secpilot::api
