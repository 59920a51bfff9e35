// The host's outbound HTTP(S) client: what plugins reach the network through. TLS is verified,
// every request has a deadline and size limits, redirects are off unless asked for, and each
// request is checked against the caller's egress allow-list before any connection is made.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "secpilot/util/expected.hpp"

namespace secpilot::net {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpResponse {
  int status = 0;
  Headers headers;  // names lower-cased
  std::string body;
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;  // absolute http:// or https://
  Headers headers;
  std::string body;
  std::chrono::milliseconds timeout{0};  // 0 = client default
  bool follow_redirects = false;
  // Optional streaming: when set, the response body is handed to this callback as it arrives (in
  // pieces of any size, each valid only during the call) instead of being collected, and
  // HttpResponse::body stays empty. `head` is the response so far: status and headers, so that a
  // caller can tell an event stream from an error document. max_response_bytes does not apply, as
  // nothing accumulates; the timeout still bounds the whole call. Returning false stops reading:
  // request() then returns the response (status and headers) without an error and closes the
  // connection. The body of a redirect that is followed is discarded, not delivered.
  std::function<bool(const HttpResponse& head, std::string_view chunk)> on_body_chunk;
};

// Which hosts a plugin may reach. Patterns: "api.example.com", "*.example.com" (any subdomain, not
// the apex), "example.com:8443" (that port only), "127.0.0.1", "*" (anything). Empty list =
// nothing. IPv6 patterns are bracketed when they carry a port ("[::1]:8080"); a bare "::1" means
// any port. Host names compare case-insensitively and without a trailing dot; IP addresses compare
// by value. A malformed pattern ("api.*.com", "example.com:0") matches nothing. `host` may be
// bracketed.
class EgressPolicy {
 public:
  EgressPolicy() = default;
  explicit EgressPolicy(std::vector<std::string> patterns) : patterns_(std::move(patterns)) {}
  bool allows(std::string_view host, unsigned port) const;
  const std::vector<std::string>& patterns() const noexcept { return patterns_; }

 private:
  std::vector<std::string> patterns_;
};

struct HttpClientOptions {
  std::chrono::milliseconds default_timeout{30'000};
  std::chrono::milliseconds max_timeout{120'000};
  std::size_t max_response_bytes = 16 * 1024 * 1024;
  std::size_t max_header_bytes = 64 * 1024;
  int max_redirects = 5;
  std::string ca_file;     // extra trust anchors (PEM); the system store is always used too
  bool verify_tls = true;  // false only for tests against self-signed peers, never by default
  std::string user_agent = "secpilot/1.0";
  // Like curl's --resolve: connect to this IP address (literal) instead of resolving the host name
  // ("api.example.com" -> "10.0.0.5"). The egress check, Host header, SNI and certificate
  // verification still use the name in the URL. Names compare case-insensitively.
  std::vector<std::pair<std::string, std::string>> resolve_overrides;
};

// Thread-safe: many threads may call request() at once; each call runs its own I/O.
class HttpClient {
 public:
  // Builds the TLS context once. Throws std::invalid_argument when ca_file cannot be loaded or a
  // resolve override is not an IP address: misconfiguration should stop startup, not every request.
  explicit HttpClient(HttpClientOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // `cancelled` (optional) is polled while waiting; when it returns true the request is abandoned
  // with Status::cancelled. Errors: forbidden (egress), invalid_input (bad URL or method), timeout,
  // too_large, upstream (DNS, connect, TLS, protocol), cancelled. HTTP error statuses are values.
  // The timeout covers the whole call: DNS, connect, TLS, sending, receiving and every redirect
  // hop. Host, Content-Length, Transfer-Encoding and Connection are the client's own (the caller's
  // are ignored); User-Agent defaults to options.user_agent. A redirect that changes scheme, host
  // or port drops Authorization, Cookie and Proxy-Authorization; https -> http is never followed.
  Expected<HttpResponse> request(const HttpRequest& request, const EgressPolicy& egress,
                                 const std::function<bool()>& cancelled = {}) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace secpilot::net
