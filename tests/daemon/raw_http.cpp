#include "daemon/raw_http.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace secpilot::testing {
namespace {

using Clock = std::chrono::steady_clock;

int remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
    text.remove_suffix(1);
  return text;
}

}  // namespace

std::string RawResponse::header(std::string_view name) const {
  for (const auto& [field, value] : headers)
    if (field == name) return value;
  return {};
}

RawConnection::RawConnection(std::uint16_t port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    const int error = errno;
    ::close(fd_);
    fd_ = -1;
    throw std::runtime_error("connect to 127.0.0.1:" + std::to_string(port) + ": " +
                             std::strerror(error));
  }
  const int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

RawConnection::~RawConnection() {
  if (fd_ >= 0) ::close(fd_);
}

bool RawConnection::send(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) continue;
    if (sent <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(sent));
  }
  return true;
}

bool RawConnection::fill(Deadline deadline) {
  while (true) {
    pollfd fd{fd_, POLLIN, 0};
    const int polled = ::poll(&fd, 1, remaining_ms(deadline));
    if (polled < 0 && errno == EINTR) continue;
    if (polled <= 0) return false;
    char chunk[16 * 1024];
    const ssize_t got = ::recv(fd_, chunk, sizeof chunk, 0);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      closed_ = true;
      return false;
    }
    buffer_.append(chunk, static_cast<std::size_t>(got));
    return true;
  }
}

std::optional<std::string> RawConnection::read_line(Deadline deadline) {
  while (true) {
    const auto end = buffer_.find("\r\n");
    if (end != std::string::npos) {
      std::string line = buffer_.substr(0, end);
      buffer_.erase(0, end + 2);
      return line;
    }
    if (!fill(deadline)) return std::nullopt;
  }
}

bool RawConnection::read_exact(std::size_t size, std::string& out, Deadline deadline) {
  while (buffer_.size() < size)
    if (!fill(deadline)) return false;
  out.append(buffer_, 0, size);
  buffer_.erase(0, size);
  return true;
}

std::optional<RawResponse> RawConnection::read_head(std::chrono::milliseconds wait) {
  const auto deadline = Clock::now() + wait;
  auto status_line = read_line(deadline);
  if (!status_line) return std::nullopt;
  RawResponse response;
  // "HTTP/1.1 200 OK"
  const auto space = status_line->find(' ');
  if (space == std::string::npos || status_line->rfind("HTTP/1.", 0) != 0)
    throw std::runtime_error("not an HTTP status line: " + *status_line);
  response.status = std::stoi(status_line->substr(space + 1, 3));
  while (true) {
    auto line = read_line(deadline);
    if (!line) return std::nullopt;
    if (line->empty()) break;
    const auto colon = line->find(':');
    if (colon == std::string::npos) throw std::runtime_error("bad header line: " + *line);
    response.headers.emplace_back(lower(std::string_view(*line).substr(0, colon)),
                                  std::string(trim(std::string_view(*line).substr(colon + 1))));
  }
  chunked_ = lower(response.header("transfer-encoding")).find("chunked") != std::string::npos;
  remaining_.reset();
  body_done_ = false;
  if (!chunked_ && !response.header("content-length").empty())
    remaining_ = std::stoull(response.header("content-length"));
  return response;
}

bool RawConnection::read_more_body(std::string& body, Deadline deadline) {
  if (body_done_) return false;
  if (chunked_) {
    auto size_line = read_line(deadline);
    if (!size_line) return false;
    const std::size_t size = std::stoull(*size_line, nullptr, 16);
    if (size == 0) {
      // Trailer fields, then the empty line.
      while (auto line = read_line(deadline))
        if (line->empty()) break;
      body_done_ = true;
      return false;
    }
    std::string chunk;
    if (!read_exact(size + 2, chunk, deadline)) return false;
    body.append(chunk, 0, size);
    return true;
  }
  if (remaining_) {
    if (*remaining_ == 0) {
      body_done_ = true;
      return false;
    }
    if (buffer_.empty() && !fill(deadline)) return false;
    const std::size_t take = std::min(*remaining_, buffer_.size());
    body.append(buffer_, 0, take);
    buffer_.erase(0, take);
    *remaining_ -= take;
    if (*remaining_ == 0) body_done_ = true;
    return true;
  }
  // Delimited by the close.
  if (buffer_.empty() && !fill(deadline)) {
    body_done_ = closed_;
    return false;
  }
  body += buffer_;
  buffer_.clear();
  return true;
}

bool RawConnection::read_body_until(std::string& body, std::string_view needle, std::size_t from,
                                    std::chrono::milliseconds wait) {
  const auto deadline = Clock::now() + wait;
  while (body.find(needle, from) == std::string::npos)
    if (!read_more_body(body, deadline)) return body.find(needle, from) != std::string::npos;
  return true;
}

std::optional<RawResponse> RawConnection::read_response(std::chrono::milliseconds wait) {
  const auto deadline = Clock::now() + wait;
  auto response = read_head(wait);
  if (!response) return std::nullopt;
  while (read_more_body(response->body, deadline)) {
  }
  if (!body_done_) return std::nullopt;  // cut short or timed out
  return response;
}

bool RawConnection::wait_closed(std::chrono::milliseconds wait) {
  const auto deadline = Clock::now() + wait;
  while (true) {
    pollfd fd{fd_, POLLIN, 0};
    const int polled = ::poll(&fd, 1, remaining_ms(deadline));
    if (polled < 0 && errno == EINTR) continue;
    if (polled <= 0) return false;
    char chunk[4096];
    const ssize_t got = ::recv(fd_, chunk, sizeof chunk, 0);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return true;  // EOF or reset
  }
}

std::string RawConnection::read_all(std::chrono::milliseconds wait) {
  const auto deadline = Clock::now() + wait;
  while (fill(deadline)) {
  }
  std::string all = std::move(buffer_);
  buffer_.clear();
  return all;
}

std::string http_request(std::string_view method, std::string_view target, std::string_view extra,
                         std::string_view body, std::string_view content_type) {
  std::string request = std::string(method) + " " + std::string(target) +
                        " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + std::string(extra);
  if (!body.empty() || !content_type.empty()) {
    if (!content_type.empty()) request += "Content-Type: " + std::string(content_type) + "\r\n";
    request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  request += "\r\n";
  request += body;
  return request;
}

std::string bearer(std::string_view key) {
  return "Authorization: Bearer " + std::string(key) + "\r\n";
}

}  // namespace secpilot::testing
