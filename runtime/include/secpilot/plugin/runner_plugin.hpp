// A native plugin run in a secpilot-runner child process: the daemon keeps credentials and
// network egress (the runner asks for settings and HTTP over its socket), and supervises the
// child — a crash, exit, hang past the timeout, garbage on the socket or exhausted memory costs
// the calls in flight a clear error; the runner is started again (at once the first time, then
// with exponential backoff) and the plugin reads unhealthy after repeated failures until a call
// succeeds again. The old child is always reaped before a new one starts.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "secpilot/plugin/native_library.hpp"

namespace secpilot::plugin {

struct RunnerOptions {
  std::filesystem::path program;  // secpilot-runner; empty = beside this executable
  std::uint64_t memory_mb = 512;
  std::uint64_t cpu_seconds = 0;
  std::uint64_t open_files = 256;
  bool allow_network = false;
  bool allow_processes = false;
  std::optional<std::string> user;
  std::chrono::milliseconds restart_backoff{100};  // the second restart in a row; doubles
  std::chrono::milliseconds max_restart_backoff{30'000};
  unsigned unhealthy_after = 3;  // failures in a row
  std::chrono::milliseconds load_timeout{10'000};
  // How long a call past its deadline (or cancelled) may take to stop by itself before its
  // runner is killed.
  std::chrono::milliseconds stop_grace{250};
  unsigned max_log_lines_per_second = 100;
};

class RunnerPlugin final : public NativeLibrary {
 public:
  static Expected<std::shared_ptr<RunnerPlugin>> start(
      const manifest::Manifest& manifest, const manifest::SkillGroup& group,
      std::shared_ptr<const PluginEnvironment> environment, const LoadOptions& options,
      const RunnerOptions& runner);

  ~RunnerPlugin() override;  // stops and reaps the runner

  Placement placement() const noexcept override { return Placement::runner; }
  std::string health() const override;
  Expected<std::string> invoke(const sp_skill& skill, const std::string& input,
                               const CallControl& control) const override;

  // The running child's pid, or -1 (tests and `plugins` views).
  pid_t pid() const;

  struct Process;  // one child: its socket, who reads it, calls in flight (runner_connection)
  struct Supervisor;

 private:
  RunnerPlugin(std::shared_ptr<const PluginEnvironment> environment, LibraryIdentity identity)
      : NativeLibrary(std::move(environment), std::move(identity)) {}

  std::shared_ptr<Supervisor> supervisor_;
  std::vector<std::unique_ptr<std::string>> skill_names_;  // what skills_ point into
};

}  // namespace secpilot::plugin
