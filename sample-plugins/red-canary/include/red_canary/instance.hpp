// The customer's Red Canary instance, from the plugin's two settings: the portal address
// (InstanceURL, https://<subdomain>.my.redcanary.co) and the API token (the ApiToken secret).
#pragma once

#include <optional>
#include <string>

namespace red_canary {

struct Instance {
  std::string portal_url;  // "https://acme.my.redcanary.co", no trailing slash
  std::string api_url;     // portal_url + "/openapi/v3"
  std::string api_token;
};

// Checks the settings and derives the API's address. Throws Error(unauthorized) when a setting
// is missing and Error(invalid_input) when InstanceURL is not a usable address; both messages name
// the setting and say how to set it. Plain http:// is accepted only for loopback hosts (a local
// test double): anything else would send the token in clear.
Instance read_instance(const std::optional<std::string>& instance_url,
                       const std::optional<std::string>& api_token);

}  // namespace red_canary
