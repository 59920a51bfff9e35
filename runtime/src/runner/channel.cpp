#include "runner/channel.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace secpilot::runner {

bool Channel::send(const boost::json::object& message) {
  return send_frame(encode_frame(message));
}

bool Channel::send_frame(std::string_view frame) {
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

std::optional<Channel::Wait> Channel::take_buffered(std::optional<boost::json::object>& message) {
  auto next = decoder_.next();
  if (!next) {
    error_ = next.error().message;
    return Wait::ended;
  }
  if (!*next) return std::nullopt;
  message.emplace(std::move(**next));  // not `=`: see FrameDecoder::next
  return Wait::message;
}

bool Channel::fill() {
  char buffer[64 * 1024];
  for (;;) {
    const ssize_t n = ::recv(fd_, buffer, sizeof buffer, MSG_DONTWAIT);
    if (n > 0) {
      decoder_.feed({buffer, static_cast<std::size_t>(n)});
      return true;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return true;  // poll said readable, another wake-up took it
    error_ = n == 0 ? std::string() : std::string("recv failed: ") + std::strerror(errno);
    return false;
  }
}

// Waits in poll(POLLIN), not in a blocking recv: a thread asleep in recv is also woken each time
// the peer reads a frame this end sent (the socket's "write space" wake-up, which poll filters
// out by its event mask), one wasted wake-up of another core per call (docs/performance.md).
std::optional<boost::json::object> Channel::receive() {
  std::optional<boost::json::object> message;
  return receive(message, std::chrono::steady_clock::time_point::max()) == Wait::message
             ? std::move(message)
             : std::nullopt;
}

Channel::Wait Channel::receive(std::optional<boost::json::object>& message,
                               std::chrono::steady_clock::time_point deadline, int wake_fd) {
  using Clock = std::chrono::steady_clock;
  for (;;) {
    if (auto got = take_buffered(message)) return *got;
    timespec timeout{};
    const timespec* limit = nullptr;
    if (deadline != Clock::time_point::max()) {
      const auto left = deadline - Clock::now();
      if (left <= Clock::duration::zero()) return Wait::timed_out;
      const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(left).count();
      timeout.tv_sec = static_cast<time_t>(ns / 1'000'000'000);
      timeout.tv_nsec = static_cast<long>(ns % 1'000'000'000);
      limit = &timeout;
    }
    pollfd fds[2] = {{fd_, POLLIN, 0}, {wake_fd, POLLIN, 0}};
    const int ready = ::ppoll(fds, wake_fd >= 0 ? 2 : 1, limit, nullptr);
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) {
      error_ = std::string("poll failed: ") + std::strerror(errno);
      return Wait::ended;
    }
    if (fds[0].revents != 0) {
      if (!fill()) return Wait::ended;
      continue;
    }
    if (wake_fd >= 0 && fds[1].revents != 0) return Wait::woken;
  }
}

}  // namespace secpilot::runner
