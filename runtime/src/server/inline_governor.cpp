#include "server/inline_governor.hpp"

#include <pthread.h>

#include <algorithm>
#include <utility>

namespace secpilot::server {
namespace {

// How many empty looks (no handler running inline) in a row before the watchdog sleeps until the
// next call begins: about a second at the default hand-off time, so that a loaded server never
// pays for waking it.
constexpr int kQuietLooks = 256;
constexpr std::chrono::microseconds kShortestLook{250};

}  // namespace

InlineGovernor::InlineGovernor(unsigned slots, std::chrono::milliseconds handoff_after,
                               std::function<bool()> start_spare)
    : handoff_after_(std::max<std::chrono::nanoseconds>(handoff_after, kShortestLook)),
      start_spare_(std::move(start_spare)),
      slots_(std::make_unique<Slot[]>(std::max(1u, slots))),
      slot_count_(std::max(1u, slots)) {
  watchdog_ = std::thread([this] { watch(); });
  ::pthread_setname_np(watchdog_.native_handle(), "secpilot-watch");
}

InlineGovernor::~InlineGovernor() {
  stop();
}

void InlineGovernor::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (watchdog_.joinable()) watchdog_.join();
}

std::int64_t InlineGovernor::now_ns() noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

InlineGovernor::Call InlineGovernor::begin(std::shared_ptr<std::atomic<bool>> cancel) {
  // Each thread starts looking at the slot it used last, so that threads rarely race for one.
  thread_local std::size_t hint = 0;
  const std::int64_t started = now_ns();
  for (std::size_t n = 0; n < slot_count_; ++n) {
    const std::size_t index = (hint + n) % slot_count_;
    Slot& slot = slots_[index];
    std::int64_t free = 0;
    if (slot.started.load(std::memory_order_relaxed) != 0 ||
        !slot.started.compare_exchange_strong(free, started)) {
      continue;
    }
    hint = index;
    {
      std::lock_guard lock(slot.cancel_mutex);
      slot.cancel = std::move(cancel);
    }
    // Pairs with the watchdog raising watchdog_idle_ and then looking at the slots: one of the two
    // sees the other.
    if (watchdog_idle_.load()) {
      std::lock_guard lock(mutex_);
      watchdog_idle_.store(false);
      wake_.notify_one();
    }
    return Call(this, index, started);
  }
  return {};
}

void InlineGovernor::end(std::size_t index, std::int64_t started) noexcept {
  Slot& slot = slots_[index];
  {
    std::lock_guard lock(slot.cancel_mutex);
    slot.cancel.reset();
  }
  slot.started.store(0);
  // The watchdog marks a call it counts as stuck (flagged = started) before it checks that the
  // call still runs, and undoes the mark under the mutex when it does not: so a mark seen here is
  // either counted or about to be undone, and the mutex tells which.
  if (slot.flagged.load() != started) return;
  std::lock_guard lock(mutex_);
  if (slot.flagged.load() != started) return;
  slot.flagged.store(0);
  --stuck_;
}

InlineGovernor::Call::Call(Call&& other) noexcept
    : governor_(std::exchange(other.governor_, nullptr)),
      slot_(other.slot_),
      started_(other.started_) {}

InlineGovernor::Call& InlineGovernor::Call::operator=(Call&& other) noexcept {
  if (this != &other) {
    end();
    governor_ = std::exchange(other.governor_, nullptr);
    slot_ = other.slot_;
    started_ = other.started_;
  }
  return *this;
}

void InlineGovernor::Call::end() noexcept {
  if (governor_ == nullptr) return;
  std::exchange(governor_, nullptr)->end(slot_, started_);
}

bool InlineGovernor::keep_spare() {
  std::lock_guard lock(mutex_);
  if (!stopping_ && spares_ <= stuck_) return true;
  --spares_;
  return false;
}

void InlineGovernor::cancel_all() {
  for (std::size_t i = 0; i < slot_count_; ++i) {
    std::lock_guard lock(slots_[i].cancel_mutex);
    if (slots_[i].cancel) slots_[i].cancel->store(true);
  }
}

void InlineGovernor::watch() {
  // The watchdog wakes when the oldest call running would reach the hand-off time (or after one
  // hand-off time when none runs), so a loaded server wakes it about once per hand-off time, and an
  // idle one not at all.
  int quiet = 0;
  auto next_look = std::chrono::steady_clock::now() + handoff_after_;
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (quiet >= kQuietLooks) {
      watchdog_idle_.store(true);
      bool busy = false;
      for (std::size_t i = 0; i < slot_count_ && !busy; ++i)
        busy = slots_[i].started.load() != 0;
      if (!busy) wake_.wait(lock, [&] { return stopping_ || !watchdog_idle_.load(); });
      watchdog_idle_.store(false);
      quiet = 0;
      next_look = std::chrono::steady_clock::now() + handoff_after_;
      continue;
    }
    if (wake_.wait_until(lock, next_look, [&] { return stopping_; })) break;
    lock.unlock();
    const std::int64_t now = now_ns();
    std::int64_t oldest = now;  // the start of the oldest call not yet counted as stuck
    bool busy = false;
    for (std::size_t i = 0; i < slot_count_; ++i) {
      Slot& slot = slots_[i];
      const std::int64_t seen = slot.started.load();
      if (seen == 0) continue;
      busy = true;
      if (slot.flagged.load() == seen) continue;
      if (now - seen < handoff_after_.count()) {
        oldest = std::min(oldest, seen);
        continue;
      }
      std::lock_guard counting(mutex_);
      slot.flagged.store(seen);
      if (slot.started.load() != seen) {  // it ended meanwhile
        slot.flagged.store(0);
        continue;
      }
      ++stuck_;
    }
    // One spare per stuck call (a spare that could not start is tried again next time).
    std::size_t to_start = 0;
    {
      std::lock_guard counting(mutex_);
      if (stuck_ > spares_) to_start = stuck_ - spares_;
      spares_ += to_start;
    }
    for (; to_start > 0; --to_start) {
      if (start_spare_()) {
        handoffs_.fetch_add(1, std::memory_order_relaxed);
      } else {
        std::lock_guard counting(mutex_);
        --spares_;
      }
    }
    quiet = busy ? 0 : quiet + 1;
    next_look = std::chrono::steady_clock::now() +
                std::max<std::chrono::nanoseconds>(
                    std::chrono::nanoseconds(oldest + handoff_after_.count() - now), kShortestLook);
    lock.lock();
  }
}

}  // namespace secpilot::server
