// Audit entries written in the background, in batches: a request records who did what without
// waiting for a commit. Entries are written in the order they were queued, usually within a
// millisecond; flush() waits for everything queued so far, so a reader sees its own writes.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "secpilot/store/records.hpp"

namespace secpilot::store {

class AuditQueue {
 public:
  // Writes a batch in one transaction; returns false when it could not (the entries are then
  // counted as lost and logged, never retried forever).
  using WriteBatch = std::function<bool(const std::vector<AuditEntry>&)>;

  explicit AuditQueue(WriteBatch write_batch);
  ~AuditQueue();  // writes what is queued, then stops
  AuditQueue(const AuditQueue&) = delete;
  AuditQueue& operator=(const AuditQueue&) = delete;

  void push(AuditEntry entry);
  // Returns once every entry pushed before the call has been written (or failed to be).
  void flush();

 private:
  void run();

  WriteBatch write_batch_;
  std::mutex mutex_;
  std::condition_variable work_ready_;
  std::condition_variable written_;
  std::vector<AuditEntry> queue_;
  std::uint64_t pushed_ = 0;   // entries ever pushed
  std::uint64_t settled_ = 0;  // entries written or lost
  bool stopping_ = false;
  std::thread writer_;
};

}  // namespace secpilot::store
