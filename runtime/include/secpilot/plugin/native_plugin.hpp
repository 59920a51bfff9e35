// A native plugin library loaded into the daemon's own process through the C ABI: the checks
// before loading (pinned SHA-256, file modes), ABI negotiation, the manifest <-> descriptor
// cross-check, init, and running skills on the calling thread with the host services of plugin.h.
// For trusted plugins only: a crash here is the daemon's (RunnerPlugin isolates the others).
#pragma once

#include <memory>
#include <mutex>

#include "secpilot/plugin/native_library.hpp"

namespace secpilot::plugin {

class NativePlugin final : public NativeLibrary {
 public:
  // Loads the library of a `Format: Native` group of `manifest`. Errors say what failed and how
  // to fix it; nothing is loaded (no plugin code runs) when a pre-load check fails.
  static Expected<std::shared_ptr<NativePlugin>> load(
      const manifest::Manifest& manifest, const manifest::SkillGroup& group,
      std::shared_ptr<const PluginEnvironment> environment, const LoadOptions& options);

  ~NativePlugin() override;  // destroys the instance; the library stays mapped (never unloaded)

  Placement placement() const noexcept override { return Placement::in_process; }
  Expected<std::string> invoke(const sp_skill& skill, const std::string& input,
                               const CallControl& control) const override;

 private:
  NativePlugin(std::shared_ptr<const PluginEnvironment> environment, LibraryIdentity identity)
      : NativeLibrary(std::move(environment), std::move(identity)) {}

  sp_plugin descriptor_{};
  void* instance_ = nullptr;
  bool initialised_ = false;
  // Serialises calls to skills not flagged SP_SKILL_THREAD_SAFE (the ABI's default contract).
  mutable std::timed_mutex serial_;
};

}  // namespace secpilot::plugin
