#include "openapi/api_auth.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <boost/url/url.hpp>

#include "secpilot/util/ascii.hpp"
#include "secpilot/util/base64.hpp"

namespace secpilot::openapi {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;

namespace {

// A token is renewed this long before the server says it expires.
constexpr std::chrono::seconds kExpiryMargin{30};
constexpr std::chrono::seconds kDefaultTokenLifetime{300};

const json::value* find_key(const json::object& object, std::string_view key) {
  for (const auto& [name, value] : object)
    if (iequals_ascii(name, key)) return &value;
  return nullptr;
}

std::string text_of(const json::object& object, std::string_view key) {
  const json::value* value = find_key(object, key);
  if (!value) return {};
  if (value->is_string()) return std::string(value->get_string());
  if (value->is_array()) {  // Scopes: [a, b] is "a b"
    std::string joined;
    for (const auto& item : value->get_array())
      if (item.is_string()) joined += (joined.empty() ? "" : " ") + std::string(item.get_string());
    return joined;
  }
  return {};
}

std::string form_encode(
    std::initializer_list<std::pair<std::string_view, std::string_view>> fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (value.empty()) continue;
    if (!out.empty()) out += '&';
    out += boost::urls::encode(name, boost::urls::unreserved_chars);
    out += '=';
    out += boost::urls::encode(value, boost::urls::unreserved_chars);
  }
  return out;
}

// The secret that carries an API key: named, else the only declared secret, else "ApiKey".
std::string key_setting(const manifest::Descriptor& descriptor, const json::object& auth) {
  if (auto named = text_of(auth, "SettingName"); !named.empty()) return named;
  const manifest::Setting* only = nullptr;
  for (const auto& setting : descriptor.settings) {
    if (!setting.is_secret()) continue;
    if (only) return "ApiKey";
    only = &setting;
  }
  return only ? only->name : "ApiKey";
}

std::string or_default(std::string text, std::string fallback) {
  return text.empty() ? fallback : text;
}

}  // namespace

bool cleartext_off_loopback(std::string_view url) {
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed || to_lower_ascii(parsed->scheme()) != "http") return false;
  const std::string host = to_lower_ascii(parsed->host());
  const bool loopback =
      host == "localhost" || host.starts_with("127.") || host == "[::1]" || host == "::1";
  return !loopback;
}

Expected<std::shared_ptr<ApiAuth>> ApiAuth::from_descriptor(
    const manifest::Descriptor& descriptor) {
  const json::object& auth = descriptor.authorization;
  std::string type = text_of(auth, "Type");
  if (type.empty() && !descriptor.supported_auth_types.empty())
    type = descriptor.supported_auth_types.front();
  const std::string lowered = to_lower_ascii(type);
  auto out = std::make_shared<ApiAuth>();
  if (lowered.empty() || lowered == "none") {
    out->kind_ = Kind::none;
  } else if (lowered == "apikey") {
    out->kind_ = Kind::api_key;
    out->key_name_ = text_of(auth, "Key");
    if (out->key_name_.empty())
      return make_error(Status::invalid_input,
                        "Authorization has no Key: name the header or query parameter that "
                        "carries the API key");
    out->key_in_query_ = iequals_ascii(text_of(auth, "Location"), "QueryParams");
    out->scheme_ = text_of(auth, "AuthScheme");
    out->secret_setting_ = key_setting(descriptor, auth);
  } else if (lowered == "basic") {
    out->kind_ = Kind::basic;
    out->user_setting_ = or_default(text_of(auth, "UsernameSettingName"), "Username");
    out->secret_setting_ = or_default(text_of(auth, "PasswordSettingName"), "Password");
  } else if (lowered == "servicehttp") {
    out->kind_ = Kind::bearer;
    out->secret_setting_ = or_default(text_of(auth, "TokenSettingName"), "AccessToken");
  } else if (lowered == "oauthclientcredentialsflow") {
    out->kind_ = Kind::client_credentials;
    out->token_endpoint_ = text_of(auth, "TokenEndpoint");
    if (out->token_endpoint_.empty())
      return make_error(Status::invalid_input,
                        "Authorization has no TokenEndpoint: give the OAuth token URL (absolute, "
                        "or a path on the API's base URL such as /api/oauth/token)");
    out->client_id_ = or_default(text_of(auth, "ClientId"), "{{ClientId}}");
    out->scopes_ = text_of(auth, "Scopes");
    out->token_request_json_ =
        to_lower_ascii(text_of(auth, "AuthorizationContentType")).starts_with("application/json");
    out->secret_setting_ = or_default(text_of(auth, "ClientSecretSettingName"), "ClientSecret");
  } else {
    return make_error(Status::unsupported,
                      "Authorization type " + type +
                          " is not supported for API skills here (they run without a Microsoft "
                          "Entra sign-in): use ApiKey, Basic, ServiceHttp or "
                          "OAuthClientCredentialsFlow");
  }
  return out;
}

Expected<std::string> ApiAuth::setting(const plugin::PluginEnvironment& env,
                                       const std::string& name, std::string_view what) const {
  if (auto value = env.setting(name); value && !value->empty()) return *value;
  return make_error(Status::unauthorized,
                    std::string(what) + " is missing: set the secret " + name +
                        " under plugins: " + env.name +
                        ": secrets: in the settings file, or with `secpilot plugins "
                        "settings " +
                        env.name + " --secret " + name + "`");
}

Outcome ApiAuth::apply(net::HttpRequest& request, const std::string& base_url,
                       const plugin::PluginEnvironment& env, std::chrono::milliseconds timeout,
                       const std::function<bool()>& cancelled) {
  switch (kind_) {
    case Kind::none:
      return Done{};
    case Kind::api_key: {
      auto key = setting(env, secret_setting_, "the API key");
      if (!key) return std::move(key).error();
      if (key_in_query_) {
        boost::urls::url url(request.url);
        url.params().append({key_name_, *key});
        request.url = std::string(url.buffer());
      } else {
        request.headers.emplace_back(key_name_, scheme_.empty() ? *key : scheme_ + " " + *key);
      }
      return Done{};
    }
    case Kind::basic: {
      auto user = setting(env, user_setting_, "the user name");
      if (!user) return std::move(user).error();
      auto password = setting(env, secret_setting_, "the password");
      if (!password) return std::move(password).error();
      request.headers.emplace_back("Authorization",
                                   "Basic " + base64_encode(*user + ":" + *password));
      return Done{};
    }
    case Kind::bearer: {
      auto token = setting(env, secret_setting_, "the access token");
      if (!token) return std::move(token).error();
      request.headers.emplace_back("Authorization", "Bearer " + *token);
      return Done{};
    }
    case Kind::client_credentials: {
      auto bearer = token(base_url, env, timeout, cancelled);
      if (!bearer) return std::move(bearer).error();
      request.headers.emplace_back("Authorization", "Bearer " + *bearer);
      return Done{};
    }
  }
  return Done{};
}

bool ApiAuth::forget_token() {
  if (kind_ != Kind::client_credentials) return false;
  std::lock_guard lock(mutex_);
  cached_token_.clear();
  return true;
}

Expected<std::string> ApiAuth::token(const std::string& base_url,
                                     const plugin::PluginEnvironment& env,
                                     std::chrono::milliseconds timeout,
                                     const std::function<bool()>& cancelled) {
  // One token request at a time: concurrent calls wait for it rather than each asking.
  std::lock_guard lock(mutex_);
  if (!cached_token_.empty() && Clock::now() < token_expiry_) return cached_token_;

  auto endpoint = env.with_settings(token_endpoint_);
  if (!endpoint) return std::move(endpoint).error();
  if (endpoint->starts_with("/")) {
    auto base = boost::urls::parse_uri(base_url);
    if (!base)
      return make_error(Status::invalid_input, "the base URL " + base_url + " is not a URL");
    *endpoint =
        std::string(base->scheme()) + "://" + std::string(base->encoded_authority()) + *endpoint;
  }
  if (cleartext_off_loopback(*endpoint))
    return make_error(
        Status::invalid_input,
        "refusing to send the OAuth client secret over plain http to " + *endpoint + ": use https");
  auto id = env.with_settings(client_id_);
  if (!id) return std::move(id).error();
  auto secret = setting(env, secret_setting_, "the OAuth client secret");
  if (!secret) return std::move(secret).error();

  net::HttpRequest request;
  request.method = "POST";
  request.url = *endpoint;
  request.timeout = timeout;
  request.headers = {{"Accept", "application/json"}};
  if (token_request_json_) {
    json::object body{
        {"grant_type", "client_credentials"}, {"client_id", *id}, {"client_secret", *secret}};
    if (!scopes_.empty()) body["scope"] = scopes_;
    request.headers.emplace_back("Content-Type", "application/json");
    request.body = json::serialize(body);
  } else {
    request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    request.body = form_encode({{"grant_type", "client_credentials"},
                                {"client_id", *id},
                                {"client_secret", *secret},
                                {"scope", scopes_}});
  }
  auto response = env.http->request(request, env.egress, cancelled);
  if (!response)
    return make_error(response.error().status,
                      "the OAuth token request to " + *endpoint +
                          " failed: " + env.redact(response.error().message));
  if (response->status == 400 || response->status == 401 || response->status == 403)
    return make_error(Status::unauthorized, "the OAuth token endpoint " + *endpoint +
                                                " refused the client id and "
                                                "secret (HTTP " +
                                                std::to_string(response->status) +
                                                "): check the ClientId setting and the " +
                                                secret_setting_ + " secret");
  if (response->status < 200 || response->status >= 300)
    return make_error(response->status == 429 ? Status::rate_limited : Status::upstream,
                      "the OAuth token endpoint " + *endpoint + " answered HTTP " +
                          std::to_string(response->status));
  boost::system::error_code syntax;
  auto document = json::parse(response->body, syntax);
  const json::value* access =
      document.is_object() ? document.get_object().if_contains("access_token") : nullptr;
  if (syntax || !access || !access->is_string() || access->get_string().empty())
    return make_error(Status::upstream, "the OAuth token endpoint " + *endpoint +
                                            " answered without an access_token");
  auto lifetime = kDefaultTokenLifetime;
  if (const json::value* expires = document.get_object().if_contains("expires_in")) {
    if (expires->is_int64()) lifetime = std::chrono::seconds(expires->get_int64());
    if (expires->is_uint64()) lifetime = std::chrono::seconds(expires->get_uint64());
  }
  cached_token_ = std::string(access->get_string());
  token_expiry_ = Clock::now() + std::max(lifetime - kExpiryMargin, std::chrono::seconds(1));
  return cached_token_;
}

}  // namespace secpilot::openapi
