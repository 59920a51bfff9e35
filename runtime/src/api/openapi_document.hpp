// The OpenAPI 3 description of the REST API: docs/openapi.json, embedded at build time.
#pragma once

#include <string_view>

namespace secpilot::api {

std::string_view openapi_document() noexcept;

}  // namespace secpilot::api
