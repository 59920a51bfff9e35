#include "mcp/jsonrpc.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace secpilot::mcp::jsonrpc {
namespace json = boost::json;

namespace {

Reject refuse(const json::value& id, int code, std::string_view message) {
  return Reject{error(id, code, message), code};
}

}  // namespace

std::variant<Request, Reject> read(std::string_view message) {
  json::error_code failed;
  json::value parsed = json::parse(message, failed);
  if (failed) return refuse(nullptr, kParseError, "Parse error: " + failed.message());
  auto* object = parsed.if_object();
  if (object == nullptr)
    return refuse(nullptr, kInvalidRequest,
                  parsed.is_array() ? "Invalid Request: batches are not supported"
                                    : "Invalid Request: a message is a JSON object");
  // MCP ids are strings or integers, never null; anything else cannot be echoed back.
  json::value id = nullptr;
  if (const auto* given = object->if_contains("id")) {
    if (!given->is_string() && !given->is_int64() && !given->is_uint64())
      return refuse(nullptr, kInvalidRequest, "Invalid Request: id must be a string or an integer");
    id = *given;
  }
  const auto* version = object->if_contains("jsonrpc");
  if (version == nullptr || *version != "2.0")
    return refuse(id, kInvalidRequest, "Invalid Request: jsonrpc must be \"2.0\"");
  const auto* method = object->if_contains("method");
  if (method == nullptr) {
    // A response to a request of ours: this server sends none, so there is nothing to say.
    if (!id.is_null() && (object->contains("result") || object->contains("error"))) return Reject{};
    return refuse(id, kInvalidRequest, "Invalid Request: method is missing");
  }
  if (!method->is_string())
    return refuse(id, kInvalidRequest, "Invalid Request: method must be a string");
  Request request{std::move(id), std::string(method->get_string()), {}};
  if (const auto* params = object->if_contains("params")) {
    if (params->is_object()) {
      request.params = params->get_object();
    } else if (!params->is_null()) {
      if (request.notification()) return Reject{};
      return refuse(request.id, params->is_array() ? kInvalidParams : kInvalidRequest,
                    "params must be an object");
    }
  }
  return request;
}

std::string result(const json::value& id, json::object result) {
  return json::serialize(
      json::object{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}});
}

std::string error(const json::value& id, int code, std::string_view message,
                  const json::value& data) {
  json::object body{{"code", code}, {"message", message}};
  if (!data.is_null()) body["data"] = data;
  return json::serialize(json::object{{"jsonrpc", "2.0"}, {"id", id}, {"error", std::move(body)}});
}

}  // namespace secpilot::mcp::jsonrpc
