#include "secpilot/server/http_message.hpp"

#include "secpilot/util/ascii.hpp"

#include <algorithm>
#include <cctype>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace secpilot::server {

std::optional<std::string_view> find_header(const Headers& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (iequals_ascii(key, name)) return std::string_view(value);
  }
  return std::nullopt;
}

std::string_view Request::header(std::string_view name) const {
  return find_header(headers, name).value_or(std::string_view{});
}

bool Request::has_header(std::string_view name) const {
  return find_header(headers, name).has_value();
}

std::optional<std::string_view> Request::query_param(std::string_view name) const {
  for (const auto& [key, value] : query) {
    if (key == name) return std::string_view(value);
  }
  return std::nullopt;
}

Response json(int status, const boost::json::value& value) {
  Response response;
  response.status = status;
  response.body = boost::json::serialize(value);
  return response;
}

Response text(int status, std::string body, std::string content_type) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  response.content_type = std::move(content_type);
  return response;
}

Response no_content() {
  Response response;
  response.status = 204;
  response.content_type.clear();
  return response;
}

std::string_view default_problem_code(int status) noexcept {
  switch (status) {
    case 400:
      return "invalid_input";
    case 401:
      return "unauthorized";
    case 403:
      return "forbidden";
    case 404:
      return "not_found";
    case 405:
      return "method_not_allowed";
    case 408:
    case 504:
      return "timeout";
    case 409:
      return "conflict";
    case 413:
    case 431:
      return "too_large";
    case 415:
      return "unsupported_media_type";
    case 422:
      return "unsupported";
    case 429:
      return "rate_limited";
    case 502:
      return "upstream";
    case 503:
      return "unavailable";
    default:
      return "internal";
  }
}

Response problem(int status, std::string title, std::string detail, std::string type,
                 std::string instance, const boost::json::object& extensions) {
  boost::json::object body;
  body.reserve(5 + extensions.size());
  body["type"] = std::move(type);
  body["title"] = std::move(title);
  body["status"] = status;
  if (!detail.empty()) body["detail"] = std::move(detail);
  if (!instance.empty()) body["instance"] = std::move(instance);
  for (const auto& member : extensions) {
    // The standard members are not overridable: a client reads them with fixed meanings.
    if (!body.contains(member.key())) body.emplace(member.key(), member.value());
  }
  if (!body.contains("code")) body["code"] = default_problem_code(status);
  Response response;
  response.status = status;
  response.body = boost::json::serialize(body);
  response.content_type = "application/problem+json";
  return response;
}

Response problem(int status, std::string title, std::string detail, std::string type) {
  return problem(status, std::move(title), std::move(detail), std::move(type), {}, {});
}

Response problem(int status, std::string detail) {
  return problem(status, std::string(reason_phrase(status)), std::move(detail), "about:blank", {},
                 {});
}

void add_default_response_headers(const Request& /*request*/, int /*status*/,
                                  std::string_view content_type, Headers& headers) {
  headers.reserve(headers.size() + 2);  // one allocation for both, on every response
  if (!find_header(headers, "x-content-type-options")) {
    headers.emplace_back("X-Content-Type-Options", "nosniff");
  }
  std::string_view media = content_type.substr(0, content_type.find(';'));
  while (!media.empty() && media.back() == ' ')
    media.remove_suffix(1);
  const bool is_json = iequals_ascii(media, "application/json") ||
                       (media.size() > 5 && iequals_ascii(media.substr(media.size() - 5), "+json"));
  if (is_json && !find_header(headers, "cache-control")) {
    headers.emplace_back("Cache-Control", "no-store");
  }
}

std::string_view reason_phrase(int status) noexcept {
  switch (status) {
    case 100:
      return "Continue";
    case 101:
      return "Switching Protocols";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 203:
      return "Non-Authoritative Information";
    case 204:
      return "No Content";
    case 205:
      return "Reset Content";
    case 206:
      return "Partial Content";
    case 300:
      return "Multiple Choices";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 308:
      return "Permanent Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 402:
      return "Payment Required";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 406:
      return "Not Acceptable";
    case 407:
      return "Proxy Authentication Required";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 411:
      return "Length Required";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Content Too Large";
    case 414:
      return "URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 416:
      return "Range Not Satisfiable";
    case 417:
      return "Expectation Failed";
    case 421:
      return "Misdirected Request";
    case 422:
      return "Unprocessable Content";
    case 423:
      return "Locked";
    case 424:
      return "Failed Dependency";
    case 425:
      return "Too Early";
    case 426:
      return "Upgrade Required";
    case 428:
      return "Precondition Required";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 451:
      return "Unavailable For Legal Reasons";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    case 505:
      return "HTTP Version Not Supported";
    case 507:
      return "Insufficient Storage";
    case 511:
      return "Network Authentication Required";
    default:
      return "Unknown";
  }
}

}  // namespace secpilot::server
