// The runner's side of a loaded plugin: the host services of plugin.h answered over the channel
// (settings and HTTP are asked of the daemon, so secrets and network egress stay there), and the
// calls the daemon sends, each on its own thread.
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
  explicit RunnerHost(Channel& channel) : channel_(channel) {}

  const sp_host_api* api() const noexcept;
  static RunnerCall& call(sp_call* call) { return *reinterpret_cast<RunnerCall*>(call); }
  sp_call* handle(RunnerCall& call) { return reinterpret_cast<sp_call*>(&call); }

  // Loads the library named by the daemon's "load" message and runs init; answers "loaded" or
  // "failed". False when the runner should exit.
  bool load(const boost::json::object& message);
  // Serves the daemon's messages until it goes away.
  void serve();

  // Asks the daemon (setting, http) and waits for its reply; nullopt when the daemon is gone.
  std::optional<boost::json::object> ask(boost::json::object request);
  Channel& channel() noexcept { return channel_; }

 private:
  struct Waiter {
    std::condition_variable ready;
    std::optional<boost::json::object> reply;
    bool done = false;
  };

  void start_call(const boost::json::object& message);
  // Acts on one message from the daemon; false for "shutdown".
  bool dispatch(boost::json::object message);
  // Hands a "reply" to the ask() waiting for it.
  void deliver_reply(boost::json::object message);
  void run_call(std::shared_ptr<RunnerCall> call, std::string skill, std::string input);

  Channel& channel_;
  std::string plugin_name_;
  sp_plugin descriptor_{};
  std::vector<sp_skill> skills_;
  void* instance_ = nullptr;
  std::size_t max_result_bytes_ = 4 * 1024 * 1024;
  std::mutex serial_;  // skills not flagged SP_SKILL_THREAD_SAFE run one at a time

  std::mutex mutex_;
  std::uint64_t next_request_ = 1;
  bool serving_ = false;       // serve() reads: ask() only waits
  bool load_reading_ = false;  // before serve(), an ask() reads for itself
  std::condition_variable reader_free_;
  std::map<std::uint64_t, Waiter*> waiting_;
  std::map<std::uint64_t, std::shared_ptr<RunnerCall>> calls_;
  bool closed_ = false;
};

}  // namespace secpilot::runner
