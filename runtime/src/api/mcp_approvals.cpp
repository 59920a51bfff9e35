#include "api/mcp_approvals.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <condition_variable>
#include <mutex>

#include "orchestrator/approval_gate.hpp"
#include "secpilot/orchestrator/direct_invocation.hpp"

namespace secpilot::api {
namespace json = boost::json;

namespace {

// Where a user's MCP calls that need approval are kept, so that they show up in the web page and
// `secpilot sessions` like any other evaluation.
constexpr std::string_view kSessionName = "MCP tool calls";

json::object describe(const store::Approval& approval) {
  json::object meta{{"id", approval.id},
                    {"state", store::to_string(approval.state)},
                    {"skill", approval.skill},
                    {"sideEffects", approval.side_effects},
                    {"argsHash", approval.args_hash},
                    {"evaluationId", approval.evaluation_id},
                    {"sessionId", approval.session_id}};
  if (!approval.decided_by.empty()) meta["decidedBy"] = approval.decided_by;
  if (!approval.reason.empty()) meta["reason"] = approval.reason;
  return meta;
}

std::string how_to_approve(const store::Approval& approval) {
  return "an owner, or " + approval.requested_by +
         " who called, approves it with `secpilot approve " + approval.id +
         "` or POST /v1/approvals/" + approval.id +
         ":approve; then call this tool again with the same arguments for its result";
}

mcp::GatedResult refused(std::string message, const store::Approval* approval = nullptr) {
  return {.output = std::nullopt,
          .message = std::move(message),
          .approval = approval ? describe(*approval) : json::object{}};
}

bool paused_or_ended(store::EvaluationState state) {
  return state == store::EvaluationState::waiting_for_input || store::is_terminal(state);
}

}  // namespace

McpApprovals::McpApprovals(std::shared_ptr<store::Store> store,
                           orchestrator::Orchestrator& orchestrator, std::chrono::milliseconds wait)
    : store_(std::move(store)), orchestrator_(orchestrator), wait_(wait) {}

mcp::GatedResult McpApprovals::call(const skills::SkillEntry& entry, std::string_view arguments,
                                    const std::string& user) const {
  json::error_code failed;
  const auto parsed = json::parse(arguments, failed);
  if (failed || !parsed.is_object()) return refused("the arguments must be a JSON object");
  const auto inputs = orchestrator::as_direct_inputs(parsed.get_object());
  auto session = session_of(user);
  if (!session) return refused("cannot keep the call for its approval: " + session.error().message);
  auto latest =
      store_->list_approvals({.requested_by = user,
                              .session_id = *session,
                              .args_hash = orchestrator::call_hash(entry.full_name, inputs),
                              .page = {.limit = 1, .offset = 0}});
  if (!latest) return refused("cannot look up the call's approval: " + latest.error().message);
  // A call asks anew when none asked before, or the last one's outcome was handed out already.
  if (latest->empty() || latest->front().claimed_ms != 0 ||
      latest->front().state == store::ApprovalState::cancelled)
    return ask(entry, inputs, user, *session);
  return outcome(latest->front());
}

mcp::GatedResult McpApprovals::ask(const skills::SkillEntry& entry, const json::object& inputs,
                                   const std::string& user, const std::string& session) const {
  const std::string side_effects(manifest::side_effects_name(entry.spec->side_effects));
  auto prompt =
      orchestrator::format_direct_invocation({.skill = entry.full_name, .inputs = inputs});
  if (!prompt) return refused(prompt.error().message);
  auto submitted = orchestrator_.submit(
      {.user = user, .role = store::Role::contributor, .key_id = {}}, session, *prompt);
  if (!submitted)
    return refused(entry.full_name + " needs an approval, which cannot be asked for now: " +
                   submitted.error().message);
  const std::string& evaluation_id = submitted->evaluation.id;
  auto evaluation = settle(evaluation_id, false);
  if (!evaluation)
    return refused("cannot follow evaluation " + evaluation_id + ": " + evaluation.error().message);
  if (evaluation->state == store::EvaluationState::failed)
    return refused(entry.full_name + " failed before it could be approved: " + evaluation->error);
  auto asked =
      store_->list_approvals({.evaluation_id = evaluation_id, .page = {.limit = 1, .offset = 0}});
  if (!asked || asked->empty())
    return refused(entry.full_name + " has side effects (" + side_effects +
                   ") and its evaluation " + evaluation_id +
                   " has not asked for the approval yet: call this tool again in a moment");
  const store::Approval& approval = asked->front();
  return refused(entry.full_name + " has side effects (" + side_effects +
                     ") and runs only once this exact call is approved: approval " + approval.id +
                     " waits; " + how_to_approve(approval),
                 &approval);
}

mcp::GatedResult McpApprovals::outcome(const store::Approval& approval) const {
  using store::ApprovalState;
  if (approval.state == ApprovalState::pending)
    return refused(approval.skill + " still waits for approval " + approval.id + ": " +
                       how_to_approve(approval),
                   &approval);
  if (approval.state == ApprovalState::denied) {
    (void)store_->claim_approval(approval.id);
    return refused(approval.skill + " was denied by " + approval.decided_by +
                       (approval.reason.empty() ? std::string() : ": " + approval.reason),
                   &approval);
  }
  auto evaluation = settle(approval.evaluation_id, true);
  if (!evaluation)
    return refused(
        "cannot follow evaluation " + approval.evaluation_id + ": " + evaluation.error().message,
        &approval);
  if (!store::is_terminal(evaluation->state))
    return refused(approval.skill + " was approved by " + approval.decided_by +
                       " and is still running: call this tool again for its result",
                   &approval);
  auto claimed = store_->claim_approval(approval.id);
  if (!claimed || !*claimed)
    return refused("the result of approval " + approval.id +
                       " was handed to another call already: call again to ask anew",
                   &approval);
  auto steps = store_->list_steps(approval.evaluation_id);
  if (steps)
    for (auto step = steps->rbegin(); step != steps->rend(); ++step) {
      if (step->skill != approval.skill) continue;
      if (step->state == store::StepState::completed && step->output)
        return {.output = json::serialize(*step->output),
                .message = {},
                .approval = describe(approval)};
      return refused(approval.skill + " was approved by " + approval.decided_by + " and failed (" +
                         std::string(status_name(step->error_status)) + "): " + step->error_message,
                     &approval);
    }
  return refused(approval.skill + " was approved by " + approval.decided_by +
                     " but did not run: evaluation " + approval.evaluation_id + " is " +
                     std::string(store::to_string(evaluation->state)) +
                     (evaluation->error.empty() ? std::string() : " (" + evaluation->error + ")"),
                 &approval);
}

Expected<store::Evaluation> McpApprovals::settle(const std::string& evaluation_id,
                                                 bool until_ended) const {
  // Shared with the listener, which the bus may still be calling as this returns.
  struct Signal {
    std::mutex mutex;
    std::condition_variable changed;
    bool fired = false;
  };
  auto signal = std::make_shared<Signal>();
  auto subscription =
      orchestrator_.events().subscribe(evaluation_id, [signal](const store::Event&) {
        {
          std::lock_guard lock(signal->mutex);
          signal->fired = true;
        }
        signal->changed.notify_all();
      });
  const auto deadline = std::chrono::steady_clock::now() + wait_;
  while (true) {
    auto evaluation = store_->get_evaluation(evaluation_id);
    if (!evaluation) return evaluation;
    if (until_ended ? store::is_terminal(evaluation->state) : paused_or_ended(evaluation->state))
      return evaluation;
    std::unique_lock lock(signal->mutex);
    if (!signal->changed.wait_until(lock, deadline, [&] { return signal->fired; }))
      return evaluation;
    signal->fired = false;
  }
}

Expected<std::string> McpApprovals::session_of(const std::string& user) const {
  auto sessions = store_->list_sessions(user, kSessionName, {.limit = 20, .offset = 0});
  if (!sessions) return sessions.error();
  for (const auto& session : *sessions)
    if (session.display_name == kSessionName) return session.id;
  auto created = store_->create_session(user, kSessionName);
  if (!created) return created.error();
  return created->id;
}

}  // namespace secpilot::api
