#include "store/audit_queue.hpp"

#include <pthread.h>
#include <spdlog/spdlog.h>

namespace secpilot::store {

AuditQueue::AuditQueue(WriteBatch write_batch) : write_batch_(std::move(write_batch)) {
  writer_ = std::thread([this] { run(); });
  ::pthread_setname_np(writer_.native_handle(), "secpilot-audit");
}

AuditQueue::~AuditQueue() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_ready_.notify_one();
  writer_.join();
}

void AuditQueue::push(AuditEntry entry) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(entry));
    ++pushed_;
  }
  work_ready_.notify_one();
}

void AuditQueue::flush() {
  std::unique_lock lock(mutex_);
  const std::uint64_t target = pushed_;
  written_.wait(lock, [&] { return settled_ >= target; });
}

void AuditQueue::run() {
  std::vector<AuditEntry> batch;
  std::unique_lock lock(mutex_);
  for (;;) {
    work_ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping with nothing left
    batch.swap(queue_);
    lock.unlock();
    // Whatever arrives while this batch is written goes into the next one.
    if (!write_batch_(batch))
      spdlog::error("the audit log lost {} entries: the store could not write them", batch.size());
    const auto count = batch.size();
    batch.clear();
    lock.lock();
    settled_ += count;
    written_.notify_all();
  }
}

}  // namespace secpilot::store
