// The wire format between secpilotd and secpilot-runner: length-prefixed JSON frames over a
// socket pair. A frame is a 4-byte big-endian length followed by that many bytes of UTF-8 JSON,
// one object with a string member "type" (docs/security.md lists the messages).
#pragma once

#include <boost/json/object.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "secpilot/util/expected.hpp"

namespace secpilot::runner {

// Results are capped at 4 MiB by default (Limits::max_result_bytes) and travel as JSON strings,
// which can grow by escaping; 64 MiB leaves room for that and still bounds a lying length.
constexpr std::size_t kMaxFrameBytes = 64 * 1024 * 1024;
constexpr std::size_t kFrameHeaderBytes = 4;

// A message member as a string or an integer; "" or 0 when absent or of another type (a peer's
// message is checked by what it leads to, not trusted for its shape).
std::string message_string(const boost::json::object& message, std::string_view key);
std::int64_t message_number(const boost::json::object& message, std::string_view key);

// The frame for one message: the length prefix followed by `json`.
std::string encode_frame(std::string_view json);
std::string encode_frame(const boost::json::object& message);

// Splits a byte stream into messages. Feed it what the socket gave; take frames with next().
// After an error the stream is out of step and must be dropped (the peer is not trusted).
class FrameDecoder {
 public:
  explicit FrameDecoder(std::size_t max_frame_bytes = kMaxFrameBytes)
      : max_frame_bytes_(max_frame_bytes) {}

  void feed(std::string_view bytes) { buffer_.append(bytes); }

  // The next whole message; nullopt when more bytes are needed; an error (naming what was wrong:
  // an oversized length, text that is not JSON, JSON that is not an object with a string "type")
  // when the peer sent garbage. The message owns an arena of its own: move it (or emplace it),
  // since assigning it onto another message copies it into that one's arena.
  Expected<std::optional<boost::json::object>> next();

  // Bytes fed but not yet returned as messages.
  std::size_t pending_bytes() const noexcept { return buffer_.size() - consumed_; }

 private:
  std::size_t max_frame_bytes_;
  std::string buffer_;
  std::size_t consumed_ = 0;  // bytes of buffer_ already returned
  bool broken_ = false;
};

}  // namespace secpilot::runner
