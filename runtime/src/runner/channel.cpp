#include "runner/channel.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace secpilot::runner {

bool Channel::send(const boost::json::object& message) {
  const std::string frame = encode_frame(message);
  std::lock_guard lock(write_);
  std::size_t sent = 0;
  while (sent < frame.size()) {
    const ssize_t n = ::send(fd_, frame.data() + sent, frame.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

std::optional<boost::json::object> Channel::receive() {
  char buffer[64 * 1024];
  for (;;) {
    auto next = decoder_.next();
    if (!next) {
      error_ = next.error().message;
      return std::nullopt;
    }
    if (*next) return std::move(**next);
    const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      error_ = n == 0 ? std::string() : std::string("recv failed: ") + std::strerror(errno);
      return std::nullopt;
    }
    decoder_.feed({buffer, static_cast<std::size_t>(n)});
  }
}

}  // namespace secpilot::runner
