// How an API-format plugin authenticates, read from its Descriptor (SupportedAuthTypes and
// Authorization, in Security Copilot's dialect) and applied to each request. Credentials come
// from the plugin's settings and secrets; an OAuth client-credentials token is fetched from the
// token endpoint, kept until it expires, and fetched again after a 401.
//
//   None                        nothing
//   ApiKey                      Key (header or query name), Location Header|QueryParams,
//                               AuthScheme (e.g. Bearer); the key from the secret SettingName
//                               (default: the Descriptor's only secretString setting, else ApiKey)
//   Basic                       settings UsernameSettingName (Username), PasswordSettingName
//                               (Password)
//   ServiceHttp                 bearer token from the secret TokenSettingName (AccessToken)
//   OAuthClientCredentialsFlow  TokenEndpoint, ClientId, Scopes, AuthorizationContentType; the
//                               secret ClientSecretSettingName (ClientSecret)
// Text values may name settings as {{Name}} (ClientId: "{{ClientId}}").
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "secpilot/manifest/manifest.hpp"
#include "secpilot/net/http_client.hpp"
#include "secpilot/plugin/native_plugin.hpp"
#include "secpilot/util/expected.hpp"

namespace secpilot::openapi {

// Whether `url` would carry credentials in clear text over a network: http:// to a host other
// than loopback (127.0.0.0/8, ::1, localhost). Such URLs are refused for authenticated calls.
bool cleartext_off_loopback(std::string_view url);

class ApiAuth {
 public:
  enum class Kind { none, api_key, basic, bearer, client_credentials };

  // Unsupported types (AAD, authorization-code flows) are errors saying what to use instead.
  static Expected<std::shared_ptr<ApiAuth>> from_descriptor(const manifest::Descriptor& descriptor);

  Kind kind() const noexcept { return kind_; }

  // What a request needs for one call: adds headers, or a query parameter to the URL (which has
  // no fragment). `base_url` resolves a relative TokenEndpoint. Errors: unauthorized (a missing
  // secret, a refused token request), or the token request's own failure.
  Outcome apply(net::HttpRequest& request, const std::string& base_url,
                const plugin::PluginEnvironment& env, std::chrono::milliseconds timeout,
                const std::function<bool()>& cancelled);

  // After a 401: true when a retry may succeed (a cached token was dropped).
  bool forget_token();

 private:
  Expected<std::string> token(const std::string& base_url, const plugin::PluginEnvironment& env,
                              std::chrono::milliseconds timeout,
                              const std::function<bool()>& cancelled);
  Expected<std::string> setting(const plugin::PluginEnvironment& env, const std::string& name,
                                std::string_view what) const;

  Kind kind_ = Kind::none;
  std::string key_name_;        // ApiKey: header or query parameter
  bool key_in_query_ = false;   // ApiKey: Location QueryParams
  std::string scheme_;          // ApiKey: AuthScheme prefix
  std::string secret_setting_;  // the setting that holds the key, password, token or client secret
  std::string user_setting_;    // Basic
  // Client credentials.
  std::string token_endpoint_;
  std::string client_id_;
  std::string scopes_;
  bool token_request_json_ = false;  // AuthorizationContentType application/json

  std::mutex mutex_;  // guards the cached token
  std::string cached_token_;
  std::chrono::steady_clock::time_point token_expiry_{};
};

}  // namespace secpilot::openapi
