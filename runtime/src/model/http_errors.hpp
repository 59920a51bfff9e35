// Turns a model endpoint's HTTP error into an Error that says what to fix: the key (401), the
// model or deployment name (404), the content filter, the quota.
#pragma once

#include "model/wire_format.hpp"
#include "secpilot/model/model_options.hpp"
#include "secpilot/util/expected.hpp"

namespace secpilot::model::detail {

// `status` is not 2xx; `attempts` is how many requests were made (for rate limits and 5xx).
Error http_failure(int status, const ErrorBody& body, const ModelOptions& options,
                   const Endpoint& endpoint, int attempts);

}  // namespace secpilot::model::detail
