#include "daemon/api_client.hpp"

#include <stdexcept>

namespace secpilot::testing {

std::string ApiReply::header(std::string_view name) const {
  for (const auto& [field, value] : headers)
    if (field == name) return value;
  return {};
}

boost::json::value ApiReply::json() const {
  boost::system::error_code error;
  auto value = boost::json::parse(body, error);
  if (error)
    throw std::runtime_error("not JSON (" + error.message() + ", status " + std::to_string(status) +
                             "): " + body);
  return value;
}

boost::json::object ApiReply::object() const {
  auto value = json();
  if (!value.is_object()) throw std::runtime_error("not a JSON object: " + body);
  return std::move(value.as_object());
}

boost::json::object SseEvent::json() const {
  boost::system::error_code error;
  auto value = boost::json::parse(data, error);
  if (error || !value.is_object())
    throw std::runtime_error("event " + type + " data is not a JSON object: " + data);
  return std::move(value.as_object());
}

std::vector<SseEvent> parse_events(std::string_view text) {
  std::vector<SseEvent> events;
  SseEvent current;
  bool has_data = false;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = text.find('\n', at);
    if (end == std::string_view::npos) break;  // an incomplete last line: not an event yet
    std::string_view line = text.substr(at, end - at);
    at = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) {  // dispatch
      if (has_data) events.push_back(current);
      current = {};
      has_data = false;
      continue;
    }
    if (line.front() == ':') continue;  // a comment (keep-alive)
    const auto colon = line.find(':');
    const std::string_view field = line.substr(0, colon);
    std::string_view value = colon == std::string_view::npos ? "" : line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    if (field == "id") {
      current.id = std::stoll(std::string(value));
    } else if (field == "event") {
      current.type = value;
    } else if (field == "data") {
      if (has_data) current.data += '\n';
      current.data += value;
      has_data = true;
    }
  }
  return events;
}

Api::Api(const DaemonProcess& daemon) : daemon_(daemon) {}

ApiReply Api::request(std::string_view method, std::string_view target, std::string_view key,
                      std::string body, std::string_view content_type, net::Headers headers) {
  net::HttpRequest request;
  request.method = std::string(method);
  request.url = "http://127.0.0.1:" + std::to_string(daemon_.port()) + std::string(target);
  request.timeout = kTimeout;
  if (!key.empty()) request.headers.emplace_back("Authorization", "Bearer " + std::string(key));
  if (!body.empty()) request.headers.emplace_back("Content-Type", std::string(content_type));
  for (auto& header : headers)
    request.headers.push_back(std::move(header));
  request.body = std::move(body);
  auto response = client_.request(request, egress_);
  if (!response)
    throw std::runtime_error(std::string(method) + " " + std::string(target) +
                             " failed: " + response.error().message);
  ApiReply reply{response->status, std::move(response->headers), std::move(response->body)};
  {
    std::string record = std::to_string(reply.status) + "\n";
    for (const auto& [name, value] : reply.headers)
      record += name + ": " + value + "\n";
    record += "\n" + reply.body;
    std::lock_guard lock(mutex_);
    transcript_.push_back(std::move(record));
  }
  return reply;
}

ApiReply Api::get(std::string_view target, std::string_view key, net::Headers headers) {
  return request("GET", target, key, {}, {}, std::move(headers));
}

ApiReply Api::post(std::string_view target, std::string_view key, const boost::json::value& body) {
  return request("POST", target, key, boost::json::serialize(body));
}

ApiReply Api::del(std::string_view target, std::string_view key) {
  return request("DELETE", target, key);
}

void require_status(const ApiReply& reply, int status, std::string_view what) {
  if (reply.status != status)
    throw std::runtime_error(std::string(what) + ": expected " + std::to_string(status) + ", got " +
                             std::to_string(reply.status) + ": " + reply.body);
}

std::string Api::create_session(std::string_view key, std::string_view name) {
  auto reply = post("/v1/sessions", key, {{"displayName", name}});
  require_status(reply, 201, "create a session");
  return std::string(reply.object().at("id").as_string());
}

std::string Api::submit(std::string_view key, std::string_view session, std::string_view content) {
  auto reply =
      post("/v1/sessions/" + std::string(session) + "/prompts", key, {{"content", content}});
  require_status(reply, 202, "submit '" + std::string(content) + "'");
  return std::string(reply.object().at("evaluation").at("id").as_string());
}

std::vector<SseEvent> Api::events(std::string_view key, std::string_view evaluation,
                                  std::int64_t after) {
  net::Headers headers;
  if (after > 0) headers.emplace_back("Last-Event-ID", std::to_string(after));
  auto reply = get("/v1/evaluations/" + std::string(evaluation) + "/events", key, headers);
  require_status(reply, 200, "stream events");
  return parse_events(reply.body);
}

boost::json::object Api::evaluation(std::string_view key, std::string_view evaluation) {
  auto reply = get("/v1/evaluations/" + std::string(evaluation), key);
  require_status(reply, 200, "get evaluation");
  return reply.object();
}

boost::json::object Api::finished(std::string_view key, std::string_view evaluation) {
  events(key, evaluation);  // returns once the stream has ended, after "done"
  return this->evaluation(key, evaluation);
}

LiveEvents::LiveEvents(std::uint16_t port, std::string_view key, std::string_view evaluation,
                       std::int64_t after)
    : connection_(port) {
  std::string extra = bearer(key);
  if (after > 0) extra += "Last-Event-ID: " + std::to_string(after) + "\r\n";
  if (!connection_.send(
          http_request("GET", "/v1/evaluations/" + std::string(evaluation) + "/events", extra)))
    throw std::runtime_error("cannot send the event stream request");
  head_ = connection_.read_head();
  if (!head_) throw std::runtime_error("no response to the event stream request");
}

std::optional<SseEvent> LiveEvents::next(std::chrono::milliseconds wait) {
  const auto deadline = std::chrono::steady_clock::now() + wait;
  while (ready_.empty()) {
    const auto end = body_.find("\n\n", consumed_);
    if (end != std::string::npos) {
      for (auto& event :
           parse_events(std::string_view(body_).substr(consumed_, end + 2 - consumed_)))
        ready_.push_back(std::move(event));
      consumed_ = end + 2;
      continue;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || !connection_.read_body_until(body_, "\n\n", consumed_, left))
      return std::nullopt;
  }
  auto event = std::move(ready_.front());
  ready_.pop_front();
  return event;
}

std::vector<SseEvent> LiveEvents::until(std::string_view type, std::chrono::milliseconds wait) {
  const auto deadline = std::chrono::steady_clock::now() + wait;
  std::vector<SseEvent> events;
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    auto event = next(std::max(left, std::chrono::milliseconds(0)));
    if (!event) return events;
    events.push_back(std::move(*event));
    if (events.back().type == type) return events;
  }
}

bool LiveEvents::ended(std::chrono::milliseconds wait) {
  // Reads (and keeps) whatever still comes until the body ends or the wait passes.
  connection_.read_body_until(body_, std::string_view("\0never\0", 7), consumed_, wait);
  return connection_.body_ended();
}

std::vector<std::string> Api::transcript() const {
  std::lock_guard lock(mutex_);
  return transcript_;
}

}  // namespace secpilot::testing
