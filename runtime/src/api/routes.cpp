#include "api/routes.hpp"

#include "secpilot/util/json_parse.hpp"

namespace secpilot::api {

server::RouteHandler with_auth(const Shared& shared, Permission permission, AuthedHandler handler) {
  return [shared, permission, handler = std::move(handler)](
             const server::Request& request, const server::PathParams& params) -> server::Reply {
    auto who = shared.auth->authenticate(request, permission);
    if (auto* refusal = std::get_if<server::Response>(&who)) return std::move(*refusal);
    return handler(request, params, std::get<orchestrator::Identity>(who));
  };
}

std::variant<boost::json::object, server::Response> json_body(const server::Request& request,
                                                              boost::json::storage_ptr storage) {
  if (request.body.empty()) return boost::json::object(std::move(storage));
  const std::string_view type = request.header("content-type");
  if (type.substr(0, type.find(';')) != "application/json")
    return server::problem(415, "Unsupported Media Type",
                           "send the body as JSON with Content-Type: application/json");
  boost::system::error_code error;
  auto value = parse_json(request.body, error, std::move(storage));
  if (error || !value.is_object())
    return server::problem(
        400, "Bad Request",
        "the body must be a JSON object" + (error ? " (" + error.message() + ")" : std::string()));
  return std::move(value.as_object());
}

std::string string_member(const boost::json::object& body, std::string_view name,
                          std::string fallback) {
  const auto* value = body.if_contains(name);
  return value && value->is_string() ? std::string(value->as_string()) : std::move(fallback);
}

void add_routes(server::Router& router, std::shared_ptr<ApiContext> context) {
  Shared shared{context, std::make_shared<Authenticator>(context)};
  add_system_routes(router, shared);
  add_plugin_routes(router, shared);
  add_skill_routes(router, shared);
  add_session_routes(router, shared);
  add_evaluation_routes(router, shared);
  add_key_routes(router, shared);
  add_approval_routes(router, shared);
  add_promptbook_routes(router, shared);
  add_web_routes(router, shared);
  add_mcp_routes(router, shared);
}

std::optional<std::int64_t> resume_after(const server::Request& request) {
  std::string_view last = request.header("last-event-id");
  if (last.empty()) last = request.query_param("after").value_or("");
  if (last.empty()) return 0;
  try {
    return std::stoll(std::string(last));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace secpilot::api
