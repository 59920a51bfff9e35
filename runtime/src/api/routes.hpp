// What the route groups share: authentication around each handler, JSON bodies, errors.
#pragma once

#include <boost/json/object.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <variant>

#include "api/auth.hpp"
#include "api/errors.hpp"
#include "secpilot/api/api.hpp"
#include "secpilot/server/router.hpp"

namespace secpilot::api {

struct Shared {
  std::shared_ptr<ApiContext> context;
  std::shared_ptr<Authenticator> auth;
};

using AuthedHandler = std::function<server::Reply(const server::Request&, const server::PathParams&,
                                                  const orchestrator::Identity&)>;

// Authenticates (and rate-limits) the caller for `permission`, then runs `handler`; an error the
// handler throws as std::exception becomes a 500 problem (the server logs it).
server::RouteHandler with_auth(const Shared& shared, Permission permission, AuthedHandler handler);

// The request body as a JSON object; a 415 problem for another Content-Type, 400 for bad JSON.
// An empty body reads as {}. `storage`: where the object's memory comes from (default: the heap).
std::variant<boost::json::object, server::Response> json_body(
    const server::Request& request, boost::json::storage_ptr storage = {});

// Where an event stream resumes: after the Last-Event-ID header's sequence number, else the
// `after` query parameter's, else 0; nullopt when the value is not a number.
std::optional<std::int64_t> resume_after(const server::Request& request);

// A string member of `body`, or `fallback` when absent.
std::string string_member(const boost::json::object& body, std::string_view name,
                          std::string fallback = {});

void add_system_routes(server::Router& router, const Shared& shared);
void add_plugin_routes(server::Router& router, const Shared& shared);
void add_skill_routes(server::Router& router, const Shared& shared);
void add_session_routes(server::Router& router, const Shared& shared);
void add_evaluation_routes(server::Router& router, const Shared& shared);
void add_key_routes(server::Router& router, const Shared& shared);
void add_approval_routes(server::Router& router, const Shared& shared);
void add_promptbook_routes(server::Router& router, const Shared& shared);
void add_web_routes(server::Router& router, const Shared& shared);
void add_mcp_routes(server::Router& router, const Shared& shared);

}  // namespace secpilot::api
