// What one query run may use (rows, memory, time) and what it has read so far.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace log_hunt {

struct Limits {
  size_t max_rows = 10'000;                     // rows returned; more is reported as truncation
  size_t max_memory_bytes = size_t{512} << 20;  // groups, join builds, sort and distinct buffers
  size_t max_result_bytes = size_t{3} << 20;    // the host refuses results over 4 MiB
  std::optional<std::chrono::steady_clock::time_point> deadline;
  std::function<bool()> cancelled;  // polled every few thousand rows
};

struct ScanStats {
  uint64_t rows_scanned = 0;    // lines or records read from files
  uint64_t bytes_scanned = 0;   // bytes of those lines
  uint64_t malformed_rows = 0;  // lines that were not a JSON object, CSV records cut short
  uint64_t files_opened = 0;
};

class ExecutionContext {
 public:
  ExecutionContext(Limits limits, int64_t now_ticks)
      : limits_(std::move(limits)), now_ticks_(now_ticks) {}

  const Limits& limits() const { return limits_; }
  int64_t now() const { return now_ticks_; }  // now() for this whole query: one instant
  ScanStats& stats() { return stats_; }
  const ScanStats& stats() const { return stats_; }

  // Call once per row read; checks cancellation and the deadline every 4096 calls.
  void on_row() {
    if ((++ticks_ & 4095) == 0) check_time();
  }
  void check_time();

  // Accounts `bytes` against max_memory_bytes; throws QueryError(TooLarge) naming `what`.
  void charge(size_t bytes, const char* what);
  void release(size_t bytes) { used_bytes_ -= bytes < used_bytes_ ? bytes : used_bytes_; }
  size_t used_bytes() const { return used_bytes_; }

  void warn(std::string message);
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  Limits limits_;
  int64_t now_ticks_;
  ScanStats stats_;
  uint64_t ticks_ = 0;
  size_t used_bytes_ = 0;
  std::vector<std::string> warnings_;
};

}  // namespace log_hunt
