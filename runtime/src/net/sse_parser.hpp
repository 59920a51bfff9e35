// Incremental server-sent events parser (the WHATWG event-stream format): bytes arrive in pieces
// of any size, events come out whole. Lines end in LF, CRLF or CR; ':' lines are comments
// (keep-alives); data lines of one event are joined with '\n'; `event:` names are kept; `id:`
// sets the last event id (what a client resumes from with Last-Event-ID), as EventSource does;
// `retry:` is ignored. Used by the model client's streamed completions and by MCP over Streamable
// HTTP.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace secpilot::net {

struct SseEvent {
  std::string event;  // empty = "message"
  std::string data;
};

class SseParser {
 public:
  using OnEvent = std::function<bool(const SseEvent&)>;  // false stops parsing

  explicit SseParser(std::size_t max_line_bytes = 8 * 1024 * 1024) : max_line_(max_line_bytes) {}

  // Parses `bytes`, calling `on_event` for each event completed by a blank line. Returns false
  // when `on_event` asked to stop or a line exceeded the limit (then overflowed() is true).
  bool feed(std::string_view bytes, const OnEvent& on_event);
  // At the end of the stream: dispatches an event whose closing blank line never came (servers
  // that end with "data: [DONE]\n").
  bool finish(const OnEvent& on_event);

  bool overflowed() const noexcept { return overflowed_; }
  // The id of the last event dispatched (or skipped for having no data), kept from one event to
  // the next until an `id:` line changes it; empty when the stream never sent one.
  const std::string& last_event_id() const noexcept { return last_event_id_; }

 private:
  bool end_line(const OnEvent& on_event);

  std::size_t max_line_;
  std::string line_;
  SseEvent pending_;
  std::string id_buffer_, last_event_id_;
  bool has_data_ = false;
  bool after_cr_ = false;  // the last byte was CR: a following LF belongs to the same line end
  bool overflowed_ = false;
};

}  // namespace secpilot::net
