// Errors of the Red Canary connector core: a kind the plugin maps to an SDK status, and a message
// for a person. The core has no SDK dependency, so it has its own small error type.
#pragma once

#include <stdexcept>
#include <string>

namespace red_canary {

enum class ErrorKind {
  invalid_input,  // the input or a setting is wrong; retrying the same call fails again
  not_found,      // the detection or endpoint asked about does not exist
  unauthorized,   // the API token is missing, wrong or lacks the rights
  rate_limited,   // Red Canary throttled us: retry later
  upstream,       // Red Canary failed, or answered something that is not its API
  timeout,        // a request or the call ran out of time
  cancelled,      // the host gave up on the call
  forbidden,      // the host's policy refused the request (egress)
  too_large,      // a response exceeded the host's size limit
  internal,       // a bug
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const noexcept { return kind_; }

 private:
  ErrorKind kind_;
};

}  // namespace red_canary
