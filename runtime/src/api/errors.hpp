// How runtime errors and statuses become HTTP problem responses.
#pragma once

#include "secpilot/server/http_message.hpp"
#include "secpilot/util/expected.hpp"

namespace secpilot::api {

// The HTTP status for a runtime Status (invalid_input → 400, not_found → 404, ...).
int http_status(Status status) noexcept;
// An RFC 9457 problem for `error`, with its status name as the `code` member.
server::Response problem_for(const Error& error);

}  // namespace secpilot::api
