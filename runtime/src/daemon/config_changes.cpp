#include "daemon/config_changes.hpp"

namespace secpilot::daemon {

std::vector<std::string> sections_needing_restart(const config::DaemonConfig& running,
                                                  const config::DaemonConfig& fresh) {
  std::vector<std::string> changed;
  auto check = [&](bool same, const char* section) {
    if (!same) changed.emplace_back(section);
  };
  check(running.listen == fresh.listen, "listen");
  check(running.tls == fresh.tls, "tls");
  check(running.store == fresh.store, "store");
  check(running.api_keys == fresh.api_keys, "api_keys");
  check(running.roles == fresh.roles, "roles");
  check(running.limits == fresh.limits, "limits");
  check(running.threads == fresh.threads, "threads");
  check(running.shutdown_grace == fresh.shutdown_grace, "shutdown_grace_seconds");
  check(running.log == fresh.log, "log");
  check(running.reload == fresh.reload, "reload");
  check(running.model == fresh.model, "model");
  return changed;
}

}  // namespace secpilot::daemon
