#include "daemon/reload_requests.hpp"

namespace secpilot::daemon {

ReloadRequests::ReloadRequests(std::chrono::milliseconds debounce, std::function<void()> reload)
    : debounce_(debounce), reload_(std::move(reload)), thread_([this] { run(); }) {}

ReloadRequests::~ReloadRequests() {
  stop();
}

void ReloadRequests::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

void ReloadRequests::request() {
  {
    std::lock_guard lock(mutex_);
    pending_ = true;
    due_ = std::chrono::steady_clock::now() + debounce_;
  }
  changed_.notify_all();
}

void ReloadRequests::run() {
  std::unique_lock lock(mutex_);
  while (true) {
    changed_.wait(lock, [this] { return stopping_ || pending_; });
    if (stopping_) return;
    // A later request moves the due time: wait until a burst has been quiet for `debounce`.
    while (!stopping_ && std::chrono::steady_clock::now() < due_)
      changed_.wait_until(lock, due_);
    if (stopping_) return;
    pending_ = false;
    lock.unlock();
    reload_();
    lock.lock();
  }
}

}  // namespace secpilot::daemon
