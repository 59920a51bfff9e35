// The runner's side of a loaded plugin: the host services of plugin.h answered over the channel
// (settings and HTTP are asked of the daemon, so secrets and network egress stay there), and the
// calls the daemon sends.
//
// Calls run leader/follower, and a call costs no thread hand-off here: the thread that reads an
// invoke runs it itself and leaves the reading role free without waking anyone, then reads
// again. While the role is free, one idle thread (the watcher) waits on the poke eventfd: the
// daemon pokes it when it sends a frame while a call may be running here (a concurrent invoke,
// a cancel, shutdown), and ask() pokes it for the reply it waits for; the watcher then takes the
// reading role. Replies, cancels and shutdown are routed by whoever reads.
#pragma once

#include <secpilot/plugin.h>

#include <atomic>
#include <boost/json/object.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "runner/channel.hpp"

namespace secpilot::runner {

// One invoke (or the init) as the plugin sees it, behind its opaque sp_call pointer.
class RunnerHost;

struct RunnerCall {
  RunnerHost* host = nullptr;
  std::uint64_t id = 0;  // 0 for init
  bool is_init = false;
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  std::atomic<bool> cancelled{false};
  std::size_t max_result_bytes = 0;

  std::mutex mutex;  // the plugin may call services from its own threads
  bool has_result = false;
  std::string result;
  std::size_t rejected_result_size = 0;
  sp_status error_code = SP_OK;
  std::string error_message;
  std::vector<std::unique_ptr<std::string>> kept;  // memory handed to the plugin
  std::vector<std::unique_ptr<std::vector<sp_header>>> header_arrays;

  bool stopped() const noexcept {
    return cancelled.load(std::memory_order_relaxed) ||
           (deadline != std::chrono::steady_clock::time_point::max() &&
            std::chrono::steady_clock::now() >= deadline);
  }
  const std::string& keep(std::string text) {
    kept.push_back(std::make_unique<std::string>(std::move(text)));
    return *kept.back();
  }
};

class RunnerHost {
 public:
  // `poke_fd`: an eventfd that wakes the watcher (see above).
  RunnerHost(Channel& channel, int poke_fd) : channel_(channel), poke_fd_(poke_fd) {}

  const sp_host_api* api() const noexcept;
  static RunnerCall& call(sp_call* call) { return *reinterpret_cast<RunnerCall*>(call); }
  sp_call* handle(RunnerCall& call) { return reinterpret_cast<sp_call*>(&call); }

  // Loads the library named by the daemon's "load" message and runs init; answers "loaded" or
  // "failed". False when the runner should exit. A reader is started first, so that init may
  // ask for settings.
  bool load(const boost::json::object& message);
  // Joins the calling thread to the pool for good; the process ends when the daemon goes away
  // or says "shutdown".
  [[noreturn]] void serve();

  // Asks the daemon (setting, http) and waits for its reply; nullopt when the daemon is gone.
  std::optional<boost::json::object> ask(boost::json::object request);
  Channel& channel() noexcept { return channel_; }

 private:
  // What a thread of the pool does next: read (lead), wait for a poke (watch), or whatever is
  // free (any), else park until appointed watcher.
  enum class Duty { lead, watch, any };
  // One thread of the pool, starting with `duty` (already claimed for it when lead or watch).
  // A thread that is not `permanent` ends instead of parking when enough threads are parked.
  void work(Duty duty, bool permanent);
  // Makes sure someone watches for pokes before the reading role is left free (mutex_ held): a
  // parked thread, else a new one. False when no thread could be started.
  bool ensure_watcher();
  // Blocks until the eventfd is poked, and drains it.
  void wait_for_poke();
  void poke() const;
  // Everything but an invoke: replies to ask(), cancels, shutdown.
  void route(boost::json::object& message);
  void run_call(RunnerCall& call, const boost::json::object& invoke);
  void send_error(std::uint64_t id, sp_status status, std::string_view message);

  Channel& channel_;
  const int poke_fd_;
  std::string plugin_name_;
  sp_plugin descriptor_{};
  std::vector<sp_skill> skills_;
  void* instance_ = nullptr;
  std::size_t max_result_bytes_ = 4 * 1024 * 1024;
  std::mutex serial_;  // skills not flagged SP_SKILL_THREAD_SAFE run one at a time

  std::mutex mutex_;
  std::uint64_t next_request_ = 1;
  struct Waiter {
    std::condition_variable ready;
    std::optional<boost::json::object> reply;
    bool done = false;
  };
  std::map<std::uint64_t, Waiter*> waiting_;
  std::map<std::uint64_t, RunnerCall*> calls_;  // in flight, for cancel
  bool closed_ = false;

  // Idle threads kept for the next calls; more than this end once their call is done.
  static constexpr unsigned kMaxParked = 4;
  std::condition_variable parked_threads_;  // wait here to be appointed watcher
  bool reading_ = false;                    // one thread at a time reads the channel
  bool watching_ = false;                   // one thread at a time waits for pokes
  bool appointed_ = false;                  // a parked thread is to become the watcher
  bool missed_poke_ = false;                // poked while someone read: they may not see it
  unsigned parked_ = 0;
};

}  // namespace secpilot::runner
