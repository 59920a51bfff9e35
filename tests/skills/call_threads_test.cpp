// The threads skill calls run on are reused, and a call that never returns costs only its own
// thread: the next call starts at once on another.
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <latch>
#include <memory>
#include <set>
#include <thread>

#include "secpilot/skills/call_threads.hpp"

namespace secpilot::skills {
namespace {

TEST(CallThreads, ReusesAnIdleThread) {
  CallThreads threads;
  std::set<std::thread::id> seen;
  for (int i = 0; i < 50; ++i) {
    std::promise<std::thread::id> ran;
    threads.run([&ran]() noexcept { ran.set_value(std::this_thread::get_id()); });
    seen.insert(ran.get_future().get());
    // The thread hands the result over just before it is idle again; wait for that moment.
    while (threads.idle_count() != threads.thread_count())
      std::this_thread::yield();
  }
  EXPECT_EQ(seen.size(), 1u);
  EXPECT_EQ(threads.thread_count(), 1u);
}

TEST(CallThreads, AStuckCallDoesNotDelayTheNext) {
  CallThreads threads;
  // Shared with the stuck call, whose thread is detached and may still be leaving wait() when
  // the test ends: the call's own copy keeps them alive (ThreadSanitizer saw the stack reused).
  struct Stuck {
    std::latch release{1};
    std::promise<void> started;
  };
  auto stuck = std::make_shared<Stuck>();
  auto stuck_started = stuck->started.get_future();
  threads.run([stuck]() noexcept {
    stuck->started.set_value();
    stuck->release.wait();
  });
  stuck_started.get();
  std::promise<void> next;
  threads.run([&next]() noexcept { next.set_value(); });
  // Would block forever if the next call queued behind the stuck one.
  next.get_future().get();
  EXPECT_GE(threads.thread_count(), 2u);
  stuck->release.count_down();
}

TEST(CallThreads, RunsConcurrentCallsAtOnce) {
  CallThreads threads;
  constexpr int kCalls = 8;
  std::latch all_started(kCalls);
  std::atomic<int> done{0};
  for (int i = 0; i < kCalls; ++i)
    threads.run([&]() noexcept {
      all_started.count_down();
      all_started.wait();  // only returns when every call runs at the same time
      ++done;
    });
  all_started.wait();
  while (done.load() < kCalls)
    std::this_thread::yield();
  EXPECT_EQ(done.load(), kCalls);
}

TEST(CallThreads, IdleThreadsBeyondTheLimitExit) {
  CallThreads threads(/*max_idle=*/1, std::chrono::milliseconds(50));
  constexpr int kCalls = 4;
  std::latch all_started(kCalls);
  std::latch all_done(kCalls);
  for (int i = 0; i < kCalls; ++i)
    threads.run([&]() noexcept {
      all_started.count_down();
      all_started.wait();
      all_done.count_down();
    });
  all_done.wait();
  // Idle threads beyond one leave at once, the last after 50 ms without work.
  for (int i = 0; i < 400 && threads.thread_count() > 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_EQ(threads.thread_count(), 0u);
}

}  // namespace
}  // namespace secpilot::skills
