#include "server/raw_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>

namespace secpilot::server::testing {

namespace {

using Clock = std::chrono::steady_clock;

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::string RawResponse::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  return {};
}

bool RawResponse::has_header(std::string_view name) const {
  return std::any_of(headers.begin(), headers.end(),
                     [&](const auto& header) { return header.first == name; });
}

RawClient::RawClient(std::uint16_t port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd_);
    fd_ = -1;
    return;
  }
  const int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

RawClient::~RawClient() {
  close();
}

void RawClient::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

bool RawClient::send(std::string_view bytes) {
  while (!bytes.empty() && fd_ >= 0) {
    const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return bytes.empty();
}

bool RawClient::fill(Clock::time_point deadline) {
  if (fd_ < 0) return false;
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    pollfd poller{fd_, POLLIN, 0};
    const int ready = ::poll(&poller, 1, static_cast<int>(left));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return false;
    char chunk[16 * 1024];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
  }
}

std::optional<std::string> RawClient::read_line(Clock::time_point deadline) {
  for (;;) {
    const auto end = buffer_.find("\r\n");
    if (end != std::string::npos) {
      std::string line = buffer_.substr(0, end);
      buffer_.erase(0, end + 2);
      return line;
    }
    if (!fill(deadline)) return std::nullopt;
  }
}

bool RawClient::read_exact(std::size_t size, std::string& out, Clock::time_point deadline) {
  while (buffer_.size() < size) {
    if (!fill(deadline)) return false;
  }
  out.append(buffer_, 0, size);
  buffer_.erase(0, size);
  return true;
}

bool RawClient::readable(std::chrono::milliseconds wait) {
  if (!buffer_.empty()) return true;
  if (fd_ < 0) return false;
  pollfd poller{fd_, POLLIN, 0};
  return ::poll(&poller, 1, static_cast<int>(wait.count())) > 0;
}

std::optional<RawResponse> RawClient::read_head(std::chrono::milliseconds wait, bool skip_interim) {
  const auto deadline = Clock::now() + wait;
  RawResponse response;
  for (;;) {
    auto status_line = read_line(deadline);
    if (!status_line) return std::nullopt;
    // "HTTP/1.1 200 OK"
    if (status_line->size() < 12 || status_line->compare(0, 5, "HTTP/") != 0) return std::nullopt;
    response.status = std::atoi(status_line->c_str() + 9);
    response.headers.clear();
    for (;;) {
      auto line = read_line(deadline);
      if (!line) return std::nullopt;
      if (line->empty()) break;
      const auto colon = line->find(':');
      if (colon == std::string::npos) return std::nullopt;
      std::string value = line->substr(colon + 1);
      while (!value.empty() && value.front() == ' ')
        value.erase(0, 1);
      response.headers.emplace_back(lower(line->substr(0, colon)), value);
    }
    if (!skip_interim || response.status >= 200) return response;
  }
}

std::optional<std::string> RawClient::read_chunk(std::chrono::milliseconds wait) {
  const auto deadline = Clock::now() + wait;
  auto size_line = read_line(deadline);
  if (!size_line) return std::nullopt;
  const std::size_t size = std::strtoul(size_line->c_str(), nullptr, 16);
  std::string chunk;
  if (!read_exact(size, chunk, deadline)) return std::nullopt;
  auto end = read_line(deadline);  // the CRLF after the data (or after the last chunk)
  if (!end || !end->empty()) return std::nullopt;
  return chunk;
}

std::optional<RawResponse> RawClient::read_response(std::chrono::milliseconds wait,
                                                    bool head_request) {
  const auto deadline = Clock::now() + wait;
  auto response = read_head(wait);
  if (!response) return std::nullopt;
  if (head_request || response->status == 204 || response->status == 304) return response;
  if (lower(response->header("transfer-encoding")) == "chunked") {
    for (;;) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      auto chunk = read_chunk(left);
      if (!chunk) return std::nullopt;
      if (chunk->empty()) break;
      response->body += *chunk;
    }
    return response;
  }
  if (response->has_header("content-length")) {
    const auto size = static_cast<std::size_t>(std::stoull(response->header("content-length")));
    if (!read_exact(size, response->body, deadline)) return std::nullopt;
    return response;
  }
  while (fill(deadline)) {
  }
  response->body = std::move(buffer_);
  buffer_.clear();
  return response;
}

bool RawClient::wait_closed(std::chrono::milliseconds wait) {
  const auto deadline = Clock::now() + wait;
  if (fd_ < 0) return true;
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    pollfd poller{fd_, POLLIN, 0};
    const int ready = ::poll(&poller, 1, static_cast<int>(left));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return false;
    char chunk[4096];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return true;  // EOF or reset
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
}

std::string RawClient::read_all(std::chrono::milliseconds wait) {
  const auto deadline = Clock::now() + wait;
  while (fill(deadline)) {
  }
  std::string all = std::move(buffer_);
  buffer_.clear();
  return all;
}

std::string get_request(std::string_view target, std::string_view extra) {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + std::string(extra) +
         "\r\n";
}

std::string post_request(std::string_view target, std::string_view body,
                         std::string_view content_type) {
  return "POST " + std::string(target) +
         " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + std::string(content_type) +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
}

}  // namespace secpilot::server::testing
