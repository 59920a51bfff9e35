// The core's view of HTTP: the plugin adapts these to the host's ctx.http(), tests to a script
// or a loopback client. Keeping them here lets the core be tested without a host.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace red_canary {

using Fields = std::vector<std::pair<std::string, std::string>>;  // headers or query, in order

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  Fields headers;
  std::string body;
};

struct HttpResponse {
  int status = 0;
  Fields headers;  // names lower-case
  std::string body;

  std::optional<std::string> header(std::string_view lower_case_name) const {
    for (const auto& [name, value] : headers)
      if (name == lower_case_name) return value;
    return std::nullopt;
  }
};

// Sends one request and returns the response, whatever its status. Throws red_canary::Error
// when no response arrived (connection refused or closed, timeout, egress refused, cancelled).
using Transport = std::function<HttpResponse(const HttpRequest&)>;

// Waits for `delay` (to honour Retry-After); returns false, early, when the call is cancelled.
using Waiter = std::function<bool(std::chrono::milliseconds delay)>;

// True once the host no longer wants the call's result.
using Cancelled = std::function<bool()>;

}  // namespace red_canary
