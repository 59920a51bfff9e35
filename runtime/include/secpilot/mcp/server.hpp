// secpilot as a Model Context Protocol server: every enabled, available skill is an MCP tool named
// "Plugin.Skill". The server answers one JSON-RPC message at a time; transports (stdio, HTTP) only
// move framed messages to handle() and its answers back.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "secpilot/plugin/plugin_host.hpp"
#include "secpilot/skills/call_threads.hpp"
#include "secpilot/skills/catalog.hpp"
#include "secpilot/util/expected.hpp"

namespace secpilot::mcp {

// The protocol revisions this server speaks (the legacy era: an `initialize` handshake), newest
// first; a client asking for another one is offered the first.
inline constexpr std::string_view kProtocolVersions[] = {"2025-11-25", "2025-06-18"};

struct ServerOptions {
  // The plugin host to serve, asked once per message (the daemon swaps hosts on reload).
  std::function<std::shared_ptr<const plugin::PluginHost>()> hosts;
  // Whether a skill's plugin is enabled for the caller; unset: every skill is.
  std::function<bool(const skills::SkillEntry&)> enabled;
  std::string name = "secpilot";
  std::string version;  // unset: this build's version
  // The time limit of a skill without TimeoutSeconds.
  std::chrono::milliseconds default_timeout{30'000};
  // Where calls run (see skills::InvokeOptions::threads); unset: a thread of their own.
  std::shared_ptr<skills::CallThreads> threads;
  // Told of every tools/call that reached a skill (error: null when it succeeded), for the audit
  // log and metrics.
  std::function<void(const skills::SkillEntry&, const Error* error, std::chrono::nanoseconds took)>
      on_call;
};

class Server {
 public:
  explicit Server(ServerOptions options);

  // Answers one JSON-RPC message (a request or a notification, UTF-8 JSON text) with one JSON-RPC
  // response, or with an empty string when there is nothing to answer (notifications, responses).
  // Safe to call from several threads at once: the server keeps no per-session state.
  std::string handle(std::string_view message) const;

 private:
  ServerOptions options_;
};

}  // namespace secpilot::mcp
