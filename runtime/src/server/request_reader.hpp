// Parses one HTTP/1.x request from bytes as they arrive, within the server's limits, and checks
// what Beast's parser does not (version, Host, Transfer-Encoding, Expect, the target). No I/O:
// a connection feeds what it read; the fuzz target (tests/fuzz) feeds bytes directly, so both
// run the same code. Beast stays behind the pimpl.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "secpilot/server/http_message.hpp"

namespace secpilot::server {

struct RequestLimits {
  std::size_t max_header_bytes = 16 * 1024;  // request line and header fields
  std::size_t max_body_bytes = 1024 * 1024;
};

// One per connection, reused for each of its requests (start() begins the next one).
class RequestReader {
 public:
  explicit RequestReader(RequestLimits limits);
  ~RequestReader();
  RequestReader(const RequestReader&) = delete;
  RequestReader& operator=(const RequestReader&) = delete;

  // Begins a request that fills `request`: method, target, headers (names lower-cased), path and
  // query once the header is done, the body as it arrives. `request` must outlive the reading. It
  // may be the request the last one was read into: its strings keep their capacity.
  void start(Request& request);

  // Feeds the front of `bytes`; returns how many were used. The rest is either the start of the
  // next request (once done()) or too little to parse yet: feed it again with more after it.
  // After a refusal (take_refusal()) the connection must answer it and close.
  std::size_t put(std::string_view bytes);

  // The answer for a request that cannot be served (400, 413, 417, 431, 501, 505), once.
  std::optional<Response> take_refusal();
  bool header_done() const noexcept { return header_checked_; }
  bool done() const noexcept;
  // The client waits for "100 Continue": the header asked for it and no body byte came with it.
  // True at most once per request.
  bool take_send_continue() noexcept { return std::exchange(send_continue_, false); }

  // Known once header_done().
  unsigned version() const noexcept { return version_; }
  bool expects_continue() const noexcept { return expects_continue_; }
  const std::string& encoded_path() const noexcept { return encoded_path_; }

  // Once done(): whether the connection stays open after the reply (keep-alive).
  bool keep_alive() const;

 private:
  std::optional<Response> check_header();

  struct Parser;
  RequestLimits limits_;
  std::unique_ptr<Parser> parser_;
  Request* request_ = nullptr;
  std::optional<Response> refusal_;
  std::string encoded_path_;
  unsigned version_ = 11;
  bool expects_continue_ = false;
  bool header_checked_ = false;
  bool send_continue_ = false;
};

}  // namespace secpilot::server
