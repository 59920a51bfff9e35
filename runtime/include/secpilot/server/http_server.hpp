// The daemon's HTTP/1.1 server: accepts connections (plain or TLS) on a pool of I/O threads,
// parses requests within limits, routes them, runs handlers on a bounded pool of work threads and
// writes responses or event streams back. Beast and Asio stay behind the pimpl.
//
// Threading: each connection is a coroutine on its own strand. A matched request is queued to the
// work pool (503 + Retry-After when the queue is full) and the reply posted back to the
// connection's strand, unless its route allows it to run on the I/O thread that read it
// (RouteOptions::run_inline): then the handler runs there, in one of a few inline slots, and a
// watchdog hands the thread's I/O role to a spare thread if it runs for longer than
// inline_handoff_after. Hooks run on I/O threads and must be quick.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "secpilot/server/http_message.hpp"
#include "secpilot/server/router.hpp"
#include "secpilot/util/expected.hpp"

namespace secpilot::server {

// PEM files for a TLS listener: the certificate chain (leaf first) and its private key.
struct TlsFiles {
  std::string cert_file;
  std::string key_file;
};

struct HttpServerOptions {
  std::string address = "127.0.0.1";      // an IP address ("::1", "0.0.0.0") or "localhost"
  std::uint16_t port = 8480;              // 0 = an ephemeral port; see HttpServer::port()
  unsigned io_threads = 0;                // 0 = one per core
  unsigned work_threads = 0;              // 0 = two per core, at least 4
  std::size_t max_queued_requests = 256;  // waiting for a work thread; beyond it: 503
  // Handlers whose route allows it (RouteOptions::run_inline) run on the I/O thread that read the
  // request, at most max_inline_handlers at once (0 = as many as there are I/O threads; beyond
  // that they go to the work pool). false: every handler runs on the work pool.
  bool inline_handlers = true;
  unsigned max_inline_handlers = 0;
  // A handler still running inline after this long hands its thread's I/O role to a spare thread
  // (until it returns), so that no handler holds I/O up for much longer than this. A watchdog
  // thread looks when the oldest inline handler reaches it: about once per this period under load.
  std::chrono::milliseconds inline_handoff_after{4};
  std::size_t max_connections = 512;  // beyond it new connections get a 503 (TLS: none) and close
  std::size_t max_body_bytes = 1024 * 1024;
  std::size_t max_header_bytes = 16 * 1024;  // request line and header fields
  // The whole request, from its first byte (a new connection's first request: from the accept,
  // TLS handshake included). A client too slow gets a 408 and the connection is closed.
  std::chrono::milliseconds request_timeout{30'000};
  // A keep-alive connection with no request in progress is closed after this long.
  std::chrono::milliseconds idle_timeout{60'000};
  // Writing one response (or one batch of events) to the client; a client that does not read is
  // dropped.
  std::chrono::milliseconds send_timeout{30'000};
  std::optional<TlsFiles> tls;  // none = plain HTTP
};

// One finished exchange, for metrics and access logs.
struct CompletedRequest {
  std::string_view method;          // empty when the request line could not be parsed
  std::string_view route;           // the matched pattern (also for 405); empty for 404 and 4xx
                                    // refusals before routing
  std::string_view path;            // the encoded path, without the query (it may hold secrets)
  std::string_view remote_address;  // "127.0.0.1:53412"
  int status = 0;
  std::chrono::microseconds duration{0};  // first byte of the request to last byte of the reply
  std::size_t request_body_bytes = 0;
  std::size_t response_body_bytes = 0;
  bool event_stream = false;  // reported when the stream ends
  bool aborted = false;       // the reply could not be written in full
};

// Adds headers to every response the server writes: handlers' responses, the server's own errors
// and event streams. `request` holds whatever was parsed (its method is empty when the request
// line was malformed). Runs on I/O threads, possibly concurrently.
using ResponseHeadersHook = std::function<void(const Request& request, int status,
                                               std::string_view content_type, Headers& headers)>;
using CompletionHook = std::function<void(const CompletedRequest&)>;

struct HttpServerHooks {
  ResponseHeadersHook response_headers = add_default_response_headers;
  CompletionHook on_request_complete;  // none by default
};

// Counters for /metrics, read without locks.
struct HttpServerStats {
  std::size_t connections = 0;        // open now
  std::size_t in_flight = 0;          // requests being handled (work pool or inline)
  std::size_t event_streams = 0;      // open now
  std::uint64_t requests = 0;         // completed since start
  std::uint64_t rejected = 0;         // 503s: work queue full or too many connections
  std::uint64_t inline_handoffs = 0;  // spare I/O threads started for slow inline handlers
};

class HttpServer {
 public:
  HttpServer(HttpServerOptions options, Router router, HttpServerHooks hooks = {});
  // Stops with no grace period if still running.
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds, listens and starts the threads. Errors name the address and say what to do ("address
  // 127.0.0.1:8480 is in use", "cannot read TLS certificate 'x.pem': ..."). Call once.
  Outcome start();
  // The bound port (the ephemeral one when options.port is 0); 0 before start().
  std::uint16_t port() const noexcept;
  bool running() const noexcept;
  HttpServerStats stats() const noexcept;

  // Stops accepting at once (new connections are refused), closes idle connections and event
  // streams, lets in-flight requests finish and be answered (with Connection: close) for up to
  // `grace`, then cancels what is left: sets Request::cancelled(), closes the connections, and
  // waits for running handlers to return (their replies are discarded). Thread-safe and
  // idempotent; must not be called from a handler or a hook.
  void stop(std::chrono::milliseconds grace = std::chrono::milliseconds{10'000});

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace secpilot::server
