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
  bool first = false;
  {
    std::unique_lock lock(mutex_);
    if (queue_.size() >= kMaxQueued) {
      ++flushing_;  // the writer writes at once, without gathering
      work_ready_.notify_one();
      written_.wait(lock, [&] { return queue_.size() < kMaxQueued || stopping_; });
      --flushing_;
    }
    first = queue_.empty();
    queue_.push_back(std::move(entry));
    ++pushed_;
  }
  // Only the first entry of a batch wakes the writer; the rest join it while it gathers.
  if (first) work_ready_.notify_one();
}

void AuditQueue::flush() {
  std::unique_lock lock(mutex_);
  const std::uint64_t target = pushed_;
  if (settled_ >= target) return;
  ++flushing_;
  work_ready_.notify_one();
  written_.wait(lock, [&] { return settled_ >= target; });
  --flushing_;
}

void AuditQueue::run() {
  std::vector<AuditEntry> batch;
  std::unique_lock lock(mutex_);
  for (;;) {
    work_ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping with nothing left
    // One commit per batch costs as much as several inserts: let the batch grow for a moment,
    // unless someone waits for it.
    work_ready_.wait_for(lock, kGather, [&] { return stopping_ || flushing_ > 0; });
    batch.swap(queue_);
    const bool was_full = batch.size() >= kMaxQueued;
    lock.unlock();
    if (was_full) written_.notify_all();  // room again for callers waiting in push()
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
