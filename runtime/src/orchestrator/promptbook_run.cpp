#include "orchestrator/promptbook_run.hpp"

#include <spdlog/spdlog.h>

#include <boost/json/serialize.hpp>
#include <condition_variable>

#include "secpilot/promptbook/render.hpp"
#include "store/random_ids.hpp"

namespace secpilot::orchestrator {
namespace {

namespace json = boost::json;
using SteadyClock = std::chrono::steady_clock;

store::TimeMs now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// "step 2 (Verdict)", or "step 2" for a step without a name: how messages point at a step.
std::string label(const RunStep& step) {
  return "step " + std::to_string(step.number) + (step.name.empty() ? "" : " (" + step.name + ")");
}

RunStepState step_state(store::EvaluationState state) {
  switch (state) {
    case store::EvaluationState::completed:
      return RunStepState::completed;
    case store::EvaluationState::cancelled:
      return RunStepState::cancelled;
    default:
      return RunStepState::failed;
  }
}

}  // namespace

std::string_view to_string(RunState state) noexcept {
  switch (state) {
    case RunState::running:
      return "running";
    case RunState::completed:
      return "completed";
    case RunState::failed:
      return "failed";
    case RunState::cancelled:
      return "cancelled";
    case RunState::interrupted:
      return "interrupted";
  }
  return "failed";
}

std::string_view to_string(RunStepState state) noexcept {
  switch (state) {
    case RunStepState::pending:
      return "pending";
    case RunStepState::submitted:
      return "submitted";
    case RunStepState::completed:
      return "completed";
    case RunStepState::failed:
      return "failed";
    case RunStepState::cancelled:
      return "cancelled";
    case RunStepState::skipped:
      return "skipped";
  }
  return "failed";
}

struct PromptbookRuns::Entry {
  PromptbookRun run;
  Identity who;
  std::size_t current = 0;  // the step in flight, or the next to submit
  bool cancel_requested = false;
  std::optional<SteadyClock::time_point> busy_since;  // when the daemon first refused the step
  std::shared_ptr<void> subscription;                 // to the evaluation in flight
  std::vector<RunEvent> events;
  std::vector<Listener> listeners;

  bool ended() const noexcept { return run.state != RunState::running; }
  RunStep& step() { return run.steps[current]; }
};

// What the worker is asked to look at: runs whose evaluation just ended (posted from the
// orchestrator's threads) and runs to submit again later.
struct PromptbookRuns::Inbox {
  std::mutex mutex;
  std::condition_variable wake;
  std::vector<std::string> ready;
  std::multimap<SteadyClock::time_point, std::string> later;
  bool stopping = false;

  void post(std::string run_id) {
    {
      std::lock_guard lock(mutex);
      ready.push_back(std::move(run_id));
    }
    wake.notify_one();
  }
  void post_at(SteadyClock::time_point when, std::string run_id) {
    {
      std::lock_guard lock(mutex);
      later.emplace(when, std::move(run_id));
    }
    wake.notify_one();
  }
};

PromptbookRuns::PromptbookRuns(Orchestrator& orchestrator, std::shared_ptr<store::Store> store,
                               PromptbookRunsOptions options)
    : orchestrator_(orchestrator),
      store_(std::move(store)),
      options_(options),
      inbox_(std::make_shared<Inbox>()) {
  worker_ = std::thread([this] { work(); });
}

PromptbookRuns::~PromptbookRuns() {
  stop();
}

Expected<PromptbookRun> PromptbookRuns::start(const Identity& who,
                                              const promptbook::Promptbook& book,
                                              const json::object& parameters,
                                              const std::string& session_id) {
  auto resolved = promptbook::resolve_parameters(book, parameters);
  if (!resolved) return resolved.error();
  auto rendered = promptbook::render(book, parameters);
  if (!rendered) return rendered.error();
  {
    std::lock_guard lock(mutex_);
    if (stopped_) return make_error(Status::unsupported, "the daemon is stopping");
  }

  std::string session = session_id;
  if (session.empty()) {
    auto made =
        store_->create_session(who.user, book.display_name.empty() ? book.name : book.display_name);
    if (!made) return made.error();
    session = made->id;
  } else if (auto existing = store_->get_session(session, who.user); !existing) {
    return existing.error();
  }

  PromptbookRun run{.id = store::new_id(),
                    .promptbook = book.name,
                    .display_name = book.display_name,
                    .user = who.user,
                    .session_id = session,
                    .session_created = session_id.empty(),
                    .parameters = std::move(*resolved),
                    .created_ms = now_ms()};
  for (auto& step : *rendered)
    run.steps.push_back({.number = step.number,
                         .name = std::move(step.name),
                         .kind = step.kind,
                         .prompt = std::move(step.prompt)});
  if (run.steps.empty())  // lint refuses a promptbook without steps; this keeps step() safe
    return make_error(Status::invalid_input, "promptbook " + book.name + " has no steps");

  // The first step is submitted here, so that a refusal (a busy daemon) reaches the caller and
  // nothing is left behind; the worker submits the others.
  auto submitted = orchestrator_.submit(who, session, run.steps.front().prompt);
  if (!submitted) {
    if (run.session_created)
      if (auto removed = store_->delete_session(session, who.user); !removed)
        spdlog::warn("promptbook run: the session {} made for it was not removed: {}", session,
                     removed.error().message);
    return submitted.error();
  }

  auto entry = std::make_shared<Entry>();
  entry->run = std::move(run);
  entry->who = who;
  PromptbookRun snapshot;
  {
    std::lock_guard lock(mutex_);
    runs_[entry->run.id] = entry;
    record_submitted(*entry, *submitted);
    if (stopped_)
      finish(*entry, RunState::interrupted,
             "the daemon stopped during step 1: the steps after it were not submitted", 1);
    snapshot = entry->run;
  }
  inbox_->post(snapshot.id);  // its evaluation may have ended before the subscription
  store_->queue_audit({.actor = who.user,
                       .action = "promptbook.run",
                       .target = snapshot.promptbook,
                       .details = {{"run", snapshot.id},
                                   {"session", snapshot.session_id},
                                   {"steps", snapshot.steps.size()}}});
  spdlog::info("promptbook run {}: {} for {} in session {}", snapshot.id, snapshot.promptbook,
               who.user, snapshot.session_id);
  return snapshot;
}

Expected<PromptbookRun> PromptbookRuns::get(const Identity& who, std::string_view id) const {
  std::lock_guard lock(mutex_);
  auto entry = owned(who, id);
  if (!entry)
    return make_error(Status::not_found,
                      "no promptbook run " + std::string(id) +
                          " (runs are kept in memory: a restart forgets them, and only the last " +
                          std::to_string(options_.keep_finished) + " finished runs are kept)");
  return entry->run;
}

Outcome PromptbookRuns::cancel(const Identity& who, std::string_view id) {
  std::string evaluation_id;
  {
    std::lock_guard lock(mutex_);
    auto entry = owned(who, id);
    if (!entry) return make_error(Status::not_found, "no promptbook run " + std::string(id));
    if (entry->ended())
      return make_error(Status::invalid_input, "promptbook run " + std::string(id) +
                                                   " has already ended (" +
                                                   std::string(to_string(entry->run.state)) + ")");
    entry->cancel_requested = true;
    if (entry->step().state == RunStepState::submitted)
      evaluation_id = entry->step().evaluation_id;
    else
      finish(*entry, RunState::cancelled,
             "cancelled by " + who.user + " before " + label(entry->step()) + " was submitted",
             entry->step().number);
  }
  if (!evaluation_id.empty()) {
    // It may have ended just now (a conflict): the run stops all the same, when the worker sees
    // the end and the request.
    auto cancelled = orchestrator_.cancel(who, evaluation_id);
    (void)cancelled;
    inbox_->post(std::string(id));
  }
  return Done{};
}

Expected<bool> PromptbookRuns::follow(const Identity& who, std::string_view id, std::int64_t after,
                                      Listener listener) {
  std::lock_guard lock(mutex_);
  auto entry = owned(who, id);
  if (!entry) return make_error(Status::not_found, "no promptbook run " + std::string(id));
  for (const auto& event : entry->events)
    if (event.seq > after && !listener(event)) return !entry->ended();
  if (entry->ended()) return false;
  entry->listeners.push_back(std::move(listener));
  return true;
}

void PromptbookRuns::stop() {
  {
    std::lock_guard lock(inbox_->mutex);
    inbox_->stopping = true;
  }
  inbox_->wake.notify_all();
  // The worker first, so that no step is being submitted while the runs end.
  if (worker_.joinable()) worker_.join();
  std::lock_guard lock(mutex_);
  if (stopped_) return;
  stopped_ = true;
  // Collected first: finishing a run may forget old ones, which changes runs_.
  std::vector<std::shared_ptr<Entry>> running;
  for (const auto& [id, entry] : runs_)
    if (!entry->ended()) running.push_back(entry);
  for (const auto& entry : running) {
    const RunStep& step = entry->step();
    finish(
        *entry, RunState::interrupted,
        step.state == RunStepState::submitted
            ? "the daemon stopped during " + label(step) + ": the steps after it were not submitted"
            : "the daemon stopped before " + label(step) + " was submitted",
        step.number);
  }
}

std::shared_ptr<PromptbookRuns::Entry> PromptbookRuns::find(std::string_view id) const {
  auto it = runs_.find(id);
  return it == runs_.end() ? nullptr : it->second;
}

std::shared_ptr<PromptbookRuns::Entry> PromptbookRuns::owned(const Identity& who,
                                                             std::string_view id) const {
  auto entry = find(id);
  return entry && entry->run.user == who.user ? entry : nullptr;
}

void PromptbookRuns::work() {
  while (true) {
    std::vector<std::string> due;
    {
      std::unique_lock lock(inbox_->mutex);
      while (true) {
        if (inbox_->stopping) return;
        const auto now = SteadyClock::now();
        while (!inbox_->later.empty() && inbox_->later.begin()->first <= now) {
          inbox_->ready.push_back(std::move(inbox_->later.begin()->second));
          inbox_->later.erase(inbox_->later.begin());
        }
        if (!inbox_->ready.empty()) break;
        if (inbox_->later.empty())
          inbox_->wake.wait(lock);
        else
          inbox_->wake.wait_until(lock, inbox_->later.begin()->first);
      }
      due.swap(inbox_->ready);
    }
    for (const auto& run_id : due) {
      try {
        advance(run_id);
      } catch (const std::exception& e) {
        spdlog::error("promptbook run {}: {}", run_id, e.what());
      }
    }
  }
}

void PromptbookRuns::advance(const std::string& run_id) {
  std::string evaluation_id;
  {
    std::lock_guard lock(mutex_);
    auto entry = find(run_id);
    if (!entry || entry->ended()) return;
    const RunStep& step = entry->step();
    if (step.state == RunStepState::submitted)
      evaluation_id = step.evaluation_id;
    else if (step.state != RunStepState::pending)
      return;
  }
  if (evaluation_id.empty()) return submit_current(run_id);  // a step the daemon was too busy for

  auto evaluation = store_->get_evaluation(evaluation_id);
  if (!evaluation) {
    spdlog::warn("promptbook run {}: cannot read evaluation {}: {}; trying again", run_id,
                 evaluation_id, evaluation.error().message);
    inbox_->post_at(SteadyClock::now() + options_.busy_retry, run_id);
    return;
  }
  // Not ended (running, or waiting for an approval): its "done" event will bring us back.
  if (!store::is_terminal(evaluation->state)) return;
  bool next = false;
  {
    std::lock_guard lock(mutex_);
    auto entry = find(run_id);
    if (!entry || entry->ended()) return;
    const RunStep& step = entry->step();
    if (step.state != RunStepState::submitted || step.evaluation_id != evaluation_id) return;
    next = end_step(*entry, *evaluation);
  }
  if (next) submit_current(run_id);
}

void PromptbookRuns::submit_current(const std::string& run_id) {
  Identity who;
  std::string session;
  std::string prompt;
  {
    std::lock_guard lock(mutex_);
    auto entry = find(run_id);
    if (!entry || entry->ended()) return;
    who = entry->who;
    session = entry->run.session_id;
    prompt = entry->step().prompt;
  }
  auto submitted = orchestrator_.submit(who, session, prompt);
  bool orphaned = false;  // the run ended (was cancelled) while its step was being submitted
  {
    std::lock_guard lock(mutex_);
    auto entry = find(run_id);
    if (!entry || entry->ended()) {
      orphaned = submitted.has_value();
    } else if (submitted) {
      entry->busy_since.reset();
      record_submitted(*entry, *submitted);
    } else {
      const auto now = SteadyClock::now();
      if (submitted.error().status == Status::rate_limited) {
        if (!entry->busy_since) entry->busy_since = now;
        if (now - *entry->busy_since < options_.busy_limit) {
          inbox_->post_at(now + options_.busy_retry, run_id);
          return;
        }
      }
      RunStep& step = entry->step();
      step.state = RunStepState::failed;
      step.error = submitted.error().message;
      publish(*entry, "step.ended",
              {{"step", step.number}, {"state", to_string(step.state)}, {"error", step.error}});
      finish(*entry, RunState::failed, label(step) + " could not be submitted: " + step.error,
             step.number);
      return;
    }
  }
  if (orphaned) {
    auto cancelled = orchestrator_.cancel(who, submitted->evaluation.id);
    (void)cancelled;
    return;
  }
  if (submitted) inbox_->post(run_id);  // its evaluation may have ended before the subscription
}

void PromptbookRuns::record_submitted(Entry& entry, const Submitted& submitted) {
  RunStep& step = entry.step();
  step.prompt_id = submitted.prompt.id;
  step.evaluation_id = submitted.evaluation.id;
  step.state = RunStepState::submitted;
  json::object data{{"step", step.number},
                    {"kind", step.kind == promptbook::StepKind::Skill ? "skill" : "prompt"},
                    {"prompt", step.prompt},
                    {"promptId", step.prompt_id},
                    {"evaluationId", step.evaluation_id}};
  if (!step.name.empty()) data["name"] = step.name;
  publish(entry, "step.submitted", data);
  // Only a wake-up: the worker reads how it ended from the store. Weak, as the orchestrator may
  // call a listener it copied after we are gone.
  entry.subscription = orchestrator_.events().subscribe(
      step.evaluation_id,
      [inbox = std::weak_ptr<Inbox>(inbox_), run_id = entry.run.id](const store::Event& event) {
        if (event.type != "done") return;
        if (auto alive = inbox.lock()) alive->post(run_id);
      });
}

bool PromptbookRuns::end_step(Entry& entry, const store::Evaluation& evaluation) {
  RunStep& step = entry.step();
  step.state = step_state(evaluation.state);
  step.error = evaluation.error;
  entry.subscription.reset();
  json::object data{{"step", step.number},
                    {"state", to_string(step.state)},
                    {"evaluationId", step.evaluation_id}};
  if (!step.error.empty()) data["error"] = step.error;
  publish(entry, "step.ended", data);

  const bool last = entry.current + 1 == entry.run.steps.size();
  if (step.state == RunStepState::completed && last) {
    finish(entry, RunState::completed, {}, 0);
    return false;
  }
  if (entry.cancel_requested) {
    finish(entry, RunState::cancelled,
           "cancelled by " + entry.who.user +
               (step.state == RunStepState::completed ? " after " : " during ") + label(step),
           step.number);
    return false;
  }
  if (step.state == RunStepState::failed) {
    finish(entry, RunState::failed,
           label(step) + " failed: " + (step.error.empty() ? "its evaluation failed" : step.error),
           step.number);
    return false;
  }
  if (step.state == RunStepState::cancelled) {
    finish(entry, RunState::cancelled,
           label(step) + " was cancelled" + (step.error.empty() ? "" : ": " + step.error),
           step.number);
    return false;
  }
  ++entry.current;
  return true;
}

void PromptbookRuns::finish(Entry& entry, RunState state, std::string error,
                            std::size_t stopped_at) {
  PromptbookRun& run = entry.run;
  run.state = state;
  run.error = std::move(error);
  run.stopped_at = stopped_at;
  run.ended_ms = now_ms();
  for (auto& step : run.steps)
    if (step.state == RunStepState::pending) step.state = RunStepState::skipped;
  entry.subscription.reset();
  json::object data{{"state", to_string(state)}};
  if (!run.error.empty()) data["error"] = run.error;
  if (stopped_at != 0) data["stoppedAtStep"] = stopped_at;
  publish(entry, "done", data);
  entry.listeners.clear();
  spdlog::info("promptbook run {}: {}{}", run.id, to_string(state),
               run.error.empty() ? "" : ": " + run.error);

  finished_.push_back(run.id);
  while (finished_.size() > options_.keep_finished) {
    runs_.erase(finished_.front());
    finished_.pop_front();
  }
}

void PromptbookRuns::publish(Entry& entry, std::string_view type, const json::object& data) {
  entry.events.push_back({static_cast<std::int64_t>(entry.events.size()) + 1, std::string(type),
                          json::serialize(data)});
  const RunEvent& event = entry.events.back();
  std::erase_if(entry.listeners, [&](const Listener& listener) { return !listener(event); });
}

}  // namespace secpilot::orchestrator
