// The MCP servers behind `Format: MCP` groups, shared by the plugin hosts a daemon builds one
// after another (docs/mcp.md, "MCP servers as plugins"). A host built on reload takes over the
// running server of a group whose server, environment, headers and timeout did not change — it
// is not restarted, only asked for its tools again — and a server that says its tools changed
// (notifications/tools/list_changed) asks for such a rebuild. A server no host uses any more is
// stopped with the last of them.
// With a tool cache (a folder: the daemon's state), each server's tool list is kept there under
// the same fingerprint, so that a later start lists the server's tools without starting it: the
// server starts at its first call (mcp::ClientOptions::known_tools).
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "mcp/client.hpp"

namespace secpilot::plugin {

class McpClients {
 public:
  // `on_tools_changed` is called on the server's reader thread: it must return at once.
  // `tool_cache`: a folder only the daemon's user may read (empty: no cache, servers start at
  // once).
  explicit McpClients(std::function<void()> on_tools_changed = {},
                      std::filesystem::path tool_cache = {});

  // The running client of `plugin`'s server when one with the same options exists, else a new
  // one made from `options`.
  std::shared_ptr<mcp::Client> client(const std::string& plugin, mcp::ClientOptions options,
                                      std::shared_ptr<spdlog::logger> log);

 private:
  std::function<void()> on_tools_changed_;
  std::filesystem::path tool_cache_;
  std::mutex mutex_;
  std::map<std::string, std::weak_ptr<mcp::Client>> clients_;  // by fingerprint
};

}  // namespace secpilot::plugin
