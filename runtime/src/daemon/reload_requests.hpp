// Reloads asked for by threads that must not run one themselves — an MCP server's reader thread
// telling that its tools changed would wait on its own server while the reload lists them. The
// requests of a burst are coalesced into one reload, run on a thread of its own `debounce` after
// the last of them.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace secpilot::daemon {

class ReloadRequests {
 public:
  ReloadRequests(std::chrono::milliseconds debounce, std::function<void()> reload);
  ~ReloadRequests();  // stop()
  ReloadRequests(const ReloadRequests&) = delete;
  ReloadRequests& operator=(const ReloadRequests&) = delete;

  // Returns at once; the reload follows on the thread (never once stopped).
  void request();
  // Joins the thread; a request not yet acted on is dropped, later ones are ignored.
  void stop();

 private:
  void run();

  std::chrono::milliseconds debounce_;
  std::function<void()> reload_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool pending_ = false;
  bool stopping_ = false;
  std::chrono::steady_clock::time_point due_{};
  std::thread thread_;
};

}  // namespace secpilot::daemon
