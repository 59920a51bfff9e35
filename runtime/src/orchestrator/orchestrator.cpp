#include "secpilot/orchestrator/orchestrator.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "orchestrator/answer.hpp"
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
  Job job{who, *prompt, *evaluation, std::make_shared<std::atomic<bool>>(false)};
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
  std::lock_guard lock(mutex_);
  if (auto it = running_.find(evaluation_id); it != running_.end()) it->second->store(true);
  return Done{};
}

void Orchestrator::stop(std::chrono::milliseconds grace) {
  {
    std::unique_lock lock(mutex_);
    if (stopping_ && workers_.empty()) return;
    stopping_ = true;
    // Queued work never started: it is cancelled at once. Running work gets the grace period.
    for (auto& job : queue_)
      job.cancelled->store(true);
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
    release(job.evaluation.id);
  }
}

void Orchestrator::release(const std::string& evaluation_id) {
  {
    std::lock_guard lock(mutex_);
    // Once per evaluation: finishing releases it, and the worker again after run() returns.
    if (running_.erase(evaluation_id) == 0) return;
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

void Orchestrator::run(const Job& job) {
  const std::string& id = job.evaluation.id;
  auto finish = [&](store::EvaluationUpdate update) {
    warn_if_failed(store_->update_evaluation(id, update), "recording the result", id);
    boost::json::object done{{"state", store::to_string(update.state)},
                             {"resultType", store::to_string(update.result_type)}};
    if (!update.error.empty()) done["error"] = update.error;
    // The slot is free before anyone hears "done", so a client that submits its next prompt on
    // that event is never refused as over the concurrency limit.
    release(id);
    record_event(id, "done", done);
  };
  if (job.cancelled->load())
    return finish({.state = store::EvaluationState::cancelled,
                   .result_type = store::ResultType::cancelled,
                   .error = "cancelled before it started"});
  warn_if_failed(store_->update_evaluation(id, {.state = store::EvaluationState::running}),
                 "marking it running", id);
  record_event(id, "state", {{"state", "running"}});

  const auto host = hosts_();
  const auto& catalog = host->catalog();
  std::vector<PlannedCall> calls;
  if (auto direct = parse_direct_invocation(job.prompt.content)) {
    if (!*direct)
      return finish({.state = store::EvaluationState::failed,
                     .result_type = store::ResultType::error,
                     .error = direct->error().message});
    calls.push_back({(*direct)->skill, (*direct)->inputs});
  } else {
    auto planned = planner_->plan(job.prompt.content, catalog);
    if (!planned)
      return finish({.state = store::EvaluationState::failed,
                     .result_type = store::ResultType::error,
                     .result_content = planned.error().message,
                     .error = planned.error().message});
    calls = std::move(*planned);
  }

  std::vector<store::Step> steps;
  bool all_ok = true;
  for (const auto& call : calls) {
    if (job.cancelled->load()) break;
    const auto* entry = catalog.find(call.skill);
    std::string error;
    Status error_status = Status::ok;
    if (!entry) {
      auto close = catalog.suggest(call.skill);
      error = "no skill named '" + call.skill + "'" +
              (close.empty() ? "" : " — did you mean " + close.front() + "?");
      error_status = Status::not_found;
    } else if (auto enabled = store_->plugin_enabled(job.who.user, entry->plugin);
               !enabled || !*enabled) {
      error = "plugin " + entry->plugin + " is disabled for you — enable it under Sources";
      error_status = Status::forbidden;
    }
    const std::string skill_name = entry ? entry->full_name : call.skill;
    auto seq = store_->append_step(id, {.skill = skill_name, .inputs = call.inputs});
    if (!seq) throw std::runtime_error(seq.error().message);
    record_event(id, "step.started",
                 {{"seq", *seq}, {"skill", skill_name}, {"inputs", call.inputs}});

    store::Step step{.evaluation_id = id, .seq = *seq, .skill = skill_name, .inputs = call.inputs};
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
    auto finished_step = store_->finish_step(id, *seq,
                                             {.state = step.state,
                                              .output = step.output,
                                              .error_status = error_status,
                                              .error_message = error,
                                              .duration_ms = step.duration_ms});
    warn_if_failed(finished_step, "recording the step's end", id);
    boost::json::object finished{{"seq", *seq},
                                 {"skill", skill_name},
                                 {"state", store::to_string(step.state)},
                                 {"durationMs", step.duration_ms}};
    if (step.output) finished["output"] = *step.output;
    if (!error.empty())
      finished["error"] = {{"status", status_name(error_status)}, {"message", error}};
    record_event(id, "step.finished", finished);
    store_->queue_audit({.actor = job.who.user,
                         .action = "skill.invoke",
                         .target = skill_name,
                         .outcome = error_status == Status::ok ? store::AuditOutcome::ok
                                    : error_status == Status::forbidden
                                        ? store::AuditOutcome::denied
                                        : store::AuditOutcome::error,
                         .details = {{"evaluation", id},
                                     {"status", status_name(error_status)},
                                     {"durationMs", step.duration_ms}}});
    if (options_.on_skill_call)
      options_.on_skill_call(
          skill_name, error_status == Status::ok ? "ok" : status_name(error_status), seconds);
    all_ok = all_ok && error_status == Status::ok;
    steps.push_back(std::move(step));
  }

  if (job.cancelled->load())
    return finish({.state = store::EvaluationState::cancelled,
                   .result_type = store::ResultType::cancelled,
                   .error = "cancelled"});
  const std::string answer = compose_answer(steps, catalog);
  record_event(id, "answer", {{"content", answer}});
  store::EvaluationUpdate update{
      .state = all_ok ? store::EvaluationState::completed : store::EvaluationState::failed,
      .result_type = all_ok ? store::ResultType::success : store::ResultType::error,
      .result_content = answer};
  if (steps.size() == 1 && steps.front().output) update.result_json = steps.front().output;
  if (!all_ok) update.error = steps.empty() ? "nothing ran" : steps.back().error_message;
  finish(update);
}

}  // namespace secpilot::orchestrator
