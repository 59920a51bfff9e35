// The request a handler receives and the response it returns, with helpers for JSON bodies and
// RFC 9457 problem details. Plain data: no Beast or Asio here, so API code compiles fast.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/json/fwd.hpp>

namespace secpilot::server {

// Header fields in arrival (or insertion) order. Request header names are lower-cased.
using Headers = std::vector<std::pair<std::string, std::string>>;

// The value of the first field named `name` (ASCII case-insensitive), if any.
std::optional<std::string_view> find_header(const Headers& headers, std::string_view name);

// One parsed HTTP request, owned by the handler for the duration of the call.
struct Request {
  std::string method;                                      // as sent, case-sensitive ("GET")
  std::string target;                                      // as sent ("/v1/skills?q=ip%20lookup")
  std::string path;                                        // percent-decoded path ("/v1/skills")
  std::vector<std::pair<std::string, std::string>> query;  // decoded, '+' read as a space
  Headers headers;                                         // names lower-cased
  std::string body;
  std::string remote_address;  // "127.0.0.1:53412", "[::1]:53412"
  bool secure = false;         // arrived over TLS
  // Set by the server when it gives up on the request: it stopped and the grace period ran out.
  // Long-running handlers should poll cancelled() (e.g. as HttpClient's `cancelled` callback).
  std::shared_ptr<const std::atomic<bool>> cancellation;

  // The first header named `name` (any case); empty when absent.
  std::string_view header(std::string_view name) const;
  bool has_header(std::string_view name) const;
  // The first query parameter named `name` (exact match), decoded.
  std::optional<std::string_view> query_param(std::string_view name) const;
  bool cancelled() const noexcept {
    return cancellation && cancellation->load(std::memory_order_relaxed);
  }
};

// A complete response. The server adds Content-Length, Date and Connection; it ignores those and
// Content-Type when they appear in `headers` (the `content_type` member is what is sent).
struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  std::string content_type = "application/json";
};

// `value` serialized as the body, application/json.
Response json(int status, const boost::json::value& value);
// `body` as text/plain; charset=utf-8 (or another `content_type`).
Response text(int status, std::string body, std::string content_type = "text/plain; charset=utf-8");
// 204 No Content (sent without Content-Type and Content-Length, per RFC 9110).
Response no_content();

// A problem's machine-readable `code` when the caller gives none: the runtime's status names where
// one fits ("not_found"), else the HTTP status's ("method_not_allowed"), so that a client can
// switch on `code` alone.
std::string_view default_problem_code(int status) noexcept;

// An RFC 9457 problem details object: application/problem+json with members type, title, status,
// detail (when not empty) and instance (when not empty), followed by the `extensions` members
// (and `code`, default_problem_code(status), when they have none).
// A default `type` of "about:blank" means the title is the HTTP status phrase.
Response problem(int status, std::string title, std::string detail,
                 std::string type = "about:blank");
Response problem(int status, std::string title, std::string detail, std::string type,
                 std::string instance, const boost::json::object& extensions);
// The common case: title = the status phrase ("Not Found"), type = about:blank.
Response problem(int status, std::string detail);

// The server's default response headers (HttpServerHooks::response_headers):
// X-Content-Type-Options: nosniff on everything, and Cache-Control: no-store on JSON
// (application/json or any +json type) unless the handler set a Cache-Control.
void add_default_response_headers(const Request& request, int status, std::string_view content_type,
                                  Headers& headers);

// The RFC 9110 reason phrase of a status code ("Not Found"); "Unknown" for unregistered codes.
std::string_view reason_phrase(int status) noexcept;

}  // namespace secpilot::server
