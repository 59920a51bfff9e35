#include "mcp/peer_messages.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "mcp/jsonrpc.hpp"

namespace secpilot::mcp::peer_messages {
namespace json = boost::json;

namespace {

Peer::Answer answer_of(const json::object& message) {
  Peer::Answer answer;
  if (const auto* error = message.if_contains("error"); error && error->is_object()) {
    const auto& object = error->get_object();
    const auto* code = object.if_contains("code");
    const auto* text = object.if_contains("message");
    answer.error_code = code && code->is_int64() ? static_cast<int>(code->get_int64()) : -1;
    if (answer.error_code == 0) answer.error_code = -1;
    answer.error_message =
        text && text->is_string() ? std::string(text->get_string()) : "an error without a message";
  } else if (const auto* result = message.if_contains("result"); result && result->is_object()) {
    answer.result = result->get_object();
  } else {
    answer.error_code = jsonrpc::kInternalError;
    answer.error_message = "a response with neither a result object nor an error";
  }
  return answer;
}

}  // namespace

std::string request_text(std::int64_t id, std::string_view method, json::object params) {
  json::object message{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}};
  if (!params.empty()) message["params"] = std::move(params);
  return json::serialize(message);
}

std::string notification_text(std::string_view method, json::object params) {
  json::object message{{"jsonrpc", "2.0"}, {"method", method}};
  if (!params.empty()) message["params"] = std::move(params);
  return json::serialize(message);
}

Incoming read(std::string_view text) {
  json::error_code failed;
  auto parsed = json::parse(text, failed);
  if (failed || !parsed.is_object()) return Unreadable{};
  const auto& message = parsed.get_object();
  const auto* id = message.if_contains("id");
  if (const auto* method = message.if_contains("method"); method && method->is_string()) {
    std::string name(method->get_string());
    if (id == nullptr || id->is_null()) return Notification{std::move(name)};
    std::string refusal =
        jsonrpc::error(*id, jsonrpc::kMethodNotFound, "secpilot does not offer " + name);
    return ServerRequest{std::move(name), std::move(refusal)};
  }
  if (id == nullptr || !id->is_int64()) return Stray{};
  return Response{id->get_int64(), answer_of(message)};
}

}  // namespace secpilot::mcp::peer_messages
