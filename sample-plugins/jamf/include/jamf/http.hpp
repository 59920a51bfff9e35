// What jamf_core needs from the outside world to talk to Jamf Pro: one HTTP exchange at a time,
// and a way to wait before a retry that gives up when the caller is cancelled. The plugin
// implements both over the host (ctx.http, ctx.cancelled); tests implement them in memory.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace jamf {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "GET";
  std::string url;  // absolute; query already percent-encoded
  Headers headers;
  std::string body;
  std::chrono::milliseconds timeout{30000};
};

struct HttpResponse {
  int status = 0;
  Headers headers;  // names lower-case
  std::string body;

  std::optional<std::string> header(std::string_view lower_case_name) const {
    for (const auto& [name, value] : headers)
      if (name == lower_case_name) return value;
    return std::nullopt;
  }
};

class Transport {
 public:
  virtual ~Transport() = default;
  // Sends one request and returns the response, whatever its status. Throws jamf::Error when no
  // response arrived (connection refused or closed, timeout, egress refused, cancelled).
  virtual HttpResponse send(const HttpRequest& request) = 0;
  // Waits `delay` before a retry; returns false, early, when the caller was cancelled.
  virtual bool wait(std::chrono::milliseconds delay) = 0;
};

}  // namespace jamf
