// The host's outbound HTTP(S) client: what plugins reach the network through. TLS is verified,
// every request has a deadline and size limits, redirects are off unless asked for, and each
// request is checked against the caller's egress allow-list before any connection is made.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "secpilot/util/expected.hpp"

namespace secpilot::net {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "GET";
  std::string url;  // absolute http:// or https://
  Headers headers;
  std::string body;
  std::chrono::milliseconds timeout{0};  // 0 = client default
  bool follow_redirects = false;
};

struct HttpResponse {
  int status = 0;
  Headers headers;  // names lower-cased
  std::string body;
};

// Which hosts a plugin may reach. Patterns: "api.example.com", "*.example.com" (any subdomain, not
// the apex), "example.com:8443" (that port only), "127.0.0.1", "*" (anything). Empty list = nothing.
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
  std::string ca_file;        // extra trust anchors (PEM); the system store is always used too
  bool verify_tls = true;     // false only for tests against self-signed peers, never by default
  std::string user_agent = "secpilot/1.0";
};

// Thread-safe: many threads may call request() at once; each call runs its own I/O.
class HttpClient {
 public:
  explicit HttpClient(HttpClientOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // `cancelled` (optional) is polled while waiting; when it returns true the request is abandoned
  // with Status::cancelled. Errors: forbidden (egress), invalid_input (bad URL or method), timeout,
  // too_large, upstream (DNS, connect, TLS, protocol), cancelled. HTTP error statuses are values.
  Expected<HttpResponse> request(const HttpRequest& request, const EgressPolicy& egress,
                                 const std::function<bool()>& cancelled = {}) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace secpilot::net
