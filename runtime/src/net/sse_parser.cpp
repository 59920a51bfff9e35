#include "net/sse_parser.hpp"

namespace secpilot::net {

bool SseParser::feed(std::string_view bytes, const OnEvent& on_event) {
  for (const char c : bytes) {
    if (after_cr_) {
      after_cr_ = false;
      if (c == '\n') continue;  // CRLF: the line already ended at CR
    }
    if (c == '\r' || c == '\n') {
      after_cr_ = c == '\r';
      if (!end_line(on_event)) return false;
      continue;
    }
    if (line_.size() >= max_line_) {
      overflowed_ = true;
      return false;
    }
    line_ += c;
  }
  return true;
}

bool SseParser::finish(const OnEvent& on_event) {
  if (!line_.empty() && !end_line(on_event)) return false;
  return end_line(on_event);  // the blank line the stream never sent
}

bool SseParser::end_line(const OnEvent& on_event) {
  if (line_.empty()) {
    last_event_id_ = id_buffer_;
    if (!has_data_) {
      pending_.event.clear();
      return true;
    }
    SseEvent event = std::move(pending_);
    pending_ = {};
    has_data_ = false;
    return on_event(event);
  }
  const std::string_view line(line_);
  if (line.front() == ':') {
    line_.clear();
    return true;
  }
  const auto colon = line.find(':');
  const std::string_view field = line.substr(0, colon);
  std::string_view value =
      colon == std::string_view::npos ? std::string_view() : line.substr(colon + 1);
  if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  if (field == "data") {
    if (has_data_) pending_.data += '\n';
    pending_.data += value;
    has_data_ = true;
  } else if (field == "event") {
    pending_.event = std::string(value);
  } else if (field == "id" && value.find('\0') == std::string_view::npos) {
    id_buffer_ = std::string(value);
  }
  line_.clear();
  return true;
}

}  // namespace secpilot::net
