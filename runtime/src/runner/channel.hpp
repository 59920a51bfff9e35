// One end of the runner's socket pair: whole frames out (from any thread) and in (one reader).
#pragma once

#include <boost/json/object.hpp>
#include <mutex>
#include <optional>
#include <string>

#include "runner/frames.hpp"

namespace secpilot::runner {

class Channel {
 public:
  explicit Channel(int fd) : fd_(fd) {}

  // Sends one message; false when the peer is gone.
  bool send(const boost::json::object& message);
  // The next message; nullopt at end of stream (error() empty) or when the peer sent garbage or
  // the socket failed (error() says what).
  std::optional<boost::json::object> receive();
  const std::string& error() const noexcept { return error_; }

 private:
  int fd_;
  std::mutex write_;
  FrameDecoder decoder_;
  std::string error_;
};

}  // namespace secpilot::runner
