// One loaded `Format: Native` skill group, wherever its code runs: in the daemon's process
// (NativePlugin) or in a sandboxed secpilot-runner child (RunnerPlugin). The catalog and the
// executor see only this interface.
#pragma once

#include <secpilot/plugin.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
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
  // `text` with {{Name}} replaced by setting Name (a manifest's URLs, headers, environment);
  // unauthorized naming the first setting without a value, and how to give it one.
  Expected<std::string> with_settings(std::string_view text) const;
  // Replaces every secret value in `text` with "***" before it is logged or shown.
  std::string redact(std::string_view text) const;
  // The non-secret settings as a JSON object: what the plugin's init receives as config_json.
  std::string config_json() const;
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

// Where a library's code runs; see docs/security.md.
enum class Placement { in_process, runner };
std::string_view placement_name(Placement placement) noexcept;  // "in_process", "process"

// What the plugin said about itself when it loaded.
struct LibraryIdentity {
  std::filesystem::path library_path;  // as the manifest names it (not a private copy)
  std::string version, sdk_version, abi_version;
  std::vector<std::string> warnings;
};

class NativeLibrary {
 public:
  virtual ~NativeLibrary() = default;
  NativeLibrary(const NativeLibrary&) = delete;
  NativeLibrary& operator=(const NativeLibrary&) = delete;

  // The descriptor's skill with this name (exact), or nullptr. Only name and flags are meaningful
  // to callers: a runner's skills have no function pointer in this process.
  const sp_skill* skill(std::string_view name) const noexcept;
  const std::vector<sp_skill>& skills() const noexcept { return skills_; }
  const std::string& version() const noexcept { return identity_.version; }
  const std::string& sdk_version() const noexcept { return identity_.sdk_version; }
  const std::string& abi_version() const noexcept { return identity_.abi_version; }
  const std::filesystem::path& library_path() const noexcept { return identity_.library_path; }
  const std::vector<std::string>& warnings() const noexcept { return identity_.warnings; }
  const PluginEnvironment& environment() const noexcept { return *environment_; }

  virtual Placement placement() const noexcept = 0;
  // "healthy", or why not (a runner that keeps crashing); shown with the plugin.
  virtual std::string health() const { return "healthy"; }

  // Runs `skill` once. `input` is the JSON object text. Returns the result text exactly as the
  // plugin set it (the executor checks it is JSON), or the call's error. A call that outlives its
  // deadline returns Status::timeout and its late result is discarded.
  virtual Expected<std::string> invoke(const sp_skill& skill, const std::string& input,
                                       const CallControl& control) const = 0;

 protected:
  NativeLibrary(std::shared_ptr<const PluginEnvironment> environment, LibraryIdentity identity)
      : environment_(std::move(environment)), identity_(std::move(identity)) {}

  std::shared_ptr<const PluginEnvironment> environment_;
  LibraryIdentity identity_;
  std::vector<sp_skill> skills_;
};

}  // namespace secpilot::plugin
