#include "secpilot/skills/call_threads.hpp"

#include <pthread.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace secpilot::skills {

// Shared with the threads, which may outlive the CallThreads object.
struct CallThreads::State {
  std::size_t max_idle;
  std::chrono::milliseconds idle_exit;
  mutable std::mutex mutex;
  std::condition_variable work_ready;
  std::deque<std::function<void()>> queue;
  std::size_t idle = 0;
  std::size_t alive = 0;
  bool stopping = false;

  void serve() {
    std::unique_lock lock(mutex);
    for (;;) {
      ++idle;
      const bool woke =
          work_ready.wait_for(lock, idle_exit, [&] { return stopping || !queue.empty(); });
      --idle;
      if (!woke || queue.empty()) break;  // idle too long, or stopping with nothing to do
      auto work = std::move(queue.front());
      queue.pop_front();
      lock.unlock();
      work();
      work = nullptr;  // release what the call captured before waiting again
      lock.lock();
      if (idle >= max_idle) break;
    }
    --alive;
  }
};

CallThreads::CallThreads(std::size_t max_idle, std::chrono::milliseconds idle_exit)
    : state_(std::make_shared<State>()) {
  state_->max_idle = max_idle;
  state_->idle_exit = idle_exit;
}

CallThreads::~CallThreads() {
  {
    std::lock_guard lock(state_->mutex);
    state_->stopping = true;
  }
  state_->work_ready.notify_all();
}

void CallThreads::run(std::function<void()> work) {
  bool start_thread = false;
  {
    std::lock_guard lock(state_->mutex);
    state_->queue.push_back(std::move(work));
    // Queued calls beyond the idle threads would wait behind calls that may never end.
    start_thread = state_->queue.size() > state_->idle;
    if (start_thread) ++state_->alive;
  }
  if (!start_thread) {
    state_->work_ready.notify_one();
    return;
  }
  std::thread thread([state = state_] { state->serve(); });
  ::pthread_setname_np(thread.native_handle(), "secpilot-call");
  thread.detach();
}

std::size_t CallThreads::thread_count() const {
  std::lock_guard lock(state_->mutex);
  return state_->alive;
}

std::size_t CallThreads::idle_count() const {
  std::lock_guard lock(state_->mutex);
  return state_->idle;
}

}  // namespace secpilot::skills
