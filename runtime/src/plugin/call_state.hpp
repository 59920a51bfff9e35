// The host's side of one sp_call: what a plugin's calls into the host services read and write.
// Defines the C ABI's opaque `struct sp_call` (global namespace, as plugin.h declares it).
#pragma once

#include <secpilot/plugin.h>
#include <spdlog/common.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "secpilot/plugin/native_plugin.hpp"
#include "secpilot/util/clock.hpp"

struct sp_call {
  explicit sp_call(const secpilot::plugin::PluginEnvironment& env) : environment(env) {}

  const secpilot::plugin::PluginEnvironment& environment;
  bool is_init = false;
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  const std::atomic<bool>* external_cancel = nullptr;  // the caller's flag, may be null
  const std::function<void(double, std::string_view)>* on_progress = nullptr;

  // Guarded by `mutex`: a plugin may call the services from its own threads during a call.
  std::mutex mutex;
  bool has_result = false;
  std::string result;
  std::size_t rejected_result_size = 0;  // > 0 when set_result refused a too-large result
  sp_status error_code = SP_OK;
  std::string error_message;
  // Memory handed to the plugin (settings, responses): stable addresses until the call ends.
  std::vector<std::unique_ptr<std::string>> strings;
  std::vector<std::unique_ptr<std::vector<sp_header>>> header_arrays;

  bool cancelled() const noexcept {
    return (external_cancel && external_cancel->load(std::memory_order_relaxed)) ||
           (deadline != std::chrono::steady_clock::time_point::max() &&
            secpilot::coarse_now() >= deadline);
  }
  // Keeps a copy alive until the call ends and returns a view of it. Caller holds `mutex`.
  const std::string& keep(std::string text) {
    strings.push_back(std::make_unique<std::string>(std::move(text)));
    return *strings.back();
  }
};

namespace secpilot::plugin {

// The table of host services given to every plugin (plugin.h's sp_host_api).
const sp_host_api& host_api() noexcept;

// A plugin's log level as spdlog's (anything unknown logs as an error).
spdlog::level::level_enum to_spdlog(sp_log_level level) noexcept;

}  // namespace secpilot::plugin
