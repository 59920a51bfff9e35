#include "mcp/http_peer.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>

#include "mcp/peer_messages.hpp"
#include "net/sse_parser.hpp"
#include "secpilot/server/http_message.hpp"
#include "secpilot/util/ascii.hpp"
#include "secpilot/util/base64.hpp"

namespace secpilot::mcp {
namespace json = boost::json;

namespace {

constexpr auto kNotifyTimeout = std::chrono::milliseconds(5000);
constexpr auto kGoodbyeTimeout = std::chrono::milliseconds(1000);  // DELETE, cancelled
constexpr std::size_t kErrorDocumentBytes = 64 * 1024;             // read of an HTTP error's body
constexpr std::size_t kErrorExcerpt = 200;                         // of it, in a message
// The session's event stream: each GET lasts at most this (the HTTP client's max_timeout may
// shorten it), then it is opened again from the last event; after a failure it waits a pause
// that doubles from the first to the last.
constexpr auto kListenSpan = std::chrono::milliseconds(300'000);
constexpr auto kListenPauseFirst = std::chrono::milliseconds(500);
constexpr auto kListenPauseLast = std::chrono::milliseconds(30'000);
// How many times one request's event stream is resumed after ending before its response.
constexpr int kMaxResumptions = 3;

// The headers that carry the transport's own state: a manifest's Headers do not replace them.
constexpr std::string_view kTransportHeaders[] = {
    "content-type", "accept", "mcp-session-id", "mcp-protocol-version", "mcp-method", "mcp-name"};

std::optional<std::string> header(const net::HttpResponse& response, std::string_view name) {
  for (const auto& [key, value] : response.headers)
    if (key == name) return value;
  return std::nullopt;
}

// "text/event-stream; charset=utf-8" -> "text/event-stream".
std::string media_type(const net::HttpResponse& response) {
  const std::string type = header(response, "content-type").value_or("");
  return to_lower_ascii(trim_blanks(std::string_view(type).substr(0, type.find(';'))));
}

bool successful(int status) {
  return status >= 200 && status < 300;
}

std::string status_text(int status) {
  const std::string_view reason = server::reason_phrase(status);
  return "HTTP " + std::to_string(status) + (reason == "Unknown" ? "" : " " + std::string(reason));
}

// Mcp-Name carries a name that is not plain printable ASCII as "=?base64?...?=", as
// api/routes_mcp.cpp reads it.
std::string name_header(std::string_view name) {
  const bool plain =
      !name.empty() && name.front() != ' ' && name.back() != ' ' && !name.starts_with("=?") &&
      std::all_of(name.begin(), name.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
  return plain ? std::string(name) : "=?base64?" + base64_encode(name) + "?=";
}

std::chrono::milliseconds until(Peer::Clock::time_point deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Peer::Clock::now());
  return std::max(left, std::chrono::milliseconds(1));
}

}  // namespace

// What one POST's response brought: its kind, the response to the request when it came.
struct HttpPeer::Exchange {
  std::int64_t id = 0;
  bool started = false, json_body = false, events = false, too_large = false;
  std::string body;  // a JSON response, or the beginning of an error document
  net::SseParser parser{peer_messages::kMaxMessageBytes};
  std::string last_event_id;  // of its event stream: where to resume it from
  std::optional<Answer> answer;

  // For the next response that carries the same request's stream (a resumption).
  void restart() {
    started = json_body = events = too_large = false;
    body.clear();
    parser = net::SseParser(peer_messages::kMaxMessageBytes);  // a cut line is not finished
  }
};

HttpPeer::HttpPeer(HttpEndpoint endpoint, std::string name, std::shared_ptr<spdlog::logger> log,
                   OnNotification on_notification)
    : endpoint_(std::move(endpoint)),
      name_(std::move(name)),
      log_(std::move(log)),
      on_notification_(std::move(on_notification)) {}

HttpPeer::~HttpPeer() {
  if (listener_.joinable()) {
    closing_ = true;
    { std::lock_guard lock(pause_mutex_); }
    pause_.notify_all();
    listener_.join();  // within the HTTP client's poll of `cancelled` (50 ms)
  }
  std::string session;
  {
    std::lock_guard lock(mutex_);
    if (!alive_) return;
    session = session_;
  }
  if (session.empty()) return;  // stateless: nothing to end
  net::HttpRequest goodbye;
  goodbye.method = "DELETE";
  goodbye.url = endpoint_.url;
  goodbye.headers = headers_for("", {});
  goodbye.timeout = kGoodbyeTimeout;
  (void)endpoint_.http->request(goodbye, endpoint_.egress);
}

bool HttpPeer::alive() const {
  std::lock_guard lock(mutex_);
  return alive_;
}

bool HttpPeer::expired() const {
  std::lock_guard lock(mutex_);
  return expired_;
}

net::Headers HttpPeer::headers_for(std::string_view method, const json::object& params) const {
  net::Headers headers;
  for (const auto& header : endpoint_.headers)
    if (std::none_of(
            std::begin(kTransportHeaders), std::end(kTransportHeaders),
            [&](std::string_view reserved) { return iequals_ascii(header.first, reserved); }))
      headers.push_back(header);
  headers.emplace_back("Content-Type", "application/json");
  headers.emplace_back("Accept", "application/json, text/event-stream");
  // A modern-era message names its revision in _meta, and the headers repeat it (stateless).
  const auto* meta = params.if_contains("_meta");
  const auto* version =
      meta && meta->is_object() ? meta->get_object().if_contains(kProtocolVersionMetaKey) : nullptr;
  if (version && version->is_string()) {
    headers.emplace_back("MCP-Protocol-Version", std::string(version->get_string()));
    headers.emplace_back("Mcp-Method", std::string(method));
    const auto* name = params.if_contains("name");
    if ((method == "tools/call" || method == "prompts/get") && name && name->is_string())
      headers.emplace_back("Mcp-Name", name_header(name->get_string()));
    return headers;
  }
  std::lock_guard lock(mutex_);
  if (!protocol_version_.empty()) headers.emplace_back("MCP-Protocol-Version", protocol_version_);
  if (!session_.empty()) headers.emplace_back("Mcp-Session-Id", session_);
  return headers;
}

bool HttpPeer::read_exchange(Exchange& exchange, const net::HttpResponse& head,
                             std::string_view chunk) {
  if (!exchange.started) {
    exchange.started = true;
    const auto type = media_type(head);
    exchange.events = successful(head.status) && type == "text/event-stream";
    exchange.json_body = successful(head.status) && type == "application/json";
    if (successful(head.status) && !exchange.events && !exchange.json_body) return false;
  }
  if (!exchange.events) {
    const std::size_t limit =
        exchange.json_body ? peer_messages::kMaxMessageBytes : kErrorDocumentBytes;
    if (exchange.body.size() + chunk.size() > limit) {
      exchange.body.append(chunk.substr(0, limit - exchange.body.size()));
      exchange.too_large = exchange.json_body;
      return false;
    }
    exchange.body.append(chunk);
    return true;
  }
  const bool going = exchange.parser.feed(chunk, [&](const net::SseEvent& event) {
    if (event.data.empty()) return true;  // the priming event (an id to resume from)
    auto incoming = peer_messages::read(event.data);
    if (auto* response = std::get_if<peer_messages::Response>(&incoming);
        response && response->id == exchange.id) {
      exchange.answer = std::move(response->answer);
      return false;  // the rest of the stream is not this request's
    }
    take_unasked(event.data);
    return true;
  });
  if (!exchange.parser.last_event_id().empty())
    exchange.last_event_id = exchange.parser.last_event_id();
  exchange.too_large = exchange.parser.overflowed();
  return going;
}

// A GET of the session's event stream (no body), from `last_event_id` if given.
net::HttpRequest HttpPeer::stream_request(const std::string& last_event_id,
                                          std::chrono::milliseconds timeout) const {
  net::HttpRequest request;
  request.method = "GET";
  request.url = endpoint_.url;
  for (auto& header : headers_for("", {}))
    if (header.first != "Content-Type" && header.first != "Accept")
      request.headers.push_back(std::move(header));
  request.headers.emplace_back("Accept", "text/event-stream");
  if (!last_event_id.empty()) request.headers.emplace_back("Last-Event-ID", last_event_id);
  request.timeout = timeout;
  return request;
}

Expected<net::HttpResponse> HttpPeer::post(const std::string& body, net::Headers headers,
                                           std::chrono::milliseconds timeout,
                                           const std::function<bool()>& cancelled,
                                           Exchange* exchange) {
  net::HttpRequest message;
  message.method = "POST";
  message.url = endpoint_.url;
  message.headers = std::move(headers);
  message.body = body;
  message.timeout = timeout;
  if (exchange != nullptr)
    message.on_body_chunk = [this, exchange](const net::HttpResponse& head,
                                             std::string_view chunk) {
      return read_exchange(*exchange, head, chunk);
    };
  return endpoint_.http->request(message, endpoint_.egress, cancelled);
}

// A message the server sent on its own: a notification is passed on, a request of its own is
// refused, anything else is dropped.
void HttpPeer::take_unasked(std::string_view data) {
  auto incoming = peer_messages::read(data);
  if (auto* notification = std::get_if<peer_messages::Notification>(&incoming)) {
    if (on_notification_) on_notification_(notification->method);
  } else if (auto* asked = std::get_if<peer_messages::ServerRequest>(&incoming)) {
    (void)post(asked->refusal, headers_for("", {}), kNotifyTimeout, {});
  } else if (std::holds_alternative<peer_messages::Unreadable>(incoming)) {
    log_->warn("MCP server {} sent an event that is not a JSON-RPC message; ignored: {:.200}",
               name_, data);
  }
}

void HttpPeer::start_listening() {
  {
    std::lock_guard lock(mutex_);
    if (session_.empty() || listener_.joinable()) return;  // stateless, or already listening
  }
  listener_ = std::thread([this] { listen(); });
}

// Waits `pause`, or less when the peer closes; false when it closes.
bool HttpPeer::pause_listening(std::chrono::milliseconds pause) {
  std::unique_lock lock(pause_mutex_);
  return !pause_.wait_for(lock, pause, [this] { return closing_.load(); });
}

void HttpPeer::listen() {
  std::string last_event_id;
  auto pause = kListenPauseFirst;
  while (!closing_) {
    net::HttpRequest stream = stream_request(last_event_id, kListenSpan);
    net::SseParser parser(peer_messages::kMaxMessageBytes);
    bool events = false;
    stream.on_body_chunk = [&](const net::HttpResponse& head, std::string_view chunk) {
      if (!events) {
        events = successful(head.status) && media_type(head) == "text/event-stream";
        if (!events) return false;
      }
      const bool going = parser.feed(chunk, [&](const net::SseEvent& event) {
        if (!event.data.empty()) take_unasked(event.data);
        return !closing_;
      });
      if (!parser.last_event_id().empty()) last_event_id = parser.last_event_id();
      return going;
    };
    const auto opened_at = Clock::now();
    const auto opened =
        endpoint_.http->request(stream, endpoint_.egress, [this] { return closing_.load(); });
    if (closing_) return;
    if (events && Clock::now() - opened_at >= kListenPauseLast) {
      pause = kListenPauseFirst;  // it was open a good while (its span, most often): at once
      continue;
    }
    if (opened && (opened->status == 405 || opened->status == 404)) {
      // 405: the server offers no such stream; 404: it forgot the session, which the next
      // request finds out and replaces with a new peer.
      log_->debug("MCP server {} answered its event stream with {}; not listening", name_,
                  status_text(opened->status));
      return;
    }
    if (!opened)
      log_->debug("MCP server {}: its event stream failed ({}); opened again in {} ms", name_,
                  opened.error().message, pause.count());
    if (!pause_listening(pause)) return;
    pause = std::min(pause * 2, kListenPauseLast);
  }
}

Error HttpPeer::lost(const Error& error) {
  // A timeout or a cancellation says nothing about the server; anything else without an HTTP
  // response (refused, unreachable, TLS, egress) means this peer cannot carry messages.
  if (error.status == Status::timeout || error.status == Status::cancelled) return error;
  {
    std::lock_guard lock(mutex_);
    alive_ = false;
  }
  if (error.status == Status::forbidden) return error;  // the egress allow-list says how to fix it
  return make_error(Status::upstream,
                    "the MCP server " + name_ + " cannot be reached: " + error.message);
}

void HttpPeer::learn(std::string_view method, const net::HttpResponse& head, const Answer& answer) {
  if (method != "initialize" || answer.failed()) return;
  std::lock_guard lock(mutex_);
  session_ = header(head, "mcp-session-id").value_or("");
  const auto* version = answer.result.if_contains("protocolVersion");
  if (version && version->is_string()) protocol_version_ = std::string(version->get_string());
}

Expected<Peer::Answer> HttpPeer::request(
    std::string_view method, json::object params, Clock::time_point deadline,
    const std::shared_ptr<const std::atomic<bool>>& cancelled) {
  if (!alive()) return make_error(Status::upstream, "the MCP server " + name_ + " is gone");
  Exchange exchange;
  exchange.id = next_id_++;
  auto headers = headers_for(method, params);
  const bool in_session = std::any_of(headers.begin(), headers.end(), [](const auto& header) {
    return header.first == "Mcp-Session-Id";
  });
  std::function<bool()> stop;
  if (cancelled) stop = [&cancelled] { return cancelled->load(); };
  auto response = post(peer_messages::request_text(exchange.id, method, std::move(params)),
                       std::move(headers), until(deadline), stop, &exchange);
  const std::string what = "the MCP server " + name_;
  if (!response) {
    const Status status = response.error().status;
    if (status == Status::timeout || status == Status::cancelled)
      (void)post(peer_messages::notification_text(
                     "notifications/cancelled",
                     {{"requestId", exchange.id},
                      {"reason", status == Status::timeout ? "timed out" : "cancelled"}}),
                 headers_for("notifications/cancelled", {}), kGoodbyeTimeout, {});
    if (status == Status::timeout)
      return make_error(Status::timeout,
                        what + " did not answer " + std::string(method) + " in time");
    if (status == Status::cancelled)
      return make_error(Status::cancelled, std::string(method) + " was cancelled");
    return lost(response.error());
  }
  // A session's stream cut short before the response is resumed from its last event (the
  // server keeps what it sent since, and sends the rest there); the request is not sent again.
  for (int resumed = 0; !exchange.answer && exchange.events && !exchange.too_large && in_session &&
                        !exchange.last_event_id.empty() && resumed < kMaxResumptions;
       ++resumed) {
    log_->info("MCP server {} ended the stream of {} before answering; resuming it from event {}",
               name_, method, exchange.last_event_id);
    net::HttpRequest again = stream_request(exchange.last_event_id, until(deadline));
    again.on_body_chunk = [this, &exchange](const net::HttpResponse& head, std::string_view chunk) {
      return read_exchange(exchange, head, chunk);
    };
    exchange.restart();
    response = endpoint_.http->request(again, endpoint_.egress, stop);
    if (!response)
      return response.error().status == Status::timeout
                 ? make_error(Status::timeout,
                              what + " did not answer " + std::string(method) + " in time")
                 : lost(response.error());
    if (!exchange.answer && !exchange.events)
      return make_error(Status::upstream, what + " ended the stream of " + std::string(method) +
                                              " before answering and could not resume it (" +
                                              status_text(response->status) + ")");
  }
  if (exchange.answer) {
    learn(method, *response, *exchange.answer);
    return std::move(*exchange.answer);
  }
  const int status = response->status;
  const std::string answered = what + " answered " + std::string(method) + " with ";
  if (exchange.too_large)
    return make_error(Status::upstream, answered + "a message larger than " +
                                            std::to_string(peer_messages::kMaxMessageBytes) +
                                            " bytes");
  if (status == 404 && in_session) {
    // The server forgot the session (it restarted, or expired it): a new one is needed.
    std::lock_guard lock(mutex_);
    alive_ = false;
    expired_ = true;
    return make_error(Status::upstream, what + " no longer knows this session (HTTP 404)");
  }
  const std::string type = media_type(*response);
  const bool json_body = successful(status) && type == "application/json";
  if (!successful(status) || json_body) {
    // A JSON-RPC response, even in an HTTP error (the modern era's header checks, a refused
    // revision), is the answer; the era probe reads such a refusal as "speak the other era".
    auto incoming = peer_messages::read(exchange.body);
    if (auto* answer = std::get_if<peer_messages::Response>(&incoming);
        answer && (answer->id == exchange.id || (!successful(status) && answer->answer.failed()))) {
      learn(method, *response, answer->answer);
      return std::move(answer->answer);
    }
    const auto excerpt = trim_blanks(std::string_view(exchange.body).substr(0, kErrorExcerpt));
    if (json_body)
      return make_error(Status::upstream,
                        answered + "JSON that is not its response: " +
                            (excerpt.empty() ? "an empty body" : std::string(excerpt)));
    return make_error(Status::upstream, answered + status_text(status) +
                                            (excerpt.empty() ? "" : ": " + std::string(excerpt)));
  }
  if (type == "text/event-stream")
    return make_error(Status::upstream,
                      what + " ended its event stream without answering " + std::string(method));
  if (type.empty())
    return make_error(Status::upstream, answered + status_text(status) + " and no response");
  return make_error(Status::upstream, answered + "Content-Type " + type +
                                          ", neither application/json nor text/event-stream");
}

Outcome HttpPeer::notify(std::string_view method, json::object params) {
  if (!alive()) return make_error(Status::upstream, "the MCP server " + name_ + " is gone");
  auto headers = headers_for(method, params);
  auto response = post(peer_messages::notification_text(method, std::move(params)),
                       std::move(headers), kNotifyTimeout, {});
  if (!response) return lost(response.error());
  if (!successful(response->status))
    return make_error(Status::upstream, "the MCP server " + name_ + " answered " +
                                            std::string(method) + " with " +
                                            status_text(response->status));
  // The session is open: what the server says outside requests comes on its own stream.
  if (method == "notifications/initialized") start_listening();
  return Done{};
}

}  // namespace secpilot::mcp
