// The records the daemon persists: sessions → prompts → evaluations → steps and events (modelled on
// Security Copilot's object model), API keys, the audit log and per-plugin state.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "secpilot/util/expected.hpp"

namespace secpilot::store {

// Every time is milliseconds since the Unix epoch, UTC; 0 means "not yet". Every member has a
// default, so designated initializers need name only what they set: {.state = ...}.
using TimeMs = std::int64_t;

// Enumerations are stored and sent over the API by their wire names (the strings in the comments),
// which match Security Copilot's where it has one.
enum class PromptType { prompt, skill };  // "prompt", "skill"
enum class EvaluationState {
  created,            // "created"
  running,            // "running"
  waiting_for_input,  // "waitingForInput": paused for an approval or a user's answer
  completed,          // "completed"
  failed,             // "failed"
  cancelled,          // "cancelled"
};
// "" while the evaluation has not finished, then "success", "error", "timedOut" or "cancelled".
enum class ResultType { none, success, error, timed_out, cancelled };
enum class StepState { running, completed, failed, cancelled };
enum class Role { owner, contributor, reader };
enum class AuditOutcome { ok, denied, error };
enum class PluginScope { user, organization };  // "user", "organization"
// "pending" until an owner or contributor decides: "approved", "denied", or "cancelled" (the
// evaluation was cancelled while it waited).
enum class ApprovalState { pending, approved, denied, cancelled };

std::string_view to_string(PromptType value) noexcept;
std::string_view to_string(EvaluationState value) noexcept;
std::string_view to_string(ResultType value) noexcept;
std::string_view to_string(StepState value) noexcept;
std::string_view to_string(Role value) noexcept;
std::string_view to_string(AuditOutcome value) noexcept;
std::string_view to_string(PluginScope value) noexcept;
std::string_view to_string(ApprovalState value) noexcept;

// Parse a wire name (exact, case-sensitive); nullopt for anything else.
std::optional<PromptType> parse_prompt_type(std::string_view text) noexcept;
std::optional<EvaluationState> parse_evaluation_state(std::string_view text) noexcept;
std::optional<ResultType> parse_result_type(std::string_view text) noexcept;
std::optional<StepState> parse_step_state(std::string_view text) noexcept;
std::optional<Role> parse_role(std::string_view text) noexcept;
std::optional<AuditOutcome> parse_audit_outcome(std::string_view text) noexcept;
std::optional<PluginScope> parse_plugin_scope(std::string_view text) noexcept;
std::optional<ApprovalState> parse_approval_state(std::string_view text) noexcept;

// completed, failed and cancelled are final: an evaluation never leaves them.
constexpr bool is_terminal(EvaluationState state) noexcept {
  return state == EvaluationState::completed || state == EvaluationState::failed ||
         state == EvaluationState::cancelled;
}

// A conversation owned by one user; nobody else can see it.
struct Session {
  std::string id{};
  std::string owner{};  // the user id of the caller that created it
  std::string display_name{};
  TimeMs created_ms = 0;
  TimeMs modified_ms = 0;  // bumped by a rename and by each new prompt
};

// What a caller submits; the store assigns the id, the sequence number and the time.
struct NewPrompt {
  PromptType type = PromptType::prompt;
  std::string content{};     // the text as the user wrote it
  std::string skill_name{};  // for type skill (a direct call): "Plugin.Skill"; may be empty
  boost::json::object inputs{};
};

struct Prompt {
  std::string id{};
  std::string session_id{};
  std::int64_t seq = 0;  // 1, 2, ... in the order the prompts were added to the session
  PromptType type = PromptType::prompt;
  std::string content{};
  std::string skill_name{};
  boost::json::object inputs{};
  TimeMs created_ms = 0;
};

// One run of a prompt; a prompt may be evaluated more than once.
struct Evaluation {
  std::string id{};
  std::string prompt_id{};
  std::string session_id{};
  EvaluationState state = EvaluationState::created;
  ResultType result_type = ResultType::none;
  std::string result_content{};                     // the answer, Markdown
  std::optional<boost::json::value> result_json{};  // an optional structured result
  std::string error{};                              // why it failed, for the user
  TimeMs created_ms = 0;
  TimeMs started_ms = 0;    // set when it first enters running
  TimeMs completed_ms = 0;  // set when it enters a final state
};

// A change of state; the store stamps started_ms and completed_ms itself.
struct EvaluationUpdate {
  EvaluationState state = EvaluationState::running;
  ResultType result_type = ResultType::none;
  std::string result_content{};
  std::optional<boost::json::value> result_json{};
  std::string error{};
};

// One skill call in an evaluation's process log, as it starts.
struct NewStep {
  std::string skill{};  // "Plugin.Skill"
  boost::json::object inputs{};
  TimeMs started_ms = 0;  // 0: now
};

// How a step ended.
struct StepResult {
  StepState state = StepState::completed;
  std::optional<boost::json::value> output{};
  Status error_status = Status::ok;
  std::string error_message{};
  std::int64_t duration_ms = -1;  // measured by the caller; -1: now minus started_ms
};

struct Step {
  std::string evaluation_id{};
  std::int64_t seq = 0;  // 1, 2, ... within the evaluation
  std::string skill{};
  boost::json::object inputs{};
  std::optional<boost::json::value> output{};
  Status error_status = Status::ok;
  std::string error_message{};
  StepState state = StepState::running;
  TimeMs started_ms = 0;
  std::int64_t duration_ms = 0;
};

// One server-sent event of an evaluation; seq is the SSE id (1..n, per evaluation).
struct Event {
  std::string evaluation_id{};
  std::int64_t seq = 0;
  std::string type{};  // "step.started", "step.finished", "answer", "done", ...
  std::string data{};  // JSON text, sent as is
};

struct ApiKey {
  std::string id{};
  std::string name{};  // a label for people ("ci", "alice's laptop")
  Role role = Role::reader;
  std::string user{};      // the identity the key acts as
  std::string key_hash{};  // SHA-256 hex of the secret; the secret itself is never stored
  TimeMs created_ms = 0;
  TimeMs revoked_ms = 0;  // 0: active
  TimeMs last_used_ms = 0;
};

// A new key and its secret, which exists only here: show it once and forget it.
struct CreatedApiKey {
  ApiKey key{};
  std::string secret{};  // "sp_" + 43 base64url characters (32 random bytes)
};

struct AuditEntry {
  std::int64_t seq = 0;  // assigned by the store, increasing
  TimeMs time_ms = 0;    // 0 on append: now
  std::string actor{};   // a user id, or "system"
  std::string action{};  // "skill.invoke", "plugin.enable", "settings.write", "key.create", ...
  std::string target{};  // what the action was on: a skill, plugin, key id, session id, ...
  AuditOutcome outcome = AuditOutcome::ok;
  boost::json::object details{};  // never secrets: callers must leave secret values out
};

// Filters for list_audit; empty strings and zero times mean "any".
struct AuditQuery {
  std::string actor{};
  std::string action{};
  std::string target{};
  std::optional<AuditOutcome> outcome{};
  TimeMs since_ms = 0;          // time_ms >= since_ms
  TimeMs until_ms = 0;          // time_ms < until_ms
  std::int64_t before_seq = 0;  // seq < before_seq: for paging backwards from the last seen entry
  int limit = 100;              // at most 1000
};

// A row of plugin enablement: an organisation-wide default or one user's choice.
struct PluginEnablement {
  PluginScope scope = PluginScope::organization;
  std::string user{};  // "" for the organisation
  std::string plugin{};
  bool enabled = true;
};

// A plugin setting as the API may show it: a secret's value is never included.
struct PluginSettingInfo {
  std::string name{};
  bool secret = false;
  std::string value{};  // empty for secrets; a listed secret is set
};

// Paging for lists.
struct Page {
  int limit = 50;  // 1..1000
  int offset = 0;
};

// A side-effecting skill call (SideEffects write or destructive) that an evaluation asks to
// make, bound to its exact skill and inputs by args_hash.
struct NewApproval {
  std::string evaluation_id{};
  std::int64_t call_index = 0;  // which call of the evaluation's plan, from 0
  std::string skill{};          // "Plugin.Skill"
  boost::json::object inputs{};
  std::string side_effects{};  // "write" or "destructive"
  std::string args_hash{};     // SHA-256 hex of the canonical JSON of {skill, inputs}
};

struct Approval {
  std::string id{};
  std::string evaluation_id{};
  std::string session_id{};
  std::string requested_by{};  // the user whose evaluation asks (the session's owner)
  std::int64_t call_index = 0;
  std::string skill{};
  boost::json::object inputs{};
  std::string side_effects{};
  std::string args_hash{};
  ApprovalState state = ApprovalState::pending;
  std::string decided_by{};  // who approved, denied or cancelled it; "" while pending
  std::string reason{};      // the decider's words, if any
  TimeMs created_ms = 0;
  TimeMs decided_ms = 0;
  TimeMs claimed_ms = 0;  // when its outcome was handed to the call that asked (0: not yet)
};

// How a pending approval ends.
struct ApprovalDecision {
  ApprovalState state = ApprovalState::approved;  // approved, denied or cancelled
  std::string decided_by{};
  std::string reason{};
};

// Filters for list_approvals; empty strings and nullopt mean "any".
struct ApprovalQuery {
  std::string requested_by{};
  std::optional<ApprovalState> state{};
  std::string evaluation_id{};
  std::optional<EvaluationState> evaluation_state{};
  std::string session_id{};  // the evaluation's session
  std::string args_hash{};
  Page page{};
};

}  // namespace secpilot::store
