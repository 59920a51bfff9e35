// Every failure leaves here as an Error whose message names the request and says what to do; the
// skills add what they were doing. Only 429 is retried: Red Canary documents it as the answer to
// going over its per-IP rate limit, and waiting is what it asks for.
#include "red_canary/client.hpp"

#include <string>
#include <utility>

#include <boost/json/parse.hpp>

#include "red_canary/errors.hpp"

namespace red_canary {
namespace json = boost::json;
namespace {

std::string reason(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 422:
      return "Unprocessable Entity";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "";
  }
}

std::string http_status(int status) {
  const std::string phrase = reason(status);
  return "HTTP " + std::to_string(status) + (phrase.empty() ? "" : " " + phrase);
}

bool looks_like_html(const HttpResponse& response) {
  const auto type = response.header("content-type").value_or("");
  return type.find("text/html") != std::string::npos ||
         response.body.find("<!DOCTYPE") != std::string::npos ||
         response.body.find("<html") != std::string::npos;
}

// A short, printable excerpt of a body for an error message.
std::string excerpt(const HttpResponse& response) {
  if (response.body.empty()) return "an empty body";
  if (looks_like_html(response)) return "a web page instead of the API's JSON";
  constexpr std::size_t kMax = 200;
  std::string text = response.body.substr(0, kMax);
  for (char& c : text)
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  return "'" + text + (response.body.size() > kMax ? "...'" : "'");
}

// Retry-After as delta-seconds; an HTTP-date or garbage reads as absent.
std::optional<std::chrono::seconds> retry_after(const HttpResponse& response) {
  auto text = response.header("retry-after");
  if (!text || text->empty() || text->size() > 9) return std::nullopt;
  long seconds = 0;
  for (char c : *text) {
    if (c < '0' || c > '9') return std::nullopt;
    seconds = seconds * 10 + (c - '0');
  }
  return std::chrono::seconds(seconds);
}

bool unreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    if (unreserved(c)) {
      out += c;
    } else {
      const auto byte = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    }
  }
  return out;
}

}  // namespace

std::string encode_fields(const Fields& fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out += '&';
    out += percent_encode(name) + "=" + percent_encode(value);
  }
  return out;
}

ApiClient::ApiClient(Instance instance, Transport transport, Waiter waiter, Cancelled cancelled,
                     RetryPolicy retry)
    : instance_(std::move(instance)),
      transport_(std::move(transport)),
      waiter_(std::move(waiter)),
      cancelled_(std::move(cancelled)),
      retry_(retry) {}

json::object ApiClient::get(std::string_view path, const Fields& query, const Subject& subject) {
  HttpRequest request;
  request.method = "GET";
  request.url = instance_.api_url + "/" + std::string(path);
  if (!query.empty()) request.url += "?" + encode_fields(query);
  return send(std::move(request), path, subject);
}

json::object ApiClient::patch_form(std::string_view path, const Fields& form,
                                   const Subject& subject) {
  HttpRequest request;
  request.method = "PATCH";
  request.url = instance_.api_url + "/" + std::string(path);
  request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
  request.body = encode_fields(form);
  return send(std::move(request), path, subject);
}

HttpResponse ApiClient::exchange(const HttpRequest& request) {
  if (cancelled_ && cancelled_()) throw Error(ErrorKind::cancelled, "cancelled");
  ++requests_sent_;
  try {
    return transport_(request);
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::timeout)
      throw Error(e.kind(),
                  "Red Canary at " + instance_.portal_url + " did not answer in time: " + e.what());
    std::string message = "could not reach Red Canary at " + instance_.portal_url + ": " + e.what();
    if (e.kind() == ErrorKind::upstream)
      message += " (check InstanceURL, and that this machine can reach it)";
    throw Error(e.kind(), message);
  }
}

json::object ApiClient::send(HttpRequest request, std::string_view path, const Subject& subject) {
  request.headers.emplace_back("X-Api-Key", instance_.api_token);
  request.headers.emplace_back("Accept", "application/json");
  const std::string line = request.method + " /openapi/v3/" + std::string(path);

  HttpResponse response;
  std::chrono::seconds waited{0};
  for (int retries = 0;; ++retries) {
    response = exchange(request);
    if (response.status != 429) break;
    const auto asked = retry_after(response);
    if (asked && *asked > retry_.max_wait)
      throw Error(ErrorKind::rate_limited,
                  "Red Canary is rate-limiting this client (HTTP 429 for " + line +
                      ") and asks to wait " + std::to_string(asked->count()) +
                      " s, longer than the " + std::to_string(retry_.max_wait.count()) +
                      " s this connector waits: try again later (Red Canary allows about 10 "
                      "requests a second and 20 a minute per IP address)");
    if (retries >= retry_.max_retries)
      throw Error(ErrorKind::rate_limited,
                  "Red Canary is still rate-limiting this client (HTTP 429 for " + line +
                      ") after " + std::to_string(retries) + " retries over " +
                      std::to_string(waited.count()) +
                      " s: try again in a minute, or ask for fewer items (Red Canary allows "
                      "about 10 requests a second and 20 a minute per IP address)");
    const auto delay = asked.value_or(retry_.wait_without_header);
    if (!waiter_(delay))
      throw Error(ErrorKind::cancelled,
                  "cancelled while waiting for Red Canary's rate limit to pass (" + line + ")");
    waited += delay;
  }

  const int status = response.status;
  if (status >= 200 && status < 300) {
    boost::system::error_code ec;
    json::value body = json::parse(response.body, ec);
    if (ec)
      throw Error(ErrorKind::upstream, "Red Canary's answer to " + line + " is not valid JSON (" +
                                           ec.message() + "): " + excerpt(response));
    if (!body.is_object())
      throw Error(ErrorKind::upstream, "Red Canary's answer to " + line +
                                           " is JSON but not an object: " + excerpt(response));
    return std::move(body.as_object());
  }
  if (status == 401 || status == 403)
    throw Error(ErrorKind::unauthorized,
                "Red Canary refused the API token (" + http_status(status) + " for " + line +
                    "): check the ApiToken secret (a token stops working when a new one is "
                    "generated in the portal) and that the user who generated it has a role that "
                    "allows this");
  if (status == 404 && subject.collection)
    throw Error(ErrorKind::invalid_input,
                instance_.portal_url + " has no Red Canary API at /openapi/v3/" +
                    std::string(path) + " (" + http_status(status) + ", " + excerpt(response) +
                    "): check the setting InstanceURL, which should be your portal's address, "
                    "https://<subdomain>.my.redcanary.co");
  if (status == 404)
    throw Error(ErrorKind::not_found, subject.what + " was not found in Red Canary (" +
                                          http_status(status) + " for " + line + ")");
  if (status == 400 || status == 422)
    throw Error(ErrorKind::invalid_input, "Red Canary rejected " + line + " (" +
                                              http_status(status) + "): " + excerpt(response));
  if (status >= 500)
    throw Error(ErrorKind::upstream, "Red Canary failed to answer " + line + " (" +
                                         http_status(status) + ", " + excerpt(response) +
                                         "): the service is having trouble; try again later");
  throw Error(
      ErrorKind::upstream,
      "Red Canary answered " + line + " with " + http_status(status) +
          ", which the API does not use here" +
          (status >= 300 && status < 400 ? " (a redirect: check the setting InstanceURL)" : "") +
          ": " + excerpt(response));
}

}  // namespace red_canary
