// The one error type of jamf_core: a failure class the host's status codes map onto one to one,
// and a message a person can act on. The plugin turns it into secpilot::sdk::Error at the boundary.
#pragma once

#include <stdexcept>
#include <string>

namespace jamf {

enum class ErrorKind {
  invalid_input,  // the caller's input or a setting is wrong; retrying the same will fail again
  not_found,      // the computer asked about does not exist
  unauthorized,   // credentials missing, refused, or lacking a privilege
  rate_limited,   // Jamf Pro throttled us: retry later
  upstream,       // Jamf Pro failed or answered something this plugin cannot read
  timeout,        // a request ran out of time
  cancelled,      // the host no longer wants the result
  forbidden,      // the host's policy refused the request (egress)
  internal,       // a bug
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const noexcept { return kind_; }

 private:
  ErrorKind kind_;
};

}  // namespace jamf
