// Calls one OpenAPI operation for an API-format skill: builds the request from the skill's
// (already validated) inputs, authenticates it, sends it through the host's HTTP client under
// the plugin's egress rules, and turns the answer into the skill's result or a clear error.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "openapi/api_auth.hpp"
#include "openapi/operation.hpp"
#include "secpilot/plugin/native_plugin.hpp"
#include "secpilot/util/expected.hpp"

namespace secpilot::openapi {

// Where the base URL comes from, first match wins: the setting EndpointUrlSettingName names, the
// group's EndpointUrl, the operation's server. A replacement without a path keeps the server
// URL's path (InstanceURL https://acme.example.com + server /api/v3).
struct Endpoint {
  std::string url_setting;  // EndpointUrlSettingName
  std::string url;          // EndpointUrl
};

class ApiCall {
 public:
  ApiCall(Operation operation, Endpoint endpoint, std::shared_ptr<ApiAuth> auth,
          std::shared_ptr<const plugin::PluginEnvironment> environment);

  // `input` is the JSON object of the skill's inputs. Errors: invalid_input (HTTP 400/422),
  // unauthorized (401/403, missing credentials), not_found (404), rate_limited (429 after
  // waiting as Retry-After says while time allows), upstream (5xx, a body that is not JSON),
  // timeout, cancelled, forbidden (egress).
  Expected<std::string> call(std::string_view input, std::chrono::steady_clock::time_point deadline,
                             const std::shared_ptr<const std::atomic<bool>>& cancelled) const;

  const Operation& operation() const noexcept { return operation_; }

 private:
  Expected<std::string> base_url() const;

  Operation operation_;
  Endpoint endpoint_;
  std::shared_ptr<ApiAuth> auth_;
  std::shared_ptr<const plugin::PluginEnvironment> environment_;
};

}  // namespace secpilot::openapi
