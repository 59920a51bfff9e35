// A native plugin library, loaded through the C ABI: the checks before loading (pinned SHA-256,
// file modes), ABI negotiation, the manifest <-> descriptor cross-check, init, and running skills
// on the calling thread with the host services of plugin.h.
#pragma once

#include <secpilot/plugin.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "secpilot/config/settings.hpp"
#include "secpilot/manifest/manifest.hpp"
#include "secpilot/net/http_client.hpp"
#include "secpilot/util/expected.hpp"

namespace spdlog {
class logger;
}

namespace secpilot::plugin {

// What the host hands one plugin: identity, settings, network policy and shared services.
// Immutable once the plugin is loaded, so calls read it without locks.
struct PluginEnvironment {
  std::string name;  // Descriptor.Name
  std::filesystem::path manifest_dir;
  std::shared_ptr<spdlog::logger> logger;
  config::PluginSettings settings;          // from the settings file
  std::vector<manifest::Setting> declared;  // Descriptor.Settings, for defaults and secrecy
  net::EgressPolicy egress;
  std::shared_ptr<const net::HttpClient> http;
  std::size_t max_result_bytes = 4 * 1024 * 1024;
  std::size_t max_error_bytes = 4 * 1024;

  // A setting's value: the settings file first (settings, then secrets), then the manifest's
  // DefaultValue. nullopt when none.
  std::optional<std::string> setting(std::string_view name) const;
  // Replaces every secret value in `text` with "***" before it is logged or shown.
  std::string redact(std::string_view text) const;
};

struct LoadOptions {
  bool allow_writable = false;  // accept libraries or folders writable by group or others
};

// How one call is controlled from outside: deadline, cancellation, progress reports.
struct CallControl {
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  std::shared_ptr<const std::atomic<bool>> cancelled;         // optional
  std::function<void(double, std::string_view)> on_progress;  // optional
};

class NativePlugin {
 public:
  // Loads the library of a `Format: Native` group of `manifest`. Errors say what failed and how
  // to fix it; nothing is loaded (no plugin code runs) when a pre-load check fails.
  static Expected<std::shared_ptr<NativePlugin>> load(
      const manifest::Manifest& manifest, const manifest::SkillGroup& group,
      std::shared_ptr<const PluginEnvironment> environment, const LoadOptions& options);

  ~NativePlugin();  // destroys the instance; the library itself stays mapped (never unloaded)
  NativePlugin(const NativePlugin&) = delete;
  NativePlugin& operator=(const NativePlugin&) = delete;

  // The descriptor's skill with this name (exact), or nullptr.
  const sp_skill* skill(std::string_view name) const noexcept;
  const std::vector<sp_skill>& skills() const noexcept { return skills_; }
  const std::string& version() const noexcept { return version_; }
  const std::string& sdk_version() const noexcept { return sdk_version_; }
  std::string abi_version() const;  // "MAJOR.MINOR" the plugin was built with
  const std::filesystem::path& library_path() const noexcept { return library_path_; }
  const std::vector<std::string>& warnings() const noexcept { return warnings_; }
  const PluginEnvironment& environment() const noexcept { return *environment_; }

  // Runs `skill` once on this thread. `input` is the JSON object text (NUL-terminated, as the ABI
  // promises). Returns the result text exactly as the plugin set it (the executor checks it is
  // JSON), or the call's error. A call that outlives its deadline returns Status::timeout and its
  // late result is discarded.
  Expected<std::string> invoke(const sp_skill& skill, const std::string& input,
                               const CallControl& control) const;

 private:
  NativePlugin() = default;

  std::shared_ptr<const PluginEnvironment> environment_;
  std::filesystem::path library_path_;
  sp_plugin descriptor_{};
  std::vector<sp_skill> skills_;
  std::string version_, sdk_version_;
  std::vector<std::string> warnings_;
  void* instance_ = nullptr;
  bool initialised_ = false;
  // Serialises calls to skills not flagged SP_SKILL_THREAD_SAFE (the ABI's default contract).
  mutable std::timed_mutex serial_;
};

}  // namespace secpilot::plugin
