// The JSON-RPC messages of the client's side, whatever transport carries them: the text of a
// request or a notification, and one message from the server sorted into what it is (a response
// to one of ours, a notification, a request of its own). Every Peer reads servers alike.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "mcp/peer.hpp"

namespace secpilot::mcp::peer_messages {

// One message; a longer one ends the exchange it came in.
inline constexpr std::size_t kMaxMessageBytes = 64 * 1024 * 1024;

std::string request_text(std::int64_t id, std::string_view method, boost::json::object params);
std::string notification_text(std::string_view method, boost::json::object params);

// Not a JSON-RPC message: worth a warning in the log, nothing else.
struct Unreadable {};
struct Notification {
  std::string method;
};
// A request of the server's own (sampling, roots, elicitation): not offered by this client.
struct ServerRequest {
  std::string method;
  std::string refusal;  // the "method not found" response owed to it
};
// A response to a request of ours (ids are ours: integers).
struct Response {
  std::int64_t id = 0;
  Peer::Answer answer;
};
// A response whose id cannot be one of ours: dropped.
struct Stray {};

using Incoming = std::variant<Unreadable, Notification, ServerRequest, Response, Stray>;

Incoming read(std::string_view text);

}  // namespace secpilot::mcp::peer_messages
