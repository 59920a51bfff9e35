// An MCP server reached over Streamable HTTP (a Peer): each JSON-RPC message is POSTed to the
// endpoint through the host's HTTP client, under the plugin's egress allow-list; the response is
// one JSON message or an event stream read until the response to the request (skipping the
// priming event, passing notifications on, refusing the server's own requests); a session's
// stream that ends before the response is resumed from its last event (GET, Last-Event-ID). The legacy
// era's session (Mcp-Session-Id from the initialize response) goes with every later message and
// is ended with DELETE when the peer goes; modern-era messages carry MCP-Protocol-Version,
// Mcp-Method and Mcp-Name. The peer learns both from the messages it carries.
// Once a legacy-era session is open (after notifications/initialized), a thread of the peer's
// keeps the session's own event stream open (GET), where a server sends what belongs to no
// request (tools/list_changed among it): opened again when it ends, from the last event's id
// (Last-Event-ID), after a growing pause when the server cannot be reached, and not at all by a
// server that answers 405 (it offers none).
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "mcp/peer.hpp"
#include "secpilot/net/http_client.hpp"

namespace spdlog {
class logger;
}

namespace secpilot::mcp {

struct HttpEndpoint {
  std::string url;       // absolute http:// or https://
  net::Headers headers;  // sent with every message (credentials from the plugin's settings)
  net::EgressPolicy egress;
  std::shared_ptr<const net::HttpClient> http;
};

class HttpPeer final : public Peer {
 public:
  // `name` says which server in logs and errors (no secrets).
  HttpPeer(HttpEndpoint endpoint, std::string name, std::shared_ptr<spdlog::logger> log,
           OnNotification on_notification = {});
  ~HttpPeer() override;  // stops listening, ends the session if there is one (best effort)
  HttpPeer(const HttpPeer&) = delete;
  HttpPeer& operator=(const HttpPeer&) = delete;

  // Upstream errors: the server cannot be reached, answered with an HTTP error, a content type
  // that is neither JSON nor an event stream, or no response to the request. An HTTP error whose
  // body is a JSON-RPC error response is that Answer. Forbidden: the egress allow-list.
  Expected<Answer> request(
      std::string_view method, boost::json::object params, Clock::time_point deadline,
      const std::shared_ptr<const std::atomic<bool>>& cancelled = nullptr) override;
  Outcome notify(std::string_view method, boost::json::object params = {}) override;

  // False once a message could not be delivered (no HTTP response) or the session expired.
  bool alive() const override;
  bool expired() const override;

 private:
  struct Exchange;
  bool read_exchange(Exchange& exchange, const net::HttpResponse& head, std::string_view chunk);
  net::HttpRequest stream_request(const std::string& last_event_id,
                                  std::chrono::milliseconds timeout) const;
  void take_unasked(std::string_view data);
  void start_listening();
  void listen();
  bool pause_listening(std::chrono::milliseconds pause);
  net::Headers headers_for(std::string_view method, const boost::json::object& params) const;
  Expected<net::HttpResponse> post(const std::string& body, net::Headers headers,
                                   std::chrono::milliseconds timeout,
                                   const std::function<bool()>& cancelled,
                                   Exchange* exchange = nullptr);
  void learn(std::string_view method, const net::HttpResponse& head, const Answer& answer);
  Error lost(const Error& error);

  HttpEndpoint endpoint_;
  std::string name_;
  std::shared_ptr<spdlog::logger> log_;
  OnNotification on_notification_;
  std::atomic<std::int64_t> next_id_{1};

  mutable std::mutex mutex_;
  std::string session_;           // legacy: Mcp-Session-Id, once initialize gave one
  std::string protocol_version_;  // legacy: what initialize agreed on
  bool alive_ = true;
  bool expired_ = false;

  // The session's event stream (GET): its thread, and how the destructor stops it at once.
  std::thread listener_;
  std::atomic<bool> closing_{false};
  std::mutex pause_mutex_;
  std::condition_variable pause_;
};

}  // namespace secpilot::mcp
