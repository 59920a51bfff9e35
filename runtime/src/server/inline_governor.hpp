// Lets request handlers run on the I/O threads without letting one that turns out slow hold I/O
// up. A handler runs inline only in one of a fixed number of slots (so at most that many run
// inline at once); a watchdog thread looks at the slots, and when a handler has been running for
// longer than the hand-off time it asks for a spare thread to take over that thread's I/O role.
// Spares leave once the handlers they stand in for have returned. So the threads serving I/O
// never fall below the configured I/O threads for longer than about the hand-off time, however
// long a handler takes. Asio-free: the server says how to start a spare.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace secpilot::server {

class InlineGovernor {
 public:
  // `start_spare` starts one more thread serving I/O, which calls keep_spare() between handlers
  // and leaves when it answers false; it returns false when no thread could be started. Called
  // on the watchdog thread.
  InlineGovernor(unsigned slots, std::chrono::milliseconds handoff_after,
                 std::function<bool()> start_spare);
  ~InlineGovernor();  // stops the watchdog
  InlineGovernor(const InlineGovernor&) = delete;
  InlineGovernor& operator=(const InlineGovernor&) = delete;

  // One handler running inline. Ends (frees its slot) when destroyed.
  class Call {
   public:
    Call() = default;
    Call(Call&& other) noexcept;
    Call& operator=(Call&& other) noexcept;
    ~Call() { end(); }
    explicit operator bool() const noexcept { return governor_ != nullptr; }
    void end() noexcept;

   private:
    friend class InlineGovernor;
    Call(InlineGovernor* governor, std::size_t slot, std::int64_t started)
        : governor_(governor), slot_(slot), started_(started) {}
    InlineGovernor* governor_ = nullptr;
    std::size_t slot_ = 0;
    std::int64_t started_ = 0;
  };

  // A free slot for a handler about to run on the calling thread, or an empty Call when every
  // slot is taken (the handler then goes to the work pool). `cancel` is set by cancel_all().
  Call begin(std::shared_ptr<std::atomic<bool>> cancel);

  // For a spare, between two handlers: false when it is no longer needed (it is counted out and
  // must stop serving I/O).
  bool keep_spare();

  // Sets the cancellation flag of every handler running inline (stop() after its grace period).
  void cancel_all();
  // Stops the watchdog; idempotent.
  void stop();

  std::uint64_t handoffs() const noexcept { return handoffs_.load(std::memory_order_relaxed); }

 private:
  struct alignas(64) Slot {
    std::atomic<std::int64_t> started{0};  // steady-clock ns of the running call; 0 = free
    std::atomic<std::int64_t> flagged{0};  // `started` of the call the watchdog counted as stuck
    std::mutex cancel_mutex;
    std::shared_ptr<std::atomic<bool>> cancel;
  };

  static std::int64_t now_ns() noexcept;
  void end(std::size_t slot, std::int64_t started) noexcept;
  void watch();

  const std::chrono::nanoseconds handoff_after_;
  const std::function<bool()> start_spare_;
  std::unique_ptr<Slot[]> slots_;
  const std::size_t slot_count_;

  std::mutex mutex_;  // the counts below, the watchdog's sleep
  std::condition_variable wake_;
  std::size_t stuck_ = 0;   // calls running for longer than handoff_after_
  std::size_t spares_ = 0;  // spares serving I/O in their place
  bool stopping_ = false;
  std::atomic<bool> watchdog_idle_{false};  // asleep until the next call begins
  std::atomic<std::uint64_t> handoffs_{0};
  std::thread watchdog_;
};

}  // namespace secpilot::server
