// A small client for secpilotd's REST API over secpilot::net::HttpClient (one connection per
// request), with helpers for the calls most tests make, and a transcript of every response so that
// a test can check what the API ever returned (e.g. that no secret leaked).
#pragma once

#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/daemon_process.hpp"
#include "daemon/raw_http.hpp"
#include "secpilot/net/http_client.hpp"

// So that GoogleTest prints JSON strings and values as text rather than as arrays of characters.
namespace boost::json {
inline void PrintTo(const string& text, std::ostream* out) {
  *out << '"' << std::string_view(text) << '"';
}
inline void PrintTo(const value& json, std::ostream* out) {
  *out << serialize(json);
}
}  // namespace boost::json

namespace secpilot::testing {

struct ApiReply {
  int status = 0;
  net::Headers headers;  // names lower-cased
  std::string body;

  // The first header named `name` (lower-case), or "".
  std::string header(std::string_view name) const;
  // The body as JSON; throws std::runtime_error (with the body) when it is not JSON.
  boost::json::value json() const;
  boost::json::object object() const;
};

// One server-sent event.
struct SseEvent {
  std::int64_t id = 0;
  std::string type;
  std::string data;
  boost::json::object json() const;
};
// The events in an event-stream text; blocks without data (e.g. a lone "retry:") are skipped.
std::vector<SseEvent> parse_events(std::string_view text);

class Api {
 public:
  static constexpr std::chrono::milliseconds kTimeout{15'000};

  // Reads the daemon's port at each call, so it follows restarts.
  explicit Api(const DaemonProcess& daemon);

  // `key` empty: no Authorization header. `content_type` is sent only with a body.
  ApiReply request(std::string_view method, std::string_view target, std::string_view key = {},
                   std::string body = {}, std::string_view content_type = "application/json",
                   net::Headers headers = {});
  ApiReply get(std::string_view target, std::string_view key = {}, net::Headers headers = {});
  ApiReply post(std::string_view target, std::string_view key, const boost::json::value& body);
  ApiReply del(std::string_view target, std::string_view key);

  // Helpers that throw std::runtime_error (status and body in the message) on an unexpected status.
  std::string create_session(std::string_view key, std::string_view name = "test session");
  // Submits a prompt; returns the evaluation's id.
  std::string submit(std::string_view key, std::string_view session, std::string_view content);
  // The evaluation's whole event stream; returns once the stream ends (after "done").
  std::vector<SseEvent> events(std::string_view key, std::string_view evaluation,
                               std::int64_t after = 0);
  // Waits for the evaluation to end (its stream's "done") and returns GET /v1/evaluations/{id}.
  boost::json::object finished(std::string_view key, std::string_view evaluation);
  boost::json::object evaluation(std::string_view key, std::string_view evaluation);

  // Every response's headers and body so far, in order.
  std::vector<std::string> transcript() const;

 private:
  const DaemonProcess& daemon_;
  net::HttpClient client_;
  net::EgressPolicy egress_{{"127.0.0.1"}};
  mutable std::mutex mutex_;
  std::vector<std::string> transcript_;
};

// An evaluation's event stream read as it arrives, over its own connection.
class LiveEvents {
 public:
  static constexpr std::chrono::milliseconds kWait{10'000};

  // Sends the request and reads the response head; status() tells how it went.
  LiveEvents(std::uint16_t port, std::string_view key, std::string_view evaluation,
             std::int64_t after = 0);
  int status() const noexcept { return head_ ? head_->status : 0; }
  std::string content_type() const { return head_ ? head_->header("content-type") : ""; }
  // The next event; nullopt when the stream ended or `wait` passed first.
  std::optional<SseEvent> next(std::chrono::milliseconds wait = kWait);
  // Events up to and including the first of `type`; stops early when the stream ends.
  std::vector<SseEvent> until(std::string_view type, std::chrono::milliseconds wait = kWait);
  // Whether the server ended the stream within `wait` (events still unread are kept).
  bool ended(std::chrono::milliseconds wait = kWait);

 private:
  RawConnection connection_;
  std::optional<RawResponse> head_;
  std::string body_;
  std::size_t consumed_ = 0;
  std::deque<SseEvent> ready_;
};

// Fails with the status and body when `reply` does not have `status`.
void require_status(const ApiReply& reply, int status, std::string_view what);

}  // namespace secpilot::testing
