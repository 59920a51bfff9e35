// A blocking loopback TCP connection that sends exact bytes and reads raw HTTP/1.1 responses:
// for malformed requests, keep-alive, and reading an event stream as it arrives. Every read has a
// deadline.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace secpilot::testing {

struct RawResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;                                          // de-chunked

  std::string header(std::string_view name) const;  // "" when absent
};

class RawConnection {
 public:
  static constexpr std::chrono::milliseconds kWait{10'000};

  // Connects to 127.0.0.1:port; throws std::runtime_error when it cannot.
  explicit RawConnection(std::uint16_t port);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  // Sends all of `bytes`; false when the connection failed.
  bool send(std::string_view bytes);
  // One whole response (by Content-Length, chunked, or to the close); nullopt when the connection
  // closed first or `wait` passed.
  std::optional<RawResponse> read_response(std::chrono::milliseconds wait = kWait);
  // Only the status line and header fields, for a response read as it streams (read_body_until).
  std::optional<RawResponse> read_head(std::chrono::milliseconds wait = kWait);
  // After read_head: reads the body (de-chunked when chunked) into `body` until it contains
  // `needle` after `from`, the body ends, or `wait` passes. True when the needle was found.
  bool read_body_until(std::string& body, std::string_view needle, std::size_t from,
                       std::chrono::milliseconds wait = kWait);
  // Whether the body being streamed (after read_head) has ended.
  bool body_ended() const noexcept { return body_done_; }
  // Waits for the server to close the connection, discarding what arrives; false on timeout.
  bool wait_closed(std::chrono::milliseconds wait = kWait);
  // Whatever arrives until the close or `wait`.
  std::string read_all(std::chrono::milliseconds wait = kWait);

 private:
  using Deadline = std::chrono::steady_clock::time_point;
  bool fill(Deadline deadline);  // reads more into buffer_; false on close, error or timeout
  std::optional<std::string> read_line(Deadline deadline);
  bool read_exact(std::size_t size, std::string& out, Deadline deadline);
  // Reads more of a streamed body (after read_head) into `body`; false when it ended or timed out.
  bool read_more_body(std::string& body, Deadline deadline);

  int fd_ = -1;
  std::string buffer_;
  // The body being streamed after read_head.
  bool chunked_ = false;
  std::optional<std::size_t> remaining_;  // of a Content-Length body
  bool body_done_ = false;
  bool closed_ = false;  // the peer closed (or reset) the connection
};

// A request with a Host header: `extra` holds more header lines ("Name: value\r\n"); with a body
// (even empty when `content_type` is given) it adds Content-Type and Content-Length.
std::string http_request(std::string_view method, std::string_view target,
                         std::string_view extra = {}, std::string_view body = {},
                         std::string_view content_type = {});
std::string bearer(std::string_view key);  // "Authorization: Bearer <key>\r\n"

}  // namespace secpilot::testing
