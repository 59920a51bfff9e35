// Runs one evaluation of a prompt: resolve what to call (a direct invocation, or the planner),
// check each call against the caller's enabled plugins and the approval gate, run the skills,
// record every step and event in the store, compose the answer. Evaluations run on a bounded pool
// of their own threads.
//
// A call of a skill with side effects (SideEffects write or destructive) pauses the evaluation in
// waitingForInput with a pending approval bound to the call's skill and inputs. Deciding it
// resumes the evaluation from its stored plan and process log, in this process or after a restart:
// completed steps are kept, the approved call runs if its arguments still hash the same (else a
// new approval is asked for), a denied one fails with the decider's reason, and the rest follows.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "secpilot/model/tool_loop.hpp"
#include "secpilot/orchestrator/event_bus.hpp"
#include "secpilot/orchestrator/per_host.hpp"
#include "secpilot/orchestrator/planner.hpp"
#include "secpilot/plugin/plugin_host.hpp"
#include "secpilot/skills/call_threads.hpp"
#include "secpilot/store/store.hpp"

namespace secpilot::orchestrator {

struct ModelIndex;
struct PausedConversation;

// Who is asking: resolved from the API key.
struct Identity {
  std::string user;
  store::Role role = store::Role::reader;
  std::string key_id;
};

// The current plugin host (reload swaps it; calls in flight keep the one they started with).
using HostSource = std::function<std::shared_ptr<const plugin::PluginHost>()>;

struct OrchestratorOptions {
  std::size_t max_concurrent = 16;  // evaluations running or queued at once
  std::chrono::milliseconds default_skill_timeout{30'000};
  // Called after every skill call with the skill, its outcome ("ok" or a status name) and seconds.
  std::function<void(const std::string&, std::string_view, double)> on_skill_call;
  std::shared_ptr<skills::CallThreads> call_threads;  // where skill calls run; optional
  // The session so far as JSON (the API's session export), for a step that reports on the
  // session; "{}" when unset. Given the session id and its owner.
  std::function<std::string(const std::string&, const std::string&)> session_export;
  // The LLM planner (docs/model.md): with a model, free-text prompts run the function-calling
  // loop over the skills retrieval finds for them; without one, the planner given to the
  // constructor plans them. A model evaluation that asks for a call with side effects pauses for
  // its approval like a planned one, and resumes the conversation with the decision.
  std::shared_ptr<const model::ChatModel> model;
  model::LoopLimits model_limits;
  std::size_t model_tools = 12;  // skills offered to the model per prompt
  // Values never sent to the model besides every plugin's secrets: the model's own key.
  std::vector<std::string> model_secrets;
};

struct Submitted {
  store::Prompt prompt;
  store::Evaluation evaluation;
};

class Orchestrator {
 public:
  // Starts the workers, and resumes the evaluations whose approval was decided before the last
  // stop but that had not resumed yet.
  Orchestrator(std::shared_ptr<store::Store> store, HostSource hosts,
               std::shared_ptr<const Planner> planner, OrchestratorOptions options);
  ~Orchestrator();  // cancels what still runs and joins the workers
  Orchestrator(const Orchestrator&) = delete;
  Orchestrator& operator=(const Orchestrator&) = delete;

  // Records the prompt in the caller's session and starts a new evaluation of it. Fails with
  // not_found for another user's session, rate_limited when max_concurrent evaluations are busy.
  Expected<Submitted> submit(const Identity& who, const std::string& session_id,
                             const std::string& content);
  // Asks a created or running evaluation to stop; its state becomes cancelled. One waiting for an
  // approval is cancelled at once, and so is its pending approval.
  Outcome cancel(const Identity& who, const std::string& evaluation_id);

  // An approval the caller may see: one of their own evaluations', or any for an owner.
  // not_found otherwise, as for an unknown id.
  Expected<store::Approval> approval(const Identity& who, const std::string& approval_id);
  // The approvals the caller may see that match `query` (its requested_by is set to the caller's
  // user unless the caller is an owner), newest first.
  Expected<std::vector<store::Approval>> approvals(const Identity& who, store::ApprovalQuery query);
  // Approves or denies (`decision`) a pending approval the caller may see, with an optional
  // reason, and resumes its evaluation. not_found as approval(); forbidden for a reader;
  // invalid_input when it was already decided or cancelled; rate_limited when max_concurrent
  // evaluations are busy (nothing is decided then); unsupported while stopping.
  Expected<store::Approval> decide(const Identity& who, const std::string& approval_id,
                                   store::ApprovalState decision, const std::string& reason);

  // Stops taking work; cancels evaluations still running after `grace`, then joins. Resumptions
  // of decided approvals that have not started are left waiting: the next start resumes them.
  void stop(std::chrono::milliseconds grace);

  EventBus& events() noexcept { return events_; }
  std::size_t in_flight() const noexcept { return in_flight_.load(); }

 private:
  using CancelFlag = std::shared_ptr<std::atomic<bool>>;
  struct Job {
    Identity who;
    store::Prompt prompt;
    store::Evaluation evaluation;
    CancelFlag cancelled;
    // Set when the job resumes a paused evaluation: the approval that was decided.
    std::optional<store::Approval> resumed_by;
  };

  void work();
  void run(const Job& job);
  // For a job that resumes a paused evaluation: its stored plan and the steps made before the
  // pause. An error (a plan or process log that does not fit) ends the evaluation.
  Outcome load_paused(const Job& job, planner::Plan& plan, std::vector<store::Step>& steps);
  // Plans a free-text prompt over `host`'s skills that the caller has enabled, with the
  // session's earlier prompts as history.
  planner::Plan plan_prompt(const Job& job, const std::shared_ptr<const plugin::PluginHost>& host);
  // The session's prompts before the job's, oldest first.
  std::vector<std::string> earlier_prompts(const Job& job);
  // Whether the job's user has a skill's plugin enabled (each plugin asked of the store once).
  std::function<bool(const skills::SkillEntry&)> enabled_for(const Job& job);

  // With a model (model_evaluation.cpp): a free-text prompt as a conversation with the model over
  // the skills retrieval offers it; the resumption of one that paused for an approval; and the
  // loop both run, which pauses again or finishes the evaluation.
  void run_model(const Job& job, const std::shared_ptr<const plugin::PluginHost>& host);
  void resume_model(const Job& job, const std::shared_ptr<const plugin::PluginHost>& host,
                    const boost::json::value& stored);
  void converse(const Job& job, const std::shared_ptr<const plugin::PluginHost>& host,
                model::LoopInput input);
  // A call about to be made: of which plan step, with what, and why it cannot run if it cannot.
  struct CallToRun {
    std::size_t plan_step = 0;
    PlannedCall call;
    const skills::SkillEntry* entry = nullptr;  // null: no such skill
    Status error_status = Status::ok;           // not ok: recorded as failed, not run
    std::string error;
    std::string approval_id;  // the approval it runs under, if any
  };
  // Records the calls' steps in order, then runs them side by side (a few at a time); the steps
  // come back in call order with the plan step each belongs to.
  std::vector<std::pair<std::size_t, store::Step>> run_calls(const Job& job,
                                                             const std::vector<CallToRun>& calls);
  // Records the call's step as started; returns its sequence number.
  std::int64_t begin_call(const Job& job, const CallToRun& call);
  // Runs the call (unless `error_status` already says why it cannot run) and records its end.
  store::Step complete_call(const Job& job, const CallToRun& call, std::int64_t seq);
  // Asks for an approval of call `index` and leaves the evaluation waiting for it.
  void pause(const Job& job, std::size_t index, const skills::SkillEntry& entry,
             const PlannedCall& call, const std::string& args_hash);
  // Records the evaluation's final state, frees its slot, then sends "done".
  void finish(const Job& job, const store::EvaluationUpdate& update);
  // With decisions_mutex_ held: cancels an evaluation waiting for an approval.
  Outcome cancel_waiting(const std::string& evaluation_id, const std::string& by);
  // With decisions_mutex_ held and a slot reserved: queues the job that resumes the approval's
  // evaluation. Does nothing (and frees the slot) when the evaluation no longer waits.
  void queue_resume(const store::Approval& approval);
  // At start-up: resumes the evaluations whose approval was decided by an earlier process that
  // stopped before it resumed them.
  void resume_decided();
  // Frees the evaluation's concurrency slot if `flag` is still the evaluation's (once; later
  // calls do nothing).
  void release(const std::string& evaluation_id, const CancelFlag& flag);
  void record_event(const std::string& evaluation_id, std::string_view type,
                    const boost::json::object& data);

  std::shared_ptr<store::Store> store_;
  HostSource hosts_;
  std::shared_ptr<const Planner> planner_;
  OrchestratorOptions options_;
  EventBus events_;
  PerHost<ModelIndex> model_index_;

  // Serialises what moves an evaluation in or out of waitingForInput (pausing, deciding,
  // cancelling a waiting one), so that none of them sees another half done. Taken before mutex_.
  std::mutex decisions_mutex_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;
  std::map<std::string, CancelFlag> running_;  // evaluation queued or running → its cancel flag
  std::atomic<std::size_t> in_flight_{0};
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace secpilot::orchestrator
