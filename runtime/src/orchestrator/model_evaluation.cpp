// Free-text prompts when a model is configured: the function-calling loop over the skills
// retrieval offers, each call the model makes recorded as a step like a planned one. A call with
// side effects never runs unasked: the executor asks for an approval and tells the model so; when
// the loop ends, the evaluation pauses with the conversation stored, and the decision resumes it.
#include <spdlog/spdlog.h>

#include <boost/json/serialize.hpp>
#include <mutex>

#include "orchestrator/answer.hpp"
#include "orchestrator/approval_gate.hpp"
#include "orchestrator/model_conversation.hpp"
#include "orchestrator/model_tools.hpp"
#include "secpilot/model/redaction.hpp"
#include "secpilot/orchestrator/orchestrator.hpp"

namespace secpilot::orchestrator {
namespace {

namespace json = boost::json;

// The executor the loop calls, from several threads at once within a round.
class CallSkills final : public model::ToolExecutor {
 public:
  using Run = std::function<model::ToolResult(const model::ToolCall&)>;
  explicit CallSkills(Run run) : run_(std::move(run)) {}
  model::ToolResult call(const model::ToolCall& call) override { return run_(call); }

 private:
  Run run_;
};

// What the model must not see: every plugin's secrets and the configured extra values.
model::SecretRedactor redactor(const plugin::PluginHost& host, std::vector<std::string> secrets) {
  for (const auto& record : host.plugins())
    if (record.environment)
      for (const auto& [name, value] : record.environment->settings.secrets)
        secrets.push_back(value);
  return model::SecretRedactor(std::move(secrets));
}

}  // namespace

void Orchestrator::run_model(const Job& job,
                             const std::shared_ptr<const plugin::PluginHost>& host) {
  const auto history = earlier_prompts(job);
  const auto offered = offer_tools(model_index_.get(host)->index, job.prompt.content, history,
                                   enabled_for(job), options_.model_tools);
  record_event(job.evaluation.id, "plan", model_plan_event(offered));
  model::LoopInput input;
  input.system_prompt = model_system_prompt();
  auto prompts = store_->list_prompts(job.prompt.session_id);
  auto evaluations = store_->list_session_evaluations(job.prompt.session_id);
  if (prompts && evaluations) input.history = session_turns(*prompts, *evaluations, job.prompt.seq);
  input.user_prompt = job.prompt.content;
  for (const auto& tool : offered)
    input.tools.push_back(tool_spec(*tool.entry));
  converse(job, host, std::move(input));
}

void Orchestrator::resume_model(const Job& job,
                                const std::shared_ptr<const plugin::PluginHost>& host,
                                const json::value& stored) {
  const std::string& id = job.evaluation.id;
  auto paused = paused_from_json(stored);
  if (!paused)
    return finish(job, {.state = store::EvaluationState::failed,
                        .result_type = store::ResultType::error,
                        .error = "cannot resume: " + paused.error().message});
  const auto& approval = *job.resumed_by;
  const auto& catalog = host->catalog();
  // The decided call runs (or fails with the denial) as a step of its own.
  CallToRun decided{0,
                    {paused->pending.skill, paused->pending.inputs},
                    catalog.find(paused->pending.skill),
                    Status::ok,
                    {},
                    {}};
  if (!decided.entry) {
    decided.error_status = Status::not_found;
    decided.error = "no skill named '" + paused->pending.skill + "' any more";
  } else if (const auto gate = check_call(*decided.entry, decided.call.inputs, &approval);
             gate.kind != GateDecision::Kind::run) {
    decided.error_status = Status::forbidden;
    decided.error = gate.kind == GateDecision::Kind::deny
                        ? gate.reason
                        : "the approval was for other arguments than the call's";
  } else {
    decided.approval_id = approval.id;
  }
  auto ran = run_calls(job, {decided});
  const store::Step& step = ran.front().second;
  if (job.cancelled->load())
    return finish(job, {.state = store::EvaluationState::cancelled,
                        .result_type = store::ResultType::cancelled,
                        .error = "cancelled"});
  if (!options_.model) {
    // The model went away with a restart: the answer is the steps made, as the planner gives it.
    auto steps = store_->list_steps(id);
    const std::string answer =
        "The model that started this evaluation is no longer configured; here is what ran.\n\n" +
        (steps ? compose_answer(*steps, catalog) : std::string());
    record_event(id, "answer", {{"content", answer}});
    return finish(job, {.state = store::EvaluationState::completed,
                        .result_type = store::ResultType::success,
                        .result_content = answer});
  }
  model::LoopInput input;
  input.system_prompt = model_system_prompt();
  input.history = std::move(paused->transcript);
  input.user_prompt = decision_message(approval, step, options_.model_limits.max_tool_output_bytes);
  const auto enabled = enabled_for(job);
  for (const auto& name : paused->tools)
    if (const auto* entry = catalog.find(name); entry && entry->available() && enabled(*entry))
      input.tools.push_back(tool_spec(*entry));
  converse(job, host, std::move(input));
}

void Orchestrator::converse(const Job& job, const std::shared_ptr<const plugin::PluginHost>& host,
                            model::LoopInput input) {
  const std::string& id = job.evaluation.id;
  const auto& catalog = host->catalog();
  struct Waiting {
    PendingCall call;
    const skills::SkillEntry* entry = nullptr;
    std::string args_hash;
  };
  std::mutex waiting_mutex;
  std::optional<Waiting> waiting;
  CallSkills executor([&](const model::ToolCall& call) {
    const auto* entry = catalog.find(call.tool);
    if (!entry) return model::ToolResult::failure("there is no skill " + call.tool);
    const auto gate = check_call(*entry, call.arguments, nullptr);
    if (gate.kind != GateDecision::Kind::run) {
      std::lock_guard lock(waiting_mutex);
      if (waiting)
        return model::ToolResult::failure(
            "not run: another call (" + waiting->call.skill +
            ") already waits for a person's approval; ask for this one once it is decided");
      waiting = Waiting{{entry->full_name, call.arguments, call.id}, entry, gate.args_hash};
      return model::ToolResult::failure(
          "awaiting approval: " + entry->full_name +
          " changes things, so this call runs only once a person approves it. The request is "
          "made; do not call it again. Tell the user what waits for approval.");
    }
    CallToRun to_run{0, {entry->full_name, call.arguments}, entry, Status::ok, {}, {}};
    const std::int64_t seq = begin_call(job, to_run);
    const store::Step step = complete_call(job, to_run, seq);
    if (step.state == store::StepState::completed && step.output)
      return model::ToolResult::success(json::serialize(*step.output));
    return model::ToolResult::failure(std::string(status_name(step.error_status)) + ": " +
                                      step.error_message);
  });

  model::LoopOptions loop;
  loop.limits = options_.model_limits;
  loop.redact = [redact = redactor(*host, options_.model_secrets)](std::string_view text) {
    return redact(text);
  };
  loop.cancelled = job.cancelled;
  auto result = model::run_tool_loop(*options_.model, input, executor, loop);
  if (!result)
    return finish(job, {.state = store::EvaluationState::failed,
                        .result_type = store::ResultType::error,
                        .error = "the model: " + result.error().message});
  record_event(id, "model",
               {{"rounds", result->rounds},
                {"stop", model::loop_stop_name(result->stop)},
                {"calls", result->calls.size()},
                {"usage",
                 {{"promptTokens", result->usage.prompt_tokens},
                  {"completionTokens", result->usage.completion_tokens},
                  {"totalTokens", result->usage.total_tokens}}}});
  if (result->stop == model::LoopStop::cancelled || job.cancelled->load())
    return finish(job, {.state = store::EvaluationState::cancelled,
                        .result_type = store::ResultType::cancelled,
                        .error = "cancelled"});
  if (waiting) {
    PausedConversation paused;
    for (const auto& tool : input.tools)
      paused.tools.push_back(tool.name);
    // The system prompt is written again on resumption.
    auto& transcript = result->transcript;
    if (!transcript.empty() && transcript.front().role == model::Role::system)
      transcript.erase(transcript.begin());
    paused.transcript = std::move(transcript);
    paused.pending = waiting->call;
    if (auto saved = store_->set_evaluation_plan(id, to_json(paused)); !saved)
      return finish(job, {.state = store::EvaluationState::failed,
                          .result_type = store::ResultType::error,
                          .error = "cannot keep the conversation for the approval: " +
                                   saved.error().message});
    auto steps = store_->list_steps(id);
    const std::size_t made = steps ? steps->size() : 0;
    return pause(job, made, *waiting->entry, {waiting->call.skill, waiting->call.inputs},
                 waiting->args_hash);
  }
  auto steps = store_->list_steps(id);
  std::string answer = result->answer;
  if (steps && !steps->empty()) answer += "\n\n" + sources_markdown(*steps);
  record_event(id, "answer", {{"content", answer}});
  finish(job, {.state = store::EvaluationState::completed,
               .result_type = store::ResultType::success,
               .result_content = answer});
}

}  // namespace secpilot::orchestrator
