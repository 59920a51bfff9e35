// Runs one evaluation of a prompt: resolve what to call (a direct invocation, or the planner),
// check each call against the caller's enabled plugins, run the skills, record every step and event
// in the store, compose the answer. Evaluations run on a bounded pool of their own threads.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "secpilot/orchestrator/event_bus.hpp"
#include "secpilot/orchestrator/planner.hpp"
#include "secpilot/plugin/plugin_host.hpp"
#include "secpilot/skills/call_threads.hpp"
#include "secpilot/store/store.hpp"

namespace secpilot::orchestrator {

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
};

struct Submitted {
  store::Prompt prompt;
  store::Evaluation evaluation;
};

class Orchestrator {
 public:
  Orchestrator(std::shared_ptr<store::Store> store, HostSource hosts,
               std::shared_ptr<const Planner> planner, OrchestratorOptions options);
  ~Orchestrator();  // cancels what still runs and joins the workers
  Orchestrator(const Orchestrator&) = delete;
  Orchestrator& operator=(const Orchestrator&) = delete;

  // Records the prompt in the caller's session and starts a new evaluation of it. Fails with
  // not_found for another user's session, rate_limited when max_concurrent evaluations are busy.
  Expected<Submitted> submit(const Identity& who, const std::string& session_id,
                             const std::string& content);
  // Asks a created or running evaluation to stop; its state becomes cancelled.
  Outcome cancel(const Identity& who, const std::string& evaluation_id);
  // Stops taking work; cancels evaluations still running after `grace`, then joins.
  void stop(std::chrono::milliseconds grace);

  EventBus& events() noexcept { return events_; }
  std::size_t in_flight() const noexcept { return in_flight_.load(); }

 private:
  struct Job {
    Identity who;
    store::Prompt prompt;
    store::Evaluation evaluation;
    std::shared_ptr<std::atomic<bool>> cancelled;
  };

  void work();
  void run(const Job& job);
  // Frees the evaluation's concurrency slot (once; later calls do nothing).
  void release(const std::string& evaluation_id);
  void record_event(const std::string& evaluation_id, std::string_view type,
                    const boost::json::object& data);

  std::shared_ptr<store::Store> store_;
  HostSource hosts_;
  std::shared_ptr<const Planner> planner_;
  OrchestratorOptions options_;
  EventBus events_;

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;
  std::map<std::string, std::shared_ptr<std::atomic<bool>>> running_;  // evaluation → cancel flag
  std::atomic<std::size_t> in_flight_{0};
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace secpilot::orchestrator
