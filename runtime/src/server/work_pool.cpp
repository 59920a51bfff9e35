#include "server/work_pool.hpp"

#include <pthread.h>

#include <utility>

namespace secpilot::server {

WorkPool::WorkPool(unsigned threads, std::size_t max_queued)
    : max_queued_(max_queued), idle_(threads) {
  threads_.reserve(threads);
  for (unsigned i = 0; i < threads; ++i) {
    threads_.emplace_back([this] { work(); });
    ::pthread_setname_np(threads_.back().native_handle(), "secpilot-work");
  }
}

WorkPool::~WorkPool() {
  shutdown();
}

bool WorkPool::try_submit(std::unique_ptr<Task>& task) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || queue_.size() >= idle_ + max_queued_) return false;
    queue_.push_back(std::move(task));
  }
  ready_.notify_one();
  return true;
}

void WorkPool::shutdown() {
  std::deque<std::unique_ptr<Task>> cancelled;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    cancelled.swap(queue_);
  }
  ready_.notify_all();
  for (auto& task : cancelled)
    task->cancel();
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
}

void WorkPool::work() {
  std::unique_lock lock(mutex_);
  for (;;) {
    ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and nothing left to run
    std::unique_ptr<Task> task = std::move(queue_.front());
    queue_.pop_front();
    --idle_;
    lock.unlock();
    task->run();
    lock.lock();
    ++idle_;
    lock.unlock();
    task->complete();
    task.reset();  // destroyed outside the lock: it may hold anything
    lock.lock();
  }
}

}  // namespace secpilot::server
