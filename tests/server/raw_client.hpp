// A blocking loopback TCP client for the server's tests: it sends exact bytes and reads raw
// responses, so that the tests control every byte on the wire. Every read has a deadline.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace secpilot::server::testing {

struct RawResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;                                          // de-chunked

  // The first header named `name` (lower-case), or "" when absent.
  std::string header(std::string_view name) const;
  bool has_header(std::string_view name) const;
};

class RawClient {
 public:
  static constexpr std::chrono::milliseconds kWait{5'000};

  // Connects to 127.0.0.1:port; connected() says whether it worked.
  explicit RawClient(std::uint16_t port);
  ~RawClient();
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  bool connected() const noexcept { return fd_ >= 0; }
  // Sends all of `bytes`; false when the connection failed.
  bool send(std::string_view bytes);
  // Reads one response; a body by Content-Length, chunked, or (with `until_close`) to the close.
  // nullopt when the connection closed or `wait` passed first.
  std::optional<RawResponse> read_response(std::chrono::milliseconds wait = kWait,
                                           bool head_request = false);
  // Reads only the status line and the header fields; skips 1xx responses unless told not to.
  std::optional<RawResponse> read_head(std::chrono::milliseconds wait = kWait,
                                       bool skip_interim = true);
  // Whether bytes (or the close) arrived within `wait`; reads nothing.
  bool readable(std::chrono::milliseconds wait);
  // Reads one chunk of a chunked body (after read_head); nullopt on close or timeout, "" for the
  // last chunk.
  std::optional<std::string> read_chunk(std::chrono::milliseconds wait = kWait);
  // Waits for the server to close the connection, discarding what arrives; false on timeout.
  bool wait_closed(std::chrono::milliseconds wait = kWait);
  // Everything received until the close (or until `wait` passes).
  std::string read_all(std::chrono::milliseconds wait = kWait);
  void close();

 private:
  // Reads more bytes into buffer_; false on close, error or timeout.
  bool fill(std::chrono::steady_clock::time_point deadline);
  std::optional<std::string> read_line(std::chrono::steady_clock::time_point deadline);
  bool read_exact(std::size_t size, std::string& out,
                  std::chrono::steady_clock::time_point deadline);

  int fd_ = -1;
  std::string buffer_;
};

// "GET <target> HTTP/1.1" with a Host header and `extra` header lines ("Name: value\r\n").
std::string get_request(std::string_view target, std::string_view extra = "");
std::string post_request(std::string_view target, std::string_view body,
                         std::string_view content_type = "application/json");

}  // namespace secpilot::server::testing
