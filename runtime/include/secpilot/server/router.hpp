// Maps (method, path) to a handler. Patterns are paths whose segments are literals, parameters
// ("{id}"), parameters with a custom-method suffix ("{name}:invoke", as in Google's AIP-136) or,
// last, a rest parameter ("{path...}", one or more segments).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "secpilot/server/event_stream.hpp"
#include "secpilot/server/http_message.hpp"

namespace secpilot::server {

// The values of a route's parameters, percent-decoded.
class PathParams {
 public:
  // The value of `name`; empty when the route has no such parameter.
  std::string_view operator[](std::string_view name) const;
  bool contains(std::string_view name) const;
  bool empty() const noexcept { return values_.empty(); }
  std::size_t size() const noexcept { return values_.size(); }
  auto begin() const noexcept { return values_.begin(); }
  auto end() const noexcept { return values_.end(); }

  void add(std::string name, std::string value);

 private:
  std::vector<std::pair<std::string, std::string>> values_;
};

// What a handler answers with: a complete response, or the start of an event stream.
using Reply = std::variant<Response, EventStreamStart>;

// Handlers run on the server's work threads (or, where the route allows it, on the I/O thread that
// read the request: see InlineCheck), may block, and may run concurrently with each other (and
// with themselves). An exception becomes a 500 problem; its text is logged, not sent.
using RouteHandler = std::function<Reply(const Request&, const PathParams&)>;

// Whether one request's handler may run on the I/O thread that read it, skipping the hand-off to
// the work pool and back (two thread wake-ups, most of a small request's cost). Called on the
// I/O thread before the handler, with the parsed request (not yet authenticated): it must answer
// within a microsecond or so, without blocking, and say yes only for a handler that returns
// within a fraction of a millisecond without waiting for I/O, a lock held across I/O, or another
// thread. The server bounds what a wrong yes costs (see HttpServerOptions::inline_handoff_after).
using InlineCheck = std::function<bool(const Request&, const PathParams&)>;

// How the server runs a route's handler.
struct RouteOptions {
  InlineCheck run_inline;  // empty: always on the work pool
};

// For handlers that answer from memory at once (/healthz, /metrics): always on the I/O thread.
RouteOptions on_io_thread();

// The outcome of matching one request against the routes.
struct RouteMatch {
  const RouteHandler* handler = nullptr;    // null: no route for this path, or not for this method
  const InlineCheck* run_inline = nullptr;  // the route's check, when it has one
  std::string_view pattern;  // the matched route's pattern; empty when no path matched
  PathParams params;
  std::string_view allow;  // for a matched path: its methods, "GET, HEAD, POST" (in the router)

  bool path_found() const noexcept { return !pattern.empty(); }
};

// Routes are added while setting up, then only read: match() is safe from many threads at once
// as long as no add() runs concurrently.
class Router {
 public:
  Router();
  ~Router();
  Router(Router&&) noexcept;
  Router& operator=(Router&&) noexcept;

  // Adds a route. Throws std::invalid_argument for a malformed pattern (which the message
  // explains) or when `method` already has a route of the same shape (same segments, whatever
  // the parameter names).
  Router& add(std::string_view method, std::string_view pattern, RouteHandler handler,
              RouteOptions options = {});
  Router& get(std::string_view pattern, RouteHandler handler, RouteOptions options = {});
  Router& post(std::string_view pattern, RouteHandler handler, RouteOptions options = {});
  Router& put(std::string_view pattern, RouteHandler handler, RouteOptions options = {});
  Router& patch(std::string_view pattern, RouteHandler handler, RouteOptions options = {});
  Router& del(std::string_view pattern, RouteHandler handler, RouteOptions options = {});

  // Matches a percent-encoded path ("/v1/skills/Threat%20Intel.Lookup:invoke"). The most
  // specific pattern wins, segment by segment from the left: literal, then parameter with a
  // custom method, then parameter, then rest parameter. A HEAD request uses the GET route when
  // there is no HEAD one. A custom method is the text after the segment's last unencoded ':'.
  RouteMatch match(std::string_view method, std::string_view encoded_path) const;

  // Matches and runs the handler, or answers 404, 405 (with Allow) or, for OPTIONS on a known
  // path without its own route, 204 with Allow. What the server does, for use without one.
  Reply handle(const Request& request) const;

 private:
  struct Table;
  std::unique_ptr<Table> table_;
};

// The router's own answers, shared with the server.
Response not_found(const Request& request);
Response method_not_allowed(const Request& request, std::string_view pattern,
                            std::string_view allow);
Response options_allowed(std::string_view allow);

}  // namespace secpilot::server
