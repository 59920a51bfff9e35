#include "remote_client.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>
#include <stdexcept>
#include "secpilot/server/http_message.hpp"

namespace secpilot::cli {
namespace {

// Generous: `invoke` waits for the skill, which the server bounds with its own timeout.
constexpr std::chrono::milliseconds kRequestTimeout{120'000};
// Streams are long-lived; the server's keep-alive comments keep them open.
constexpr std::chrono::milliseconds kMaxTimeout{24 * 3600 * 1000};

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return text;
}

bool is_loopback(const std::string& host) {
  if (host == "localhost" || host.ends_with(".localhost")) return true;
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
    if (IN6_IS_ADDR_LOOPBACK(&v6)) return true;
    return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;
  }
  return false;
}

std::string header(const net::Headers& headers, std::string_view name) {
  for (const auto& [key, value] : headers)
    if (key == name) return value;
  return {};
}

// "application/problem+json; charset=utf-8" -> "application/problem+json".
std::string media_type(const net::Headers& headers) {
  const std::string value = header(headers, "content-type");
  return lower(trim(std::string_view(value).substr(0, value.find(';'))));
}

bool is_json_type(std::string_view type) {
  return type == "application/json" || type.ends_with("+json");
}

}  // namespace

Expected<ServerUrl> parse_server_url(std::string_view input) {
  const std::string_view text = trim(input);
  const auto bad = [&](std::string why) {
    return make_error(Status::invalid_input,
                      "--server '" + std::string(text) + "' is not usable: " + std::move(why));
  };
  if (text.empty()) return bad("it is empty (e.g. http://127.0.0.1:8480)");
  std::string_view rest = text;
  std::string scheme = "http";
  if (const auto colon = text.find("://"); colon != std::string_view::npos) {
    scheme = lower(text.substr(0, colon));
    rest = text.substr(colon + 3);
  }
  if (scheme != "http" && scheme != "https") return bad("use an http:// or https:// URL");
  if (rest.find_first_of("?#") != std::string_view::npos)
    return bad("leave out the query and fragment");
  const auto slash = rest.find('/');
  const std::string_view authority = rest.substr(0, slash);
  std::string path(slash == std::string_view::npos ? "" : rest.substr(slash));
  while (!path.empty() && path.back() == '/')
    path.pop_back();
  if (authority.find('@') != std::string_view::npos)
    return bad("credentials do not belong in the URL; pass the key with --key or SECPILOT_KEY");
  ServerUrl url;
  url.tls = scheme == "https";
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return bad("an IPv6 address needs its closing ']'");
    url.host = lower(authority.substr(1, close - 1));
    const auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return bad("unexpected text after the IPv6 address");
      port = after.substr(1);
    }
  } else {
    const auto colon = authority.find(':');
    url.host = lower(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (url.host.empty()) return bad("it names no host");
  if (!port.empty()) {
    if (port.size() > 5 || !std::all_of(port.begin(), port.end(), [](char c) {
          return std::isdigit(static_cast<unsigned char>(c));
        }))
      return bad("the port must be a number");
    const int number = std::stoi(std::string(port));
    if (number < 1 || number > 65535) return bad("the port must be between 1 and 65535");
  }
  url.loopback = is_loopback(url.host);
  const bool v6 = url.host.find(':') != std::string::npos;
  url.base = scheme + "://" + (v6 ? "[" + url.host + "]" : url.host) +
             (port.empty() ? "" : ":" + std::string(port)) + path;
  return url;
}

// --- server-sent events ------------------------------------------------------------------------

bool EventStreamParser::feed(std::string_view bytes, const Handler& on_event) {
  while (!bytes.empty()) {
    if (skip_lf_) {
      skip_lf_ = false;
      if (bytes.front() == '\n') {
        bytes.remove_prefix(1);
        continue;
      }
    }
    const auto end = bytes.find_first_of("\r\n");
    if (end == std::string_view::npos) {
      pending_.append(bytes);
      return true;
    }
    pending_.append(bytes.substr(0, end));
    skip_lf_ = bytes[end] == '\r';
    bytes.remove_prefix(end + 1);
    const std::string text = std::move(pending_);
    pending_.clear();
    if (!line(text, on_event)) return false;
  }
  return true;
}

bool EventStreamParser::line(std::string_view text, const Handler& on_event) {
  if (text.empty()) {  // a blank line dispatches the event
    bool more = true;
    if (has_data_) {
      if (!event_.data.empty() && event_.data.back() == '\n') event_.data.pop_back();
      event_.id = last_id_;
      more = on_event(event_);
    }
    event_ = ServerEvent{};
    has_data_ = false;
    return more;
  }
  if (text.front() == ':') return true;  // a comment, e.g. a keep-alive
  const auto colon = text.find(':');
  const std::string_view field = text.substr(0, colon);
  std::string_view value = colon == std::string_view::npos ? "" : text.substr(colon + 1);
  if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  if (field == "event") {
    event_.type = value;
  } else if (field == "data") {
    event_.data.append(value).push_back('\n');
    has_data_ = true;
  } else if (field == "id" && value.find('\0') == std::string_view::npos) {
    last_id_ = value;
  }
  return true;
}

// --- the client --------------------------------------------------------------------------------

RemoteClient::RemoteClient(const GlobalOptions& options, ServerUrl server, std::string key,
                           std::unique_ptr<net::HttpClient> client)
    : options_(options),
      server_(std::move(server)),
      key_(std::move(key)),
      client_(std::move(client)) {}

std::unique_ptr<RemoteClient> RemoteClient::connect(const GlobalOptions& options, int& exit_code) {
  auto server = parse_server_url(options.server);
  if (!server) {
    print_error(options, "invalid_input", server.error().message);
    exit_code = kUsage;
    return nullptr;
  }
  std::string key(trim(options.key));
  if (std::any_of(key.begin(), key.end(),
                  [](char c) { return std::iscntrl(static_cast<unsigned char>(c)) || c == ' '; })) {
    print_error(options, "invalid_input",
                "the API key contains spaces or control characters: check --key or SECPILOT_KEY");
    exit_code = kUsage;
    return nullptr;
  }
  if (!key.empty() && !server->tls && !server->loopback) {
    print_error(options, "invalid_input",
                "refusing to send the API key to " + server->host +
                    " over plain http, where anyone on the way can read it: use https://, or "
                    "reach the daemon through localhost (for example an SSH tunnel)");
    exit_code = kUsage;
    return nullptr;
  }
  net::HttpClientOptions client_options;
  client_options.default_timeout = kRequestTimeout;
  client_options.max_timeout = kMaxTimeout;
  client_options.max_response_bytes = 256 * 1024 * 1024;  // a long session's export
  client_options.user_agent = "secpilot-cli";
  client_options.ca_file = options.ca_file;
  std::unique_ptr<net::HttpClient> client;
  try {
    client = std::make_unique<net::HttpClient>(client_options);
  } catch (const std::exception& error) {
    print_error(options, "invalid_input", std::string("--ca-file: ") + error.what());
    exit_code = kUsage;
    return nullptr;
  }
  return std::unique_ptr<RemoteClient>(
      new RemoteClient(options, std::move(*server), std::move(key), std::move(client)));
}

net::HttpRequest RemoteClient::make_request(std::string_view method,
                                            const std::string& path) const {
  net::HttpRequest request;
  request.method = std::string(method);
  request.url = server_.base + path;
  if (!key_.empty()) request.headers.emplace_back("Authorization", "Bearer " + key_);
  return request;
}

ApiFailure RemoteClient::unreachable(const Error& error) const {
  ApiFailure failure;
  failure.exit_code = kUnreachable;
  failure.status = error.status == Status::cancelled ? "cancelled" : "unreachable";
  failure.message = "cannot reach secpilotd at " + server_.base + ": " + error.message;
  if (error.status == Status::invalid_input) {  // the HTTP client refused the URL itself
    failure.exit_code = kUsage;
    failure.status = "invalid_input";
    failure.message = "--server " + server_.base + ": " + error.message;
  }
  return failure;
}

std::variant<ApiReply, ApiFailure> RemoteClient::classify(const net::HttpResponse& response) const {
  ApiReply reply;
  reply.status = response.status;
  reply.content_type = media_type(response.headers);
  reply.body = response.body;
  boost::system::error_code parse_error;
  if (is_json_type(reply.content_type) && !reply.body.empty())
    reply.json = boost::json::parse(reply.body, parse_error);

  ApiFailure failure;
  failure.http_status = response.status;
  if (response.status >= 200 && response.status < 300) {
    if (!parse_error) return reply;
    failure.exit_code = kUnreachable;
    failure.status = "upstream";
    failure.message = "secpilotd at " + server_.base + " answered with invalid JSON (" +
                      parse_error.message() + ")";
    return failure;
  }
  if (response.status >= 300 && response.status < 400) {
    failure.exit_code = kUnreachable;
    failure.status = "upstream";
    const std::string location = header(response.headers, "location");
    failure.message = server_.base + " redirects (HTTP " + std::to_string(response.status) + ")" +
                      (location.empty() ? "" : " to " + location) +
                      ": pass the daemon's own address as --server";
    return failure;
  }
  const auto* problem = reply.json.if_object();
  std::string detail;
  if (problem) {
    detail = text_of(reply.json, "detail");
    if (detail.empty()) detail = text_of(reply.json, "title");
    failure.status = text_of(reply.json, "code");
    failure.from_skill = problem->contains("skill");
  }
  // A problem without "code" (from an older daemon, or a proxy in between): the daemon's own
  // name for its HTTP status.
  if (failure.status.empty()) failure.status = server::default_problem_code(response.status);
  if (response.status == 401 || response.status == 403) {
    failure.exit_code = kNotAuthorised;
    failure.message =
        "not authorised: " + (detail.empty() ? "HTTP " + std::to_string(response.status) : detail);
    if (response.status == 401 && key_.empty())
      failure.message += " — pass --key KEY or set SECPILOT_KEY";
    return failure;
  }
  if (!problem || detail.empty()) {
    failure.exit_code = kUnreachable;
    failure.message = server_.base + " answered HTTP " + std::to_string(response.status) +
                      " without an API error: is --server the address of secpilotd?";
    return failure;
  }
  failure.exit_code = response.status == 404 ? kNotFound : kFailed;
  failure.message = detail;
  return failure;
}

std::variant<ApiReply, ApiFailure> RemoteClient::send(std::string_view method,
                                                      const std::string& path,
                                                      const boost::json::value* body,
                                                      std::chrono::milliseconds timeout) const {
  auto request = make_request(method, path);
  request.headers.emplace_back("Accept", "application/json");
  if (body) {
    request.headers.emplace_back("Content-Type", "application/json");
    request.body = boost::json::serialize(*body);
  }
  request.timeout = timeout;
  const net::EgressPolicy anywhere({"*"});
  auto response = client_->request(request, anywhere);
  if (!response) return unreachable(response.error());
  return classify(*response);
}

std::optional<ApiReply> RemoteClient::call(std::string_view method, const std::string& path,
                                           int& exit_code, const boost::json::value* body) const {
  auto result = send(method, path, body);
  if (auto* failure = std::get_if<ApiFailure>(&result)) {
    report(*failure, exit_code);
    return std::nullopt;
  }
  return std::move(std::get<ApiReply>(result));
}

std::optional<boost::json::value> RemoteClient::json(std::string_view method,
                                                     const std::string& path, int& exit_code,
                                                     const boost::json::value* body) const {
  auto reply = call(method, path, exit_code, body);
  if (!reply) return std::nullopt;
  return std::move(reply->json);
}

std::optional<ApiFailure> RemoteClient::stream_events(const std::string& path,
                                                      const std::string& last_event_id,
                                                      const EventStreamParser::Handler& on_event,
                                                      const std::function<bool()>& cancelled,
                                                      std::chrono::milliseconds timeout) const {
  auto request = make_request("GET", path);
  request.headers.emplace_back("Accept", "text/event-stream");
  if (!last_event_id.empty()) request.headers.emplace_back("Last-Event-ID", last_event_id);
  request.timeout = timeout;
  EventStreamParser parser;
  std::string other;  // the body of an answer that is not an event stream (an error document)
  request.on_body_chunk = [&](const net::HttpResponse& head, std::string_view piece) {
    if (head.status == 200 && media_type(head.headers) == "text/event-stream")
      return parser.feed(piece, on_event);
    if (other.size() < 64 * 1024) other.append(piece);
    return true;
  };
  const net::EgressPolicy anywhere({"*"});
  auto response = client_->request(request, anywhere, cancelled);
  if (!response) return unreachable(response.error());
  if (response->status == 200 && media_type(response->headers) == "text/event-stream")
    return std::nullopt;
  response->body = std::move(other);
  auto classified = classify(*response);
  if (auto* failure = std::get_if<ApiFailure>(&classified)) return *failure;
  ApiFailure failure;
  failure.exit_code = kUnreachable;
  failure.status = "upstream";
  failure.http_status = response->status;
  failure.message = path + " did not answer with an event stream";
  return failure;
}

void RemoteClient::report(const ApiFailure& failure, int& exit_code) const {
  print_error(options_, failure.status, failure.message);
  exit_code = failure.exit_code;
}

std::unique_ptr<RemoteClient> require_remote(const GlobalOptions& options, std::string_view command,
                                             int& exit_code) {
  if (!options.remote()) {
    print_error(options, "invalid_input",
                "`secpilot " + std::string(command) +
                    "` works with a secpilotd daemon: pass --server URL (or set SECPILOT_SERVER) "
                    "and an API key (--key or SECPILOT_KEY)");
    exit_code = kUsage;
    return nullptr;
  }
  return RemoteClient::connect(options, exit_code);
}

std::string path_segment(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 0x0F]);
    }
  }
  return out;
}

std::string text_of(const boost::json::value& object, std::string_view name, std::string fallback) {
  const auto* members = object.if_object();
  if (!members) return fallback;
  const auto* value = members->if_contains(name);
  return value && value->is_string() ? std::string(value->as_string()) : std::move(fallback);
}

std::string short_time(std::string_view iso) {
  // 2026-11-28T10:30:05.733Z
  if (iso.size() < 19 || iso[10] != 'T') return std::string(iso);
  std::string out(iso.substr(0, 19));
  out[10] = ' ';
  return out;
}

}  // namespace secpilot::cli
