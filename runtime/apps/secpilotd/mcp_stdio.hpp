// secpilotd --mcp-stdio: the plugins of a config served as MCP tools over stdin and stdout, for
// an MCP client (Claude Desktop, VS Code, ...) that starts secpilotd itself. No HTTP listener.
#pragma once

#include "secpilot/config/daemon_config.hpp"

namespace secpilot::daemon {

// Serves until stdin ends; returns the process's exit code. Logs go to stderr only.
int serve_mcp_stdio(const config::DaemonConfig& config);

}  // namespace secpilot::daemon
