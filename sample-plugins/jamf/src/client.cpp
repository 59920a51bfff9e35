#include "jamf/client.hpp"

#include <charconv>

#include <boost/json.hpp>

#include "jamf/error.hpp"
#include "jamf/error_body.hpp"

namespace jamf {
namespace {

namespace json = boost::json;

std::string with_reason(const std::string& message, const HttpResponse& response) {
  const std::string reason = describe_error_body(response.body);
  return reason.empty() ? message : message + " (" + reason + ")";
}

std::optional<std::chrono::seconds> retry_after_seconds(const HttpResponse& response) {
  const std::string value = response.header("retry-after").value_or("");
  long long seconds = 0;
  const char* end = value.data() + value.size();
  auto [stop, error] = std::from_chars(value.data(), end, seconds);
  if (value.empty() || error != std::errc() || stop != end || seconds < 0)
    return std::nullopt;  // absent, or an HTTP-date: the default wait applies
  return std::chrono::seconds{seconds};
}

}  // namespace

std::string JamfClient::inventory_path(const std::string& suffix) const {
  return "/api/" + connection_.inventory_version + "/computers-inventory" + suffix;
}

std::string JamfClient::inventory_detail_path(const std::string& id) const {
  return "/api/" + connection_.inventory_version + "/computers-inventory-detail/" +
         percent_encode(id);
}

void JamfClient::wait_after_throttle(const HttpResponse& response, int& attempts,
                                     const std::string& what) {
  if (++attempts > retry_.max_retries)
    throw Error(ErrorKind::rate_limited,
                "Jamf Pro is throttling requests for " + what + " (HTTP 429, " +
                    std::to_string(retry_.max_retries) +
                    " retries already): wait a minute and try again, or run fewer calls at once");
  const auto delay = retry_after_seconds(response).value_or(retry_.default_wait);
  if (delay > retry_.max_wait)
    throw Error(ErrorKind::rate_limited,
                "Jamf Pro is throttling requests for " + what + " and asked to wait " +
                    std::to_string(delay.count()) + " s (HTTP 429 Retry-After), longer than the " +
                    std::to_string(retry_.max_wait.count()) +
                    " s this plugin waits within a call: try again after that");
  if (!transport_.wait(delay))
    throw Error(ErrorKind::cancelled,
                "cancelled while waiting to retry " + what + " after Jamf Pro's HTTP 429");
}

IssuedToken JamfClient::fetch_token() {
  HttpRequest request;
  request.method = "POST";
  request.url = connection_.base_url + "/api/oauth/token";
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                     {"Accept", "application/json"}};
  request.body = encode_parameters({{"grant_type", "client_credentials"},
                                    {"client_id", connection_.client_id},
                                    {"client_secret", connection_.client_secret}});
  const std::string what = "an access token (POST " + connection_.base_url + "/api/oauth/token)";
  int throttled = 0;
  HttpResponse response;
  for (;;) {
    response = transport_.send(request);
    if (response.status != 429) break;
    wait_after_throttle(response, throttled, what);
  }
  const int status = response.status;
  if (status == 400 || status == 401 || status == 403)
    throw Error(ErrorKind::unauthorized,
                with_reason("Jamf Pro refused the API client credentials (HTTP " +
                                std::to_string(status) + " from /api/oauth/token)",
                            response) +
                    ": check the settings ClientId and ClientSecret — the secret may have been "
                    "rotated, or the API client disabled (Jamf Pro: Settings > System > API roles "
                    "and clients)");
  if (status == 404)
    throw Error(ErrorKind::upstream,
                "Jamf Pro has no token endpoint at " + request.url +
                    " (HTTP 404): check the setting BaseURL (the tenant's address, e.g. "
                    "https://acme.jamfcloud.com, without /api); API clients need Jamf Pro 10.49 or "
                    "later");
  if (status < 200 || status > 299)
    throw Error(ErrorKind::upstream,
                with_reason("Jamf Pro failed to issue " + what + ": HTTP " + std::to_string(status),
                            response) +
                    " — try again later; if it persists, check Jamf Pro's status");
  boost::system::error_code ec;
  const json::value parsed = json::parse(response.body, ec);
  auto malformed = [&](const std::string& why) {
    return Error(ErrorKind::upstream, "Jamf Pro's token endpoint answered HTTP " +
                                          std::to_string(status) + " but not with a token: " + why +
                                          " — check that BaseURL points at Jamf Pro");
  };
  if (ec) throw malformed("the body is not JSON (" + ec.message() + ")");
  const auto* object = parsed.if_object();
  if (!object) throw malformed("the body is not a JSON object");
  const auto* token = object->if_contains("access_token");
  if (!token || !token->is_string() || token->get_string().empty())
    throw malformed("it has no access_token");
  const auto* expires_in = object->if_contains("expires_in");
  if (!expires_in || !expires_in->is_number()) throw malformed("it has no numeric expires_in");
  if (const auto* type = object->if_contains("token_type"); type && type->is_string()) {
    std::string text(type->get_string());
    for (char& c : text)
      c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    if (text != "bearer") throw malformed("its token_type is '" + text + "', not Bearer");
  }
  return {std::string(token->get_string()),
          std::chrono::seconds{static_cast<long long>(expires_in->to_number<double>())}};
}

HttpResponse JamfClient::authorized(HttpRequest request, const Endpoint& endpoint) {
  const std::size_t auth_at = request.headers.size();
  request.headers.emplace_back("Authorization", "");
  bool refreshed = false;
  int throttled = 0;
  for (;;) {
    const std::string token = tokens_.get(connection_, [this] { return fetch_token(); });
    request.headers[auth_at].second = "Bearer " + token;
    HttpResponse response = transport_.send(request);
    if (response.status == 401) {
      if (refreshed)
        throw Error(ErrorKind::unauthorized,
                    with_reason("Jamf Pro rejected a freshly issued access token for " +
                                    endpoint.what + " (HTTP 401)",
                                response) +
                        ": check that the API client is enabled and has an API role");
      tokens_.invalidate(token);  // expired or revoked early: one new token, one retry
      refreshed = true;
      continue;
    }
    if (response.status == 429) {
      wait_after_throttle(response, throttled, endpoint.what);
      continue;
    }
    return response;
  }
}

json::value JamfClient::checked_json(const HttpResponse& response, const Endpoint& endpoint,
                                     const std::string& request_line) {
  const int status = response.status;
  const std::string code = "HTTP " + std::to_string(status);
  if (status == 404 && !endpoint.not_found.empty())
    throw Error(ErrorKind::not_found, endpoint.not_found);
  if (status == 403)
    throw Error(ErrorKind::unauthorized,
                with_reason("Jamf Pro denied " + endpoint.what + " (" + code + ")", response) +
                    ": give the API client's API role the privilege '" + endpoint.privilege +
                    "' (Jamf Pro: Settings > System > API roles and clients)");
  if (status == 400)
    throw Error(ErrorKind::invalid_input,
                with_reason("Jamf Pro rejected the request for " + endpoint.what + " (" + code +
                                ", " + request_line + ")",
                            response));
  if (status == 404)
    throw Error(ErrorKind::upstream,
                with_reason("Jamf Pro has no " + request_line + " (" + code + ")", response) +
                    ": check BaseURL, and InventoryApiVersion if your Jamf Pro no longer serves "
                    "that version of the computer inventory API");
  if (status < 200 || status > 299)
    throw Error(
        ErrorKind::upstream,
        with_reason("Jamf Pro failed on " + endpoint.what + " (" + code + ", " + request_line + ")",
                    response) +
            " — try again later; if it persists, check Jamf Pro's status");
  boost::system::error_code ec;
  json::value parsed = json::parse(response.body, ec);
  if (ec)
    throw Error(ErrorKind::upstream, "Jamf Pro answered " + request_line + " with " +
                                         endpoint.what + " that is not valid JSON (" +
                                         ec.message() + ")");
  return parsed;
}

json::value JamfClient::get_json(const std::string& path, const Parameters& query,
                                 const Endpoint& endpoint) {
  HttpRequest request;
  request.url = connection_.base_url + path;
  if (!query.empty()) request.url += "?" + encode_parameters(query);
  request.headers = {{"Accept", "application/json"}};
  return checked_json(authorized(request, endpoint), endpoint, "GET " + path);
}

json::value JamfClient::post_json(const std::string& path, const json::value& body,
                                  const Endpoint& endpoint) {
  HttpRequest request;
  request.method = "POST";
  request.url = connection_.base_url + path;
  request.headers = {{"Accept", "application/json"}, {"Content-Type", "application/json"}};
  request.body = json::serialize(body);
  return checked_json(authorized(request, endpoint), endpoint, "POST " + path);
}

}  // namespace jamf
