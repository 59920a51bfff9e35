// One end of the runner's socket pair: whole frames out (from any thread) and in (one reader at
// a time; who that is, is the owner's business).
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "runner/frames.hpp"

namespace secpilot::runner {

class Channel {
 public:
  explicit Channel(int fd) : fd_(fd) {}

  // Sends one message; false when the peer is gone.
  bool send(const boost::json::object& message);
  // Sends a whole frame already encoded (FrameWriter), with one syscall.
  bool send_frame(std::string_view frame);

  // The next message, blocking; nullopt at end of stream (error() empty) or when the peer sent
  // garbage or the socket failed (error() says what).
  std::optional<boost::json::object> receive();

  // The next message, waiting at most until `deadline`, or until `wake_fd` (an eventfd; -1 for
  // none) becomes readable: another thread wants the reading role. `ended` is receive()'s
  // nullopt. The eventfd is left for the caller to drain.
  enum class Wait { message, ended, timed_out, woken };
  Wait receive(std::optional<boost::json::object>& message,
               std::chrono::steady_clock::time_point deadline, int wake_fd = -1);

  const std::string& error() const noexcept { return error_; }
  // Bytes received but not yet returned as messages (the reader's to ask).
  bool buffered() const noexcept { return decoder_.pending_bytes() > 0; }

 private:
  // A whole message already buffered, or garbage (then Wait::ended); nullopt: more bytes needed.
  std::optional<Wait> take_buffered(std::optional<boost::json::object>& message);
  // One non-blocking recv into the decoder (after poll said readable); false at end of stream or
  // on an error.
  bool fill();

  int fd_;
  std::mutex write_;
  FrameDecoder decoder_;
  std::string error_;
};

}  // namespace secpilot::runner
