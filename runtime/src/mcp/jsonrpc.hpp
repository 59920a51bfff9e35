// JSON-RPC 2.0 envelopes as MCP uses them: one message at a time, ids that are strings or
// integers, the standard error codes.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <string_view>
#include <variant>

namespace secpilot::mcp::jsonrpc {

inline constexpr int kParseError = -32700;
inline constexpr int kInvalidRequest = -32600;
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kInternalError = -32603;

// A request (id set) or a notification (id null). params is an empty object when absent.
struct Request {
  boost::json::value id;
  std::string method;
  boost::json::object params;
  bool notification() const noexcept { return id.is_null(); }
};

// What a message needs as an answer before any method runs.
struct Reject {
  std::string response;  // an error response, or empty: answer nothing (a client's response)
  int code = 0;          // the error code in `response`
};

// Reads one message: a request or notification, or the answer owed to one that is not.
std::variant<Request, Reject> read(std::string_view message);

std::string result(const boost::json::value& id, boost::json::object result);
std::string error(const boost::json::value& id, int code, std::string_view message,
                  const boost::json::value& data = nullptr);

}  // namespace secpilot::mcp::jsonrpc
