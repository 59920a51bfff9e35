#include "secpilot/orchestrator/orchestrator.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <future>
#include <map>
#include <set>

#include "orchestrator/answer.hpp"
#include "orchestrator/approval_gate.hpp"
#include "orchestrator/model_conversation.hpp"
#include "orchestrator/plan_inputs.hpp"
#include "orchestrator/plan_json.hpp"
#include "secpilot/orchestrator/direct_invocation.hpp"
#include "secpilot/skills/executor.hpp"

namespace secpilot::orchestrator {
namespace {

using Clock = std::chrono::steady_clock;

// Store writes that fail mid-evaluation are logged: the evaluation goes on, and its final state
// says what the user needs to know.
template <class T>
void warn_if_failed(const Expected<T>& result, std::string_view what, const std::string& id) {
  if (!result) spdlog::warn("evaluation {}: {} failed: {}", id, what, result.error().message);
}

boost::json::object approval_requested_event(const store::Approval& approval) {
  return {{"id", approval.id},
          {"evaluationId", approval.evaluation_id},
          {"skill", approval.skill},
          {"inputs", approval.inputs},
          {"sideEffects", approval.side_effects},
          {"argsHash", approval.args_hash}};
}

boost::json::object approval_decided_event(const store::Approval& approval) {
  boost::json::object event{{"id", approval.id},
                            {"skill", approval.skill},
                            {"state", store::to_string(approval.state)},
                            {"decidedBy", approval.decided_by}};
  if (!approval.reason.empty()) event["reason"] = approval.reason;
  return event;
}

// Who asked for, approved, denied or cancelled which call: the skill and the hash of its
// arguments, never the arguments themselves.
void audit_approval(store::Store& store, const std::string& actor, std::string_view action,
                    const store::Approval& approval) {
  boost::json::object details{{"approval", approval.id},
                              {"evaluation", approval.evaluation_id},
                              {"requestedBy", approval.requested_by},
                              {"sideEffects", approval.side_effects},
                              {"argsHash", approval.args_hash}};
  if (!approval.reason.empty()) details["reason"] = approval.reason;
  store.queue_audit({.actor = actor,
                     .action = std::string(action),
                     .target = approval.skill,
                     .details = std::move(details)});
}

}  // namespace

Orchestrator::Orchestrator(std::shared_ptr<store::Store> store, HostSource hosts,
                           std::shared_ptr<const Planner> planner, OrchestratorOptions options)
    : store_(std::move(store)),
      hosts_(std::move(hosts)),
      planner_(std::move(planner)),
      options_(std::move(options)) {
  // Evaluations beyond the workers wait in the queue; max_concurrent bounds queued + running.
  const std::size_t count = std::clamp<std::size_t>(options_.max_concurrent, 1, 32);
  for (std::size_t i = 0; i < count; ++i)
    workers_.emplace_back([this] { work(); });
  resume_decided();
}

Orchestrator::~Orchestrator() {
  stop(std::chrono::milliseconds(0));
}

Expected<Submitted> Orchestrator::submit(const Identity& who, const std::string& session_id,
                                         const std::string& content) {
  if (content.empty())
    return make_error(Status::invalid_input,
                      "the prompt is empty — write a question or "
                      "/Plugin.Skill name=value");
  auto session = store_->get_session(session_id, who.user);
  if (!session) return session.error();
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return make_error(Status::unsupported, "the daemon is stopping");
    if (in_flight_.load() >= std::max<std::size_t>(1, options_.max_concurrent))
      return make_error(Status::rate_limited, "too many evaluations in flight (" +
                                                  std::to_string(options_.max_concurrent) +
                                                  "); retry shortly");
    ++in_flight_;
  }
  store::NewPrompt new_prompt{.content = content};
  if (auto direct = parse_direct_invocation(content); direct && *direct) {
    new_prompt.type = store::PromptType::skill;
    new_prompt.skill_name = (*direct)->skill;
    new_prompt.inputs = (*direct)->inputs;
  }
  auto prompt = store_->add_prompt(session_id, new_prompt);
  auto evaluation =
      prompt ? store_->create_evaluation(prompt->id) : Expected<store::Evaluation>(prompt.error());
  if (!evaluation) {
    --in_flight_;
    return evaluation.error();
  }
  Job job{who, *prompt, *evaluation, std::make_shared<std::atomic<bool>>(false), std::nullopt};
  {
    std::lock_guard lock(mutex_);
    running_[evaluation->id] = job.cancelled;
    queue_.push_back(job);
  }
  wake_.notify_one();
  return Submitted{std::move(*prompt), std::move(*evaluation)};
}

Outcome Orchestrator::cancel(const Identity& who, const std::string& evaluation_id) {
  auto evaluation = store_->get_evaluation(evaluation_id);
  if (!evaluation) return evaluation.error();
  if (!store_->get_session(evaluation->session_id, who.user))
    return make_error(Status::not_found, "no evaluation " + evaluation_id);
  if (store::is_terminal(evaluation->state))
    return make_error(Status::invalid_input,
                      "evaluation " + evaluation_id + " has already ended (" +
                          std::string(store::to_string(evaluation->state)) + ")");
  std::lock_guard decisions(decisions_mutex_);
  {
    std::lock_guard lock(mutex_);
    if (auto it = running_.find(evaluation_id); it != running_.end()) {
      it->second->store(true);
      return Done{};
    }
  }
  // Neither queued nor running: it may wait for an approval (read again: it may have paused
  // since the first read).
  auto current = store_->get_evaluation(evaluation_id);
  if (current && current->state == store::EvaluationState::waiting_for_input)
    return cancel_waiting(evaluation_id, who.user);
  return Done{};
}

Expected<store::Approval> Orchestrator::approval(const Identity& who,
                                                 const std::string& approval_id) {
  auto found = store_->get_approval(approval_id);
  if (found && (who.role == store::Role::owner || found->requested_by == who.user)) return found;
  if (!found && found.error().status != Status::not_found) return found.error();
  // Another user's approval is not even acknowledged, as for an unknown id.
  return make_error(Status::not_found, "no approval " + approval_id +
                                           " — `secpilot approvals` lists the ones you can see");
}

Expected<std::vector<store::Approval>> Orchestrator::approvals(const Identity& who,
                                                               store::ApprovalQuery query) {
  if (who.role != store::Role::owner) query.requested_by = who.user;
  return store_->list_approvals(query);
}

Expected<store::Approval> Orchestrator::decide(const Identity& who, const std::string& approval_id,
                                               store::ApprovalState decision,
                                               const std::string& reason) {
  if (decision != store::ApprovalState::approved && decision != store::ApprovalState::denied)
    return make_error(Status::invalid_input, "an approval is decided as approved or denied");
  if (who.role == store::Role::reader)
    return make_error(Status::forbidden,
                      "a reader cannot approve or deny; ask an owner or a contributor");
  auto found = approval(who, approval_id);
  if (!found) return found.error();

  std::lock_guard decisions(decisions_mutex_);
  {
    std::lock_guard lock(mutex_);
    if (stopping_)
      return make_error(Status::unsupported,
                        "the daemon is stopping; decide once it runs again (the approval waits)");
    // The resumed evaluation needs a slot: reserve it before deciding, so that a decision is
    // never recorded without the evaluation going on.
    if (in_flight_.load() >= std::max<std::size_t>(1, options_.max_concurrent))
      return make_error(Status::rate_limited, "too many evaluations in flight (" +
                                                  std::to_string(options_.max_concurrent) +
                                                  "); retry shortly");
    ++in_flight_;
  }
  auto decided = store_->decide_approval(approval_id, {decision, who.user, reason});
  if (!decided) {
    {
      std::lock_guard lock(mutex_);
      --in_flight_;
    }
    wake_.notify_all();
    return decided.error();
  }
  audit_approval(*store_, who.user,
                 decision == store::ApprovalState::approved ? "approval.approve" : "approval.deny",
                 *decided);
  spdlog::info("approval {} of {} ({}) {} by {}", decided->id, decided->skill, decided->args_hash,
               store::to_string(decided->state), who.user);
  record_event(decided->evaluation_id, "approval.decided", approval_decided_event(*decided));
  queue_resume(*decided);
  return decided;
}

void Orchestrator::stop(std::chrono::milliseconds grace) {
  {
    std::unique_lock lock(mutex_);
    if (stopping_ && workers_.empty()) return;
    stopping_ = true;
    // Queued work never started is cancelled at once, but for resumptions of decided approvals:
    // their evaluations stay waiting in the store, and the next start resumes them.
    for (auto job = queue_.begin(); job != queue_.end();) {
      if (!job->resumed_by) {
        job->cancelled->store(true);
        ++job;
        continue;
      }
      if (auto it = running_.find(job->evaluation.id);
          it != running_.end() && it->second == job->cancelled) {
        running_.erase(it);
        --in_flight_;
      }
      job = queue_.erase(job);
    }
    // Running work gets the grace period.
    wake_.notify_all();
    wake_.wait_for(lock, grace, [&] { return running_.empty(); });
    for (auto& [id, flag] : running_)
      flag->store(true);
    wake_.notify_all();
  }
  for (auto& worker : workers_)
    if (worker.joinable()) worker.join();
  workers_.clear();
}

void Orchestrator::work() {
  while (true) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and nothing left
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    try {
      run(job);
    } catch (const std::exception& e) {
      spdlog::error("evaluation {} failed unexpectedly: {}", job.evaluation.id, e.what());
      warn_if_failed(store_->update_evaluation(
                         job.evaluation.id, {.state = store::EvaluationState::failed,
                                             .result_type = store::ResultType::error,
                                             .error = "internal error: " + std::string(e.what())}),
                     "marking it failed", job.evaluation.id);
    }
    release(job.evaluation.id, job.cancelled);
  }
}

void Orchestrator::release(const std::string& evaluation_id, const CancelFlag& flag) {
  {
    std::lock_guard lock(mutex_);
    // Once per job: finishing or pausing releases it, and the worker again after run() returns;
    // by then a decision may have queued the evaluation again, under another flag.
    auto it = running_.find(evaluation_id);
    if (it == running_.end() || it->second != flag) return;
    running_.erase(it);
    --in_flight_;
  }
  wake_.notify_all();
}

void Orchestrator::record_event(const std::string& evaluation_id, std::string_view type,
                                const boost::json::object& data) {
  const std::string text = boost::json::serialize(data);
  auto seq = store_->append_event(evaluation_id, type, text);
  if (!seq) {
    spdlog::warn("evaluation {}: event {} not recorded: {}", evaluation_id, type,
                 seq.error().message);
    return;
  }
  events_.publish(store::Event{evaluation_id, *seq, std::string(type), text});
}

void Orchestrator::finish(const Job& job, const store::EvaluationUpdate& update) {
  const std::string& id = job.evaluation.id;
  warn_if_failed(store_->update_evaluation(id, update), "recording the result", id);
  boost::json::object done{{"state", store::to_string(update.state)},
                           {"resultType", store::to_string(update.result_type)}};
  if (!update.error.empty()) done["error"] = update.error;
  // The slot is free before anyone hears "done", so a client that submits its next prompt on
  // that event is never refused as over the concurrency limit.
  release(id, job.cancelled);
  record_event(id, "done", done);
}

void Orchestrator::run(const Job& job) {
  const std::string& id = job.evaluation.id;
  if (job.cancelled->load())
    return finish(job, {.state = store::EvaluationState::cancelled,
                        .result_type = store::ResultType::cancelled,
                        .error = "cancelled before it started"});
  warn_if_failed(store_->update_evaluation(id, {.state = store::EvaluationState::running}),
                 "marking it running", id);
  record_event(id, "state", {{"state", "running"}});

  const auto host = hosts_();
  const auto& catalog = host->catalog();
  planner::Plan plan;
  std::vector<store::Step> recorded;  // steps made before a pause, when resuming
  if (job.resumed_by) {
    if (auto stored = store_->evaluation_plan(id); stored && is_model_plan(*stored))
      return resume_model(job, host, *stored);
    if (auto loaded = load_paused(job, plan, recorded); !loaded)
      return finish(job, {.state = store::EvaluationState::failed,
                          .result_type = store::ResultType::error,
                          .error = loaded.error().message});
  } else {
    if (auto direct = parse_direct_invocation(job.prompt.content)) {
      if (!*direct)
        return finish(job, {.state = store::EvaluationState::failed,
                            .result_type = store::ResultType::error,
                            .error = direct->error().message});
      plan.steps.push_back({.skill = (*direct)->skill, .inputs = (*direct)->inputs});
    } else if (options_.model) {
      return run_model(job, host);
    } else {
      plan = plan_prompt(job, host);
      auto recorded_plan = plan.to_json();
      recorded_plan["explanation"] = planner::explain(plan);
      record_event(id, "plan", recorded_plan);
      if (plan.abstained())
        return finish(job, {.state = store::EvaluationState::failed,
                            .result_type = store::ResultType::error,
                            .result_content = plan.abstention->message,
                            .error = plan.abstention->message});
    }
    // Kept so that the evaluation can resume from the same plan after a pause for approval.
    if (auto stored = store_->set_evaluation_plan(id, plan_to_json(plan)); !stored)
      return finish(job, {.state = store::EvaluationState::failed,
                          .result_type = store::ResultType::error,
                          .error = "cannot record the plan: " + stored.error().message});
  }

  // The plan's groups in order; in a group, each step expanded into its calls (the steps it reads
  // ran in earlier groups), and the calls run side by side. Calls are numbered across the plan; a
  // resumed evaluation reuses the steps it recorded for the first ones (expanding the same plan
  // over the same outputs gives the same calls).
  std::vector<store::Step> steps;
  std::vector<std::vector<boost::json::value>> outputs(plan.steps.size());
  const auto session_export = [&] {
    return options_.session_export ? options_.session_export(job.prompt.session_id, job.who.user)
                                   : std::string("{}");
  };
  bool all_ok = true;
  const auto keep = [&](std::size_t plan_step, store::Step step) {
    if (step.state == store::StepState::completed && step.output)
      outputs[plan_step].push_back(*step.output);
    all_ok = all_ok && step.state == store::StepState::completed;
    steps.push_back(std::move(step));
  };
  std::size_t index = 0;  // of the next call
  for (std::size_t first = 0; first < plan.steps.size() && !job.cancelled->load();) {
    std::size_t end = first + 1;
    while (end < plan.steps.size() && plan.steps[end].group == plan.steps[first].group)
      ++end;
    std::vector<CallToRun> group;
    for (std::size_t s = first; s < end; ++s) {
      const auto& planned = plan.steps[s];
      auto expanded = step_calls(plan, s, outputs, session_export);
      std::vector<PlannedCall> calls;
      if (expanded)
        for (auto& inputs : *expanded)
          calls.push_back({planned.skill, std::move(inputs)});
      else
        calls.push_back({planned.skill, planned.inputs});
      for (auto& call : calls) {
        const std::size_t call_index = index++;
        if (call_index < recorded.size()) {
          keep(s, std::move(recorded[call_index]));
          continue;
        }
        CallToRun to_run{s, std::move(call), catalog.find(planned.skill), Status::ok, {}, {}};
        if (!expanded) {
          to_run.error_status = expanded.error().status;
          to_run.error = expanded.error().message;
        } else if (!to_run.entry) {
          auto close = catalog.suggest(to_run.call.skill);
          to_run.error = "no skill named '" + to_run.call.skill + "'" +
                         (close.empty() ? "" : " — did you mean " + close.front() + "?");
          to_run.error_status = Status::not_found;
        } else if (auto enabled = store_->plugin_enabled(job.who.user, to_run.entry->plugin);
                   !enabled || !*enabled) {
          to_run.error = "plugin " + to_run.entry->plugin +
                         " is disabled for you — enable it "
                         "under Sources";
          to_run.error_status = Status::forbidden;
        } else if (to_run.entry->available()) {
          // Only a call that could run is gated: asking to approve one that cannot helps nobody.
          const auto& resumed = job.resumed_by;
          const store::Approval* decided =
              resumed && resumed->call_index == static_cast<std::int64_t>(call_index) ? &*resumed
                                                                                      : nullptr;
          const auto gate = check_call(*to_run.entry, to_run.call.inputs, decided);
          if (gate.kind == GateDecision::Kind::ask) {
            // The calls before it run first, so that the steps recorded are the calls made.
            for (auto& step : run_calls(job, group))
              keep(step.first, std::move(step.second));
            return pause(job, call_index, *to_run.entry, to_run.call, gate.args_hash);
          }
          if (decided && !gate.args_hash.empty()) to_run.approval_id = decided->id;
          if (gate.kind == GateDecision::Kind::deny) {
            to_run.error_status = Status::forbidden;
            to_run.error = gate.reason;
          }
        }
        group.push_back(std::move(to_run));
      }
    }
    for (auto& step : run_calls(job, group))
      keep(step.first, std::move(step.second));
    first = end;
  }

  if (job.cancelled->load())
    return finish(job, {.state = store::EvaluationState::cancelled,
                        .result_type = store::ResultType::cancelled,
                        .error = "cancelled"});
  const std::string answer = compose_answer(steps, catalog);
  record_event(id, "answer", {{"content", answer}});
  store::EvaluationUpdate update{
      .state = all_ok ? store::EvaluationState::completed : store::EvaluationState::failed,
      .result_type = all_ok ? store::ResultType::success : store::ResultType::error,
      .result_content = answer};
  if (steps.size() == 1 && steps.front().output) update.result_json = steps.front().output;
  if (!all_ok)
    for (const auto& step : steps)  // the last failure says best what went wrong
      if (step.state != store::StepState::completed) update.error = step.error_message;
  finish(job, update);
}

std::int64_t Orchestrator::begin_call(const Job& job, const CallToRun& call) {
  const std::string& id = job.evaluation.id;
  const std::string skill_name = call.entry ? call.entry->full_name : call.call.skill;
  auto seq = store_->append_step(id, {.skill = skill_name, .inputs = call.call.inputs});
  if (!seq) throw std::runtime_error(seq.error().message);
  record_event(id, "step.started",
               {{"seq", *seq}, {"skill", skill_name}, {"inputs", call.call.inputs}});
  return *seq;
}

store::Step Orchestrator::complete_call(const Job& job, const CallToRun& to_run, std::int64_t seq) {
  const std::string& id = job.evaluation.id;
  const auto* entry = to_run.entry;
  const auto& call = to_run.call;
  Status error_status = to_run.error_status;
  std::string error = to_run.error;
  const std::string& approval_id = to_run.approval_id;
  const std::string skill_name = entry ? entry->full_name : call.skill;

  store::Step step{.evaluation_id = id, .seq = seq, .skill = skill_name, .inputs = call.inputs};
  step.started_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
  const auto started = Clock::now();
  if (error_status == Status::ok) {
    skills::InvokeOptions invoke;
    invoke.cancelled = job.cancelled;
    invoke.default_timeout = options_.default_skill_timeout;
    invoke.threads = options_.call_threads;
    auto result = skills::invoke(*entry, boost::json::serialize(call.inputs), invoke);
    if (result) {
      step.output = boost::json::parse(*result);
    } else {
      error_status = result.error().status;
      error = result.error().message;
    }
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  step.duration_ms = static_cast<std::int64_t>(seconds * 1000);
  step.state = error_status == Status::ok          ? store::StepState::completed
               : error_status == Status::cancelled ? store::StepState::cancelled
                                                   : store::StepState::failed;
  step.error_status = error_status;
  step.error_message = error;
  auto finished_step = store_->finish_step(id, seq,
                                           {.state = step.state,
                                            .output = step.output,
                                            .error_status = error_status,
                                            .error_message = error,
                                            .duration_ms = step.duration_ms});
  warn_if_failed(finished_step, "recording the step's end", id);
  boost::json::object finished{{"seq", seq},
                               {"skill", skill_name},
                               {"state", store::to_string(step.state)},
                               {"durationMs", step.duration_ms}};
  if (step.output) finished["output"] = *step.output;
  if (!error.empty())
    finished["error"] = {{"status", status_name(error_status)}, {"message", error}};
  record_event(id, "step.finished", finished);
  boost::json::object details{
      {"evaluation", id}, {"status", status_name(error_status)}, {"durationMs", step.duration_ms}};
  if (!approval_id.empty()) details["approval"] = approval_id;
  store_->queue_audit({.actor = job.who.user,
                       .action = "skill.invoke",
                       .target = skill_name,
                       .outcome = error_status == Status::ok          ? store::AuditOutcome::ok
                                  : error_status == Status::forbidden ? store::AuditOutcome::denied
                                                                      : store::AuditOutcome::error,
                       .details = std::move(details)});
  if (options_.on_skill_call)
    options_.on_skill_call(skill_name,
                           error_status == Status::ok ? "ok" : status_name(error_status), seconds);
  return step;
}

std::vector<std::pair<std::size_t, store::Step>> Orchestrator::run_calls(
    const Job& job, const std::vector<CallToRun>& calls) {
  // Steps are recorded in call order before any runs, so that their sequence numbers are the
  // calls' order whatever finishes first (resuming relies on it).
  std::vector<std::int64_t> seqs;
  for (const auto& call : calls)
    seqs.push_back(begin_call(job, call));
  std::vector<std::pair<std::size_t, store::Step>> steps;
  if (calls.size() == 1) {
    steps.emplace_back(calls[0].plan_step, complete_call(job, calls[0], seqs[0]));
    return steps;
  }
  // At most kSideBySide at a time: a fan-out over twenty indicators is not twenty threads.
  constexpr std::size_t kSideBySide = 4;
  for (std::size_t batch = 0; batch < calls.size(); batch += kSideBySide) {
    std::vector<std::future<store::Step>> running;
    for (std::size_t i = batch; i < std::min(calls.size(), batch + kSideBySide); ++i)
      running.push_back(std::async(std::launch::async, [this, &job, &calls, &seqs, i] {
        return complete_call(job, calls[i], seqs[i]);
      }));
    for (std::size_t i = 0; i < running.size(); ++i)
      steps.emplace_back(calls[batch + i].plan_step, running[i].get());
  }
  return steps;
}

void Orchestrator::pause(const Job& job, std::size_t index, const skills::SkillEntry& entry,
                         const PlannedCall& call, const std::string& args_hash) {
  const std::string& id = job.evaluation.id;
  std::unique_lock decisions(decisions_mutex_);
  auto approval = store_->request_approval(
      {.evaluation_id = id,
       .call_index = static_cast<std::int64_t>(index),
       .skill = entry.full_name,
       .inputs = call.inputs,
       .side_effects = std::string(manifest::side_effects_name(entry.spec->side_effects)),
       .args_hash = args_hash});
  if (!approval) {
    decisions.unlock();
    return finish(job, {.state = store::EvaluationState::failed,
                        .result_type = store::ResultType::error,
                        .error = "cannot ask for an approval of " + entry.full_name + ": " +
                                 approval.error().message});
  }
  record_event(id, "approval.requested", approval_requested_event(*approval));
  record_event(id, "state", {{"state", "waitingForInput"}, {"approvalId", approval->id}});
  audit_approval(*store_, job.who.user, "approval.request", *approval);
  spdlog::info("evaluation {} waits for approval {} of {} ({}, arguments {})", id, approval->id,
               approval->skill, approval->side_effects, approval->args_hash);
  // The evaluation waits without a worker or a slot. A cancel that came while it paused (it
  // waited for decisions_mutex_, or set the flag before) is honoured now; one from a stop is not:
  // a waiting evaluation outlives the process.
  release(id, job.cancelled);
  bool stopping = false;
  {
    std::lock_guard lock(mutex_);
    stopping = stopping_;
  }
  if (job.cancelled->load() && !stopping)
    warn_if_failed(cancel_waiting(id, job.who.user), "cancelling it while it paused", id);
}

Outcome Orchestrator::cancel_waiting(const std::string& evaluation_id, const std::string& by) {
  auto pending = store_->list_approvals(
      {.state = store::ApprovalState::pending, .evaluation_id = evaluation_id});
  if (!pending) return pending.error();
  for (const auto& approval : *pending) {
    auto cancelled = store_->decide_approval(
        approval.id,
        {store::ApprovalState::cancelled, by, "the evaluation was cancelled while it waited"});
    if (!cancelled) return cancelled.error();
    audit_approval(*store_, by, "approval.cancel", *cancelled);
    record_event(evaluation_id, "approval.decided", approval_decided_event(*cancelled));
  }
  const std::string error = "cancelled while it waited for an approval";
  auto updated =
      store_->update_evaluation(evaluation_id, {.state = store::EvaluationState::cancelled,
                                                .result_type = store::ResultType::cancelled,
                                                .error = error});
  if (!updated) return updated.error();
  record_event(evaluation_id, "done",
               {{"state", "cancelled"}, {"resultType", "cancelled"}, {"error", error}});
  return Done{};
}

void Orchestrator::queue_resume(const store::Approval& approval) {
  auto evaluation = store_->get_evaluation(approval.evaluation_id);
  auto prompt = evaluation ? store_->get_prompt(evaluation->prompt_id)
                           : Expected<store::Prompt>(evaluation.error());
  if (!prompt || evaluation->state != store::EvaluationState::waiting_for_input) {
    spdlog::warn("evaluation {} does not resume after approval {}: {}", approval.evaluation_id,
                 approval.id,
                 !prompt ? prompt.error().message
                         : "it is " + std::string(store::to_string(evaluation->state)));
    {
      std::lock_guard lock(mutex_);
      --in_flight_;
    }
    wake_.notify_all();
    return;
  }
  // The evaluation goes on as its requester's (whose plugins and audit trail it uses); the role
  // plays no part in running it.
  Job job{{.user = approval.requested_by, .role = store::Role::contributor, .key_id = {}},
          std::move(*prompt),
          std::move(*evaluation),
          std::make_shared<std::atomic<bool>>(false),
          approval};
  {
    std::lock_guard lock(mutex_);
    running_[job.evaluation.id] = job.cancelled;
    queue_.push_back(std::move(job));
  }
  wake_.notify_one();
}

void Orchestrator::resume_decided() {
  constexpr int kPage = 1000;
  std::lock_guard decisions(decisions_mutex_);
  std::set<std::string> seen;
  std::size_t resumed = 0;
  for (int offset = 0;; offset += kPage) {
    auto page =
        store_->list_approvals({.evaluation_state = store::EvaluationState::waiting_for_input,
                                .page = {.limit = kPage, .offset = offset}});
    if (!page) {
      spdlog::error("cannot look for evaluations to resume: {}", page.error().message);
      return;
    }
    for (const auto& approval : *page) {
      // Newest first: the first seen of an evaluation is the one it waits on.
      if (!seen.insert(approval.evaluation_id).second) continue;
      if (approval.state != store::ApprovalState::approved &&
          approval.state != store::ApprovalState::denied)
        continue;
      {
        std::lock_guard lock(mutex_);
        ++in_flight_;  // beyond max_concurrent if need be: they queue for the workers
      }
      queue_resume(approval);
      ++resumed;
    }
    if (page->size() < static_cast<std::size_t>(kPage)) break;
  }
  if (resumed > 0)
    spdlog::info("resuming {} evaluation(s) whose approval was decided before the last stop",
                 resumed);
}

Outcome Orchestrator::load_paused(const Job& job, planner::Plan& plan,
                                  std::vector<store::Step>& steps) {
  const std::string& id = job.evaluation.id;
  const auto& approval = *job.resumed_by;
  auto stored = store_->evaluation_plan(id);
  if (!stored) return make_error(stored.error().status, "cannot resume: " + stored.error().message);
  auto loaded = plan_from_json(*stored);
  if (!loaded) return make_error(Status::internal, "cannot resume: " + loaded.error().message);
  auto recorded = store_->list_steps(id);
  if (!recorded)
    return make_error(recorded.error().status, "cannot resume: " + recorded.error().message);
  // One step per call, in call order: the steps recorded are the calls made before the pause.
  const auto made = static_cast<std::int64_t>(recorded->size());
  if (approval.call_index != made)
    return make_error(Status::internal, "cannot resume: the approval is for call " +
                                            std::to_string(approval.call_index + 1) + ", but " +
                                            std::to_string(made) + " call(s) were made");
  plan = std::move(*loaded);
  steps = std::move(*recorded);
  return Done{};
}

std::vector<std::string> Orchestrator::earlier_prompts(const Job& job) {
  std::vector<std::string> history;
  if (auto prompts = store_->list_prompts(job.prompt.session_id))
    for (const auto& prompt : *prompts)
      if (prompt.seq < job.prompt.seq) history.push_back(prompt.content);
  return history;
}

std::function<bool(const skills::SkillEntry&)> Orchestrator::enabled_for(const Job& job) {
  auto known = std::make_shared<std::map<std::string, bool>>();
  return [this, known, user = job.who.user](const skills::SkillEntry& entry) {
    auto [it, added] = known->try_emplace(entry.plugin, false);
    if (added) {
      auto on = store_->plugin_enabled(user, entry.plugin);
      it->second = on && *on;
    }
    return it->second;
  };
}

planner::Plan Orchestrator::plan_prompt(const Job& job,
                                        const std::shared_ptr<const plugin::PluginHost>& host) {
  // The session's earlier prompts, for back-references and follow-ups.
  const auto history = earlier_prompts(job);
  return planner_->plan({job.prompt.content, history, host, enabled_for(job)});
}

}  // namespace secpilot::orchestrator
