// secpilotd as a library: the store, the plugin host (rebuilt on reload), the orchestrator, the
// REST API and the HTTP server, wired from one DaemonConfig. The program adds signals around it.
#pragma once

#include <cstdint>
#include <memory>

#include "secpilot/config/daemon_config.hpp"
#include "secpilot/util/expected.hpp"

namespace secpilot::daemon {

class Daemon {
 public:
  // Opens the store (marking evaluations a crash interrupted as failed), loads the plugins,
  // starts listening and, when configured, watching the plugin folders.
  static Expected<std::unique_ptr<Daemon>> start(config::DaemonConfig config);
  ~Daemon();  // stop(), if it was not called
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  std::uint16_t port() const;  // the bound port (useful with port 0)
  // Rebuilds the plugin host from the folders, the config's settings and the store's; calls in
  // flight finish on the host they started with. Libraries are never unloaded.
  Outcome reload();
  // Takes the plugin-related parts of a re-read config (plugin folders, plugin settings and
  // secrets, the HTTP client's egress rules) and reloads the plugins with them; logs each other
  // section that changed as needing a restart (listen, TLS, store, keys, roles, limits, threads).
  // For SIGHUP after an edit of the config file.
  Outcome reload(const config::DaemonConfig& fresh);
  // Graceful stop: refuse new connections, let in-flight requests and evaluations finish within
  // the configured grace period, cancel the rest, flush the store.
  void stop();

  struct Impl;

 private:
  explicit Daemon(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace secpilot::daemon
