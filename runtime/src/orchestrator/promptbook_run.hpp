// Promptbook runs: a promptbook's rendered steps submitted one after another as prompts in one
// session, each once the evaluation of the step before has ended, stopping at the first step whose
// evaluation fails or is cancelled. Runs live in memory: a restart ends the remaining steps of the
// runs in progress (the evaluations already submitted stay in the store like any other).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <boost/json/object.hpp>

#include "secpilot/orchestrator/orchestrator.hpp"
#include "secpilot/promptbook/promptbook.hpp"
#include "secpilot/store/store.hpp"
#include "secpilot/util/expected.hpp"

namespace secpilot::orchestrator {

// Wire names: "running", "completed", "failed", "cancelled", "interrupted" (the daemon stopped).
enum class RunState { running, completed, failed, cancelled, interrupted };
// Wire names: "pending" (not submitted yet), "submitted" (its evaluation has not ended; its own
// state says more), "completed", "failed", "cancelled", "skipped" (the run stopped before it).
enum class RunStepState { pending, submitted, completed, failed, cancelled, skipped };

std::string_view to_string(RunState state) noexcept;
std::string_view to_string(RunStepState state) noexcept;

struct RunStep {
  std::size_t number = 0;  // 1-based position in the promptbook's Steps
  std::string name{};
  promptbook::StepKind kind = promptbook::StepKind::Prompt;
  std::string prompt{};  // what is submitted: free text, or `/Plugin.Skill name=value ...`
  std::string prompt_id{};
  std::string evaluation_id{};
  RunStepState state = RunStepState::pending;
  std::string error{};  // why its evaluation failed or was cancelled, or why it was not submitted
};

struct PromptbookRun {
  std::string id{};
  std::string promptbook{};  // the promptbook's Name
  std::string display_name{};
  std::string user{};
  std::string session_id{};
  bool session_created = false;      // the run made the session (none was given)
  boost::json::object parameters{};  // as resolved: typed, defaults applied
  RunState state = RunState::running;
  std::string error{};         // why it did not complete
  std::size_t stopped_at = 0;  // the step that stopped it (1-based); 0 when none did
  store::TimeMs created_ms = 0;
  store::TimeMs ended_ms = 0;
  std::vector<RunStep> steps{};
};

// One event of a run's stream: "step.submitted", "step.ended", and "done" last. seq is the SSE id
// (1, 2, ... within the run).
struct RunEvent {
  std::int64_t seq = 0;
  std::string type{};
  std::string data{};  // JSON text
};

struct PromptbookRunsOptions {
  std::size_t keep_finished = 500;  // finished runs kept for reading, the oldest forgotten first
  // A step refused because max_concurrent_evaluations are in flight is submitted again this often,
  // for at most busy_limit; then the run fails at that step.
  std::chrono::milliseconds busy_retry{1000};
  std::chrono::milliseconds busy_limit{300'000};
};

class PromptbookRuns {
 public:
  // Called under the runs' lock: keep it short and non-blocking, never call back into the runs.
  // Returning false stops the calls.
  using Listener = std::function<bool(const RunEvent&)>;

  PromptbookRuns(Orchestrator& orchestrator, std::shared_ptr<store::Store> store,
                 PromptbookRunsOptions options = {});
  ~PromptbookRuns();  // stop()
  PromptbookRuns(const PromptbookRuns&) = delete;
  PromptbookRuns& operator=(const PromptbookRuns&) = delete;

  // Renders the promptbook with `parameters` (invalid_input naming each unknown or missing one,
  // or a value of the wrong type), checks the caller's session, or creates one named after the
  // promptbook when `session_id` is empty, and submits the first step; the others follow on their
  // own. Fails as Orchestrator::submit does (not_found for another user's session, rate_limited
  // when the daemon is busy), leaving nothing behind.
  Expected<PromptbookRun> start(const Identity& who, const promptbook::Promptbook& book,
                                const boost::json::object& parameters,
                                const std::string& session_id);
  // A snapshot of the caller's run; not_found for an unknown or forgotten run, or another user's.
  Expected<PromptbookRun> get(const Identity& who, std::string_view id) const;
  // Submits no further step and cancels the one in flight; the run ends cancelled. invalid_input
  // when it has already ended.
  Outcome cancel(const Identity& who, std::string_view id);
  // Calls `listener` with each of the run's events after `after`, then with each new one until it
  // returns false or the run has ended. True while more events may come; false when the run has
  // ended and every event was given.
  Expected<bool> follow(const Identity& who, std::string_view id, std::int64_t after,
                        Listener listener);
  // Submits no further step; runs still in progress end interrupted (their step in flight goes on
  // as any evaluation). Call it before stopping the orchestrator.
  void stop();

 private:
  struct Entry;
  struct Inbox;

  std::shared_ptr<Entry> find(std::string_view id) const;  // caller holds mutex_
  // The run if it is the caller's (another user's is not even acknowledged); caller holds mutex_.
  std::shared_ptr<Entry> owned(const Identity& who, std::string_view id) const;
  void work();
  // Checks the step in flight and, once its evaluation has ended, moves the run on.
  void advance(const std::string& run_id);
  // Submits the run's current step (or, when refused for being busy, tries again later).
  void submit_current(const std::string& run_id);
  // Caller holds mutex_ for each of these.
  void record_submitted(Entry& entry, const Submitted& submitted);
  // True when the run goes on with its next step, which the caller then submits.
  bool end_step(Entry& entry, const store::Evaluation& evaluation);
  void finish(Entry& entry, RunState state, std::string error, std::size_t stopped_at);
  void publish(Entry& entry, std::string_view type, const boost::json::object& data);

  Orchestrator& orchestrator_;
  std::shared_ptr<store::Store> store_;
  PromptbookRunsOptions options_;
  std::shared_ptr<Inbox> inbox_;  // shared with the evaluation listeners, which may outlive us

  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Entry>, std::less<>> runs_;
  std::deque<std::string> finished_;  // ids of ended runs, oldest first
  bool stopped_ = false;
  std::thread worker_;
};

}  // namespace secpilot::orchestrator
