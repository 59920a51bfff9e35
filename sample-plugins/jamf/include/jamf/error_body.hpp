// Reads the reason out of an error response from Jamf Pro: the Jamf Pro API's
// {"httpStatus", "errors": [{"code", "description"}]}, OAuth's {"error", "error_description"},
// or else the start of the body as text.
#pragma once

#include <string>

namespace jamf {

// A one-line summary such as "INVALID_ID: Computer 999 not found", or "" when the body is empty.
std::string describe_error_body(const std::string& body);

}  // namespace jamf
