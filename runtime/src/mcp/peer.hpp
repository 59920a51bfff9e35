// The client's side of one MCP transport: how mcp::Client sends a JSON-RPC request and waits for
// its response, whatever carries them (a child process's pipes: StdioPeer; Streamable HTTP:
// HttpPeer). What the server sends unasked is the peer's to handle: notifications go to a
// callback, requests of the server's own are refused.
#pragma once

#include <atomic>
#include <boost/json/object.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "secpilot/util/expected.hpp"

namespace secpilot::mcp {

// Where a modern-era request names its revision (params._meta).
inline constexpr std::string_view kProtocolVersionMetaKey =
    "io.modelcontextprotocol/protocolVersion";

class Peer {
 public:
  using Clock = std::chrono::steady_clock;
  using OnNotification = std::function<void(const std::string& method)>;

  // A response: its result, or its JSON-RPC error (code not 0).
  struct Answer {
    boost::json::object result;
    int error_code = 0;
    std::string error_message;
    bool failed() const noexcept { return error_code != 0; }
  };

  virtual ~Peer() = default;

  // Sends a request and waits for its response. Errors: timeout at `deadline` (the request is
  // then cancelled with notifications/cancelled), cancelled through `cancelled`, upstream when
  // the server is gone or answered in a way that is not MCP.
  virtual Expected<Answer> request(
      std::string_view method, boost::json::object params, Clock::time_point deadline,
      const std::shared_ptr<const std::atomic<bool>>& cancelled = nullptr) = 0;
  // Sends a notification.
  virtual Outcome notify(std::string_view method, boost::json::object params = {}) = 0;

  // False once the server is gone: it exited, or cannot be reached. A new peer is then needed.
  virtual bool alive() const = 0;
  // The server forgot this peer (an HTTP session it no longer knows): a new peer, made at once
  // rather than after a back-off, is the cure.
  virtual bool expired() const { return false; }
};

}  // namespace secpilot::mcp
