// A small HTTP(S) server for the HTTP client's tests. It listens on 127.0.0.1 (an ephemeral port)
// only, serves each connection on its own thread, and keeps Beast out of the test files.
//
// Routes:
//   /json                      200, a small JSON object, and an "X-Test-Header: Value" header
//   /echo                      200, JSON {method, target, headers (names lower-cased), body}
//   /large?bytes=N             200, N bytes with a Content-Length
//   /large-chunked?bytes=N     200, N bytes in 1 KiB chunks
//   /chunked                   200, "hello, chunked world" in four chunks
//   /big-headers?bytes=N       200, with an X-Big header of N bytes
//   /slow                      waits until the client disconnects (or 5 s, or stop), then 200
//   /redirect/N                302 to /redirect/N-1 (absolute URL for even N, path for odd N);
//                              /redirect/0 is 200 "arrived"
//   /dir/sub/relative          302 to "../../json" (a relative reference)
//   /redirect-to?status=S&location=L   status S (default 302) with "Location: L"
//   /garbage                   a response that is not HTTP
//   /close                     closes the connection without answering
//   anything else              404
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace secpilot::net::testing {

// A certificate and its private key, both PEM.
struct TlsIdentity {
  std::string cert_pem;
  std::string key_pem;
};

class TestServer {
 public:
  enum class Mode {
    http,    // serve the routes above
    silent,  // accept connections and never send a byte
  };

  explicit TestServer(std::optional<TlsIdentity> tls = std::nullopt, Mode mode = Mode::http);
  ~TestServer();  // stops accepting, wakes waiting handlers, joins every thread
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  unsigned short port() const;
  // "http://127.0.0.1:<port><path>" (https for a TLS server).
  std::string url(std::string_view path, std::string_view host = "127.0.0.1") const;
  // TCP connections accepted so far.
  int connections() const;
  // The TLS server name (SNI) the last TLS client sent; empty when none.
  std::string last_server_name() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace secpilot::net::testing
