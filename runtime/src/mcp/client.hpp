// secpilot as an MCP client of a server that a manifest's `Format: MCP` group names (docs/mcp.md,
// "MCP servers as plugins"): it starts the server (stdio) or reaches its endpoint (Streamable
// HTTP), finds out which protocol era it speaks (server/discover first, `initialize` when that
// fails), lists its tools and calls them. A server that exits or cannot be reached is started (or
// connected to) again on the next call, no sooner than a growing back-off allows; the old process
// is always reaped first. An HTTP session the server forgot is replaced at once, and the request
// sent again.
#pragma once

#include <boost/json/array.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <variant>

#include "mcp/http_peer.hpp"
#include "mcp/stdio_peer.hpp"
#include "secpilot/mcp/server.hpp"

namespace secpilot::mcp {

struct ClientOptions {
  std::variant<StdioCommand, HttpEndpoint> server;  // Command or Endpoint
  std::string name;  // how logs and errors name the server: the program, the redacted URL
  std::chrono::milliseconds timeout{30'000};          // each request (TimeoutInSeconds)
  std::chrono::milliseconds discover_timeout{3'000};  // the modern probe before `initialize`
  std::chrono::milliseconds restart_backoff{200};     // after an exit, doubled up to the max
  std::chrono::milliseconds restart_backoff_max{30'000};
  // Told (on the transport's reader thread: return at once) when the server says its tool list
  // changed (notifications/tools/list_changed), or when it turns out to list other tools than
  // known_tools.
  std::function<void()> on_tools_changed;
  // The tools the server listed in an earlier run (a daemon's cache): list_tools() answers with
  // them without starting the server, which then starts at its first call and is asked for its
  // tools again then.
  std::optional<boost::json::array> known_tools;
  // Told each tool list the server gives, to keep such a cache.
  std::function<void(const boost::json::array&)> on_tools_listed;
};

class Client {
 public:
  using Clock = std::chrono::steady_clock;

  Client(ClientOptions options, std::shared_ptr<spdlog::logger> log);
  ~Client();

  // Starts the server if it is not running, and says hello in its era.
  Outcome connect();
  // Every tool the server lists (all pages), as the tool objects it sent; known_tools instead while
  // the server has not been started.
  Expected<boost::json::array> list_tools();
  // Calls a tool; the `result` of tools/call (content, structuredContent, isError).
  Expected<boost::json::object> call_tool(
      const std::string& name, boost::json::object arguments, Clock::time_point deadline,
      const std::shared_ptr<const std::atomic<bool>>& cancelled);

  Era era() const;

 private:
  Expected<Peer::Answer> request(std::string_view method, boost::json::object params,
                                 Clock::time_point deadline,
                                 const std::shared_ptr<const std::atomic<bool>>& cancelled);
  Expected<boost::json::array> ask_for_tools();
  void check_known_tools();
  Expected<std::shared_ptr<Peer>> open_peer();
  Outcome handshake(Peer& peer);
  void back_off(std::string why);
  boost::json::object with_meta(boost::json::object params) const;

  ClientOptions options_;
  std::shared_ptr<spdlog::logger> log_;
  mutable std::mutex mutex_;  // guards the peer's replacement, not its requests
  std::shared_ptr<Peer> peer_;
  Era era_ = Era::legacy;
  std::string protocol_version_;
  Clock::time_point next_start_{};
  std::chrono::milliseconds backoff_;
  std::string last_failure_;
  // known_tools stood in for a listing: the first start asks the server for its tools.
  bool check_tools_on_start_ = false;
};

}  // namespace secpilot::mcp
