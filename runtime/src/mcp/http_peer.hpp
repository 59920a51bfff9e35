// An MCP server reached over Streamable HTTP (a Peer): each JSON-RPC message is POSTed to the
// endpoint through the host's HTTP client, under the plugin's egress allow-list; the response is
// one JSON message or an event stream read until the response to the request (skipping the
// priming event, passing notifications on, refusing the server's own requests). The legacy
// era's session (Mcp-Session-Id from the initialize response) goes with every later message and
// is ended with DELETE when the peer goes; modern-era messages carry MCP-Protocol-Version,
// Mcp-Method and Mcp-Name. The peer learns both from the messages it carries.
#pragma once

#include <memory>
#include <mutex>
#include <string>

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
  ~HttpPeer() override;  // ends the session, if there is one (best effort, briefly)
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
};

}  // namespace secpilot::mcp
