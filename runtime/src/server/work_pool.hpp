// The threads that run request handlers, so that a slow handler never holds an I/O thread. The
// queue is bounded: a saturated pool refuses work at once (the server answers 503) rather than
// letting latency grow without limit.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace secpilot::server {

class WorkPool {
 public:
  class Task {
   public:
    virtual ~Task() = default;
    // The work itself.
    virtual void run() noexcept = 0;
    // Hands the result on; called once the thread counts as idle again, so that whoever learns
    // of the result can already submit more work.
    virtual void complete() noexcept = 0;
    // The pool shut down before the task ran.
    virtual void cancel() noexcept = 0;
  };

  // `max_queued`: how many tasks may wait beyond those an idle thread is about to take.
  WorkPool(unsigned threads, std::size_t max_queued);
  ~WorkPool();
  WorkPool(const WorkPool&) = delete;
  WorkPool& operator=(const WorkPool&) = delete;

  // Takes `task` and returns true, or leaves it in place and returns false when the queue is full
  // or the pool has shut down.
  bool try_submit(std::unique_ptr<Task>& task);
  // Cancels queued tasks, waits for running ones and joins the threads. Idempotent.
  void shutdown();

 private:
  void work();

  const std::size_t max_queued_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::unique_ptr<Task>> queue_;
  std::size_t idle_ = 0;  // threads not running a task
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace secpilot::server
