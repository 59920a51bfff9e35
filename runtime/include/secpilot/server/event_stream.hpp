// Server-sent events (text/event-stream): what a handler returns to start a stream, and the sink
// it writes events to from any thread while the server sends them to the client.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "secpilot/server/http_message.hpp"

namespace secpilot::server {

// One event. Empty `type` and `id` are left out; `data` may hold several lines (LF, CRLF or CR),
// each sent as its own "data:" line.
struct Event {
  std::string data;
  std::string type;  // the "event:" field; clients dispatch on it
  std::string id;    // the "id:" field; a reconnecting client sends it back as Last-Event-ID
  std::optional<std::chrono::milliseconds> retry;  // the "retry:" field (reconnection delay)
};

// The wire form of `event`, ending with the blank line that dispatches it. Throws
// std::invalid_argument when `type` or `id` contains CR, LF or NUL: those are programming errors.
std::string format_event(const Event& event);
// A comment (": text"), which clients ignore; one line per line of `text`.
std::string format_comment(std::string_view text);

// Why a stream ended.
enum class StreamEnd {
  closed,               // the producer called close()
  client_disconnected,  // the client closed the connection
  too_slow,             // the client fell behind: max_buffered_bytes exceeded or a write timed out
  server_stopping,
  failed,  // the connection failed (a write error, or the server gave up on the connection)
};
std::string_view to_string(StreamEnd end) noexcept;

// Where a handler writes events. Every member is thread-safe and non-blocking except
// wait_until_buffered_below(). The sink may outlive the connection: once the stream has ended,
// send() returns false and nothing else happens.
class EventSink {
 public:
  virtual ~EventSink() = default;

  // Queues an event. False when the stream has ended: nothing was queued and the producer should
  // stop. When the queue would exceed max_buffered_bytes the stream ends (StreamEnd::too_slow)
  // rather than grow without bound; the client may reconnect with Last-Event-ID.
  virtual bool send(const Event& event) = 0;
  // Queues a comment, e.g. a heartbeat (the server already sends one every keepalive_interval).
  virtual bool comment(std::string_view text) = 0;
  // Ends the stream once the queued events are written. Idempotent.
  virtual void close() = 0;
  virtual bool closed() const = 0;
  // Registers `callback` to run once when the stream ends, for whatever reason; runs it at once,
  // on this thread, when the stream has already ended. It runs on the thread that ended the
  // stream (an I/O thread on a disconnect), without locks held: keep it short, never block.
  virtual void on_close(std::function<void(StreamEnd)> callback) = 0;
  // Bytes queued and not yet handed to the socket.
  virtual std::size_t buffered_bytes() const = 0;
  // Back-pressure for fast producers: blocks until at most `bytes` are queued (true), or the
  // stream ends or `timeout` passes (false). Never call it from an on_close callback.
  virtual bool wait_until_buffered_below(std::size_t bytes, std::chrono::milliseconds timeout) = 0;
};

struct EventStreamOptions {
  std::size_t max_buffered_bytes = 1024 * 1024;
  // A ": keep-alive" comment goes out when nothing else was sent for this long, so proxies keep
  // the connection open and a vanished client is noticed. Zero disables it.
  std::chrono::milliseconds keepalive_interval{15'000};
  // Sent first as a "retry:" field, when set.
  std::optional<std::chrono::milliseconds> retry;
};

// What a handler returns to answer with an event stream (200, text/event-stream, Cache-Control:
// no-cache). `on_open` runs on the handler's work thread right after the handler returns; events
// sent before the headers are on the wire are queued. The stream ends when the producer closes
// the sink, the client disconnects or falls behind, or the server stops; the connection closes
// after it. A HEAD request gets the headers only, and `on_open` is not called.
struct EventStreamStart {
  std::function<void(std::shared_ptr<EventSink>)> on_open;
  Headers headers;  // extra response headers
  EventStreamOptions options;
};

}  // namespace secpilot::server
