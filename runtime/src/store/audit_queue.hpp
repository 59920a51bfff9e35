// Audit entries written in the background, in batches: a request records who did what without
// waiting for a commit. Entries are written in the order they were queued, within a few
// milliseconds: the writer lets a batch gather for kGather before committing it, so that under
// load one commit covers many entries. flush() waits for everything queued so far (and cuts the
// gathering short), so a reader sees its own writes.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
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

  // How long the writer waits for more entries after the first of a batch arrives.
  static constexpr std::chrono::milliseconds kGather{5};
  // Entries waiting at most (about a MB, and a batch the writer commits within tens of
  // milliseconds): beyond it push() waits for the writer, so that callers faster than the disk
  // slow down instead of filling memory.
  static constexpr std::size_t kMaxQueued = 4096;

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
  unsigned flushing_ = 0;      // callers waiting in flush()
  bool stopping_ = false;
  std::thread writer_;
};

}  // namespace secpilot::store
