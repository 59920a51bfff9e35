// Which sections of a re-read config differ from the running one but only take effect at a
// restart (the listening socket, the store, keys, limits...), so that SIGHUP can say so.
#pragma once

#include <string>
#include <vector>

#include "secpilot/config/daemon_config.hpp"

namespace secpilot::daemon {

// The config's own names for them ("listen", "limits", "api_keys", ...), in file order.
std::vector<std::string> sections_needing_restart(const config::DaemonConfig& running,
                                                  const config::DaemonConfig& fresh);

}  // namespace secpilot::daemon
