// Threads that run skill calls for skills::invoke(), kept and reused: starting a thread for every
// call cost more than a typical call itself. A thread stuck in a plugin that ignores its deadline
// just is not reused until the plugin returns; another thread starts meanwhile, so a hung plugin
// never delays anyone else's call.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>

namespace secpilot::skills {

class CallThreads {
 public:
  // `max_idle`: threads kept waiting for work; more exit as soon as they finish. An idle thread
  // also exits after `idle_exit` without work, so an idle daemon holds few.
  explicit CallThreads(std::size_t max_idle = 16,
                       std::chrono::milliseconds idle_exit = std::chrono::seconds(30));
  // Idle threads exit; busy ones finish their call first (they are never joined: one may be
  // stuck in a plugin for good).
  ~CallThreads();
  CallThreads(const CallThreads&) = delete;
  CallThreads& operator=(const CallThreads&) = delete;

  // Runs `work` on an idle thread, or on a new one when none is idle. `work` must not throw.
  void run(std::function<void()> work);

  // Threads alive now (busy or idle), and those of them waiting for work; for tests and metrics.
  std::size_t thread_count() const;
  std::size_t idle_count() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace secpilot::skills
