// Remote mode: how `secpilot --server URL` talks to secpilotd. The base URL and the key are
// checked before anything is sent, every failure is turned into the message and exit code that
// docs/cli.md documents, and event streams (text/event-stream) are read as they arrive.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <boost/json/value.hpp>

#include "cli_context.hpp"
#include "secpilot/net/http_client.hpp"

namespace secpilot::cli {

// The daemon's address from --server: "http(s)://host[:port][/base/path]", or "host:port" (http).
struct ServerUrl {
  bool tls = false;
  std::string host;       // lower-cased, without brackets
  std::string base;       // "scheme://host[:port][/base/path]", no trailing slash
  bool loopback = false;  // localhost, 127.0.0.0/8 or ::1: plain http cannot leave the machine
};
Expected<ServerUrl> parse_server_url(std::string_view text);

// A call that did not succeed, classified as docs/cli.md documents.
struct ApiFailure {
  int exit_code = kFailed;
  std::string status;   // for --json errors: the problem's "code", else a name for the HTTP status
  std::string message;  // the problem's "detail", or what went wrong on the way
  int http_status = 0;  // 0 when there was no HTTP answer
  bool from_skill = false;  // the problem names the skill that ran and failed ("skill")
};

struct ApiReply {
  int status = 0;
  std::string content_type;  // lower-cased, without parameters
  std::string body;
  boost::json::value json;  // the parsed body when it is JSON, else null
};

// One server-sent event.
struct ServerEvent {
  std::string type = "message";
  std::string data;
  std::string id;  // the last event ID at dispatch (what Last-Event-ID resumes from)
};

// Splits a text/event-stream into events as its bytes arrive, however they are cut (LF, CRLF or
// CR line ends; comments and unknown fields are ignored).
class EventStreamParser {
 public:
  using Handler = std::function<bool(const ServerEvent&)>;
  // Calls `on_event` for each complete event; returns false as soon as `on_event` does.
  bool feed(std::string_view bytes, const Handler& on_event);

 private:
  bool line(std::string_view text, const Handler& on_event);

  std::string pending_;
  bool skip_lf_ = false;  // the last byte was a CR: a following LF belongs to it
  ServerEvent event_;
  bool has_data_ = false;
  std::string last_id_;
};

class RemoteClient {
 public:
  // Checks --server and --key; nullptr (after printing why, exit_code = kUsage) when the URL is
  // malformed, the CA file cannot be loaded, or the key would cross the network in clear text.
  static std::unique_ptr<RemoteClient> connect(const GlobalOptions& options, int& exit_code);

  // One request; `body`, when given, is sent as JSON. A 2xx answer is a reply; anything else
  // (unreachable, redirect, HTTP error, an answer that is not the API's) a failure.
  std::variant<ApiReply, ApiFailure> send(std::string_view method, const std::string& path,
                                          const boost::json::value* body = nullptr,
                                          std::chrono::milliseconds timeout = {}) const;
  // send(), printing a failure (and setting exit_code) instead of returning it.
  std::optional<ApiReply> call(std::string_view method, const std::string& path, int& exit_code,
                               const boost::json::value* body = nullptr) const;
  // call() for JSON routes: the parsed body (null for 204).
  std::optional<boost::json::value> json(std::string_view method, const std::string& path,
                                         int& exit_code,
                                         const boost::json::value* body = nullptr) const;

  // Reads the event stream at `path` (resuming after `last_event_id` when not empty), calling
  // `on_event` for each event until it returns false or the server ends the stream. A failure
  // when the stream could not be opened or broke; status "cancelled" when `cancelled` said so.
  std::optional<ApiFailure> stream_events(const std::string& path, const std::string& last_event_id,
                                          const EventStreamParser::Handler& on_event,
                                          const std::function<bool()>& cancelled,
                                          std::chrono::milliseconds timeout) const;

  // Prints the failure as "secpilot: error: ..." (or JSON with --json) and sets exit_code.
  void report(const ApiFailure& failure, int& exit_code) const;

  const GlobalOptions& options() const noexcept { return options_; }
  const ServerUrl& server() const noexcept { return server_; }

 private:
  RemoteClient(const GlobalOptions& options, ServerUrl server, std::string key,
               std::unique_ptr<net::HttpClient> client);
  net::HttpRequest make_request(std::string_view method, const std::string& path) const;
  ApiFailure unreachable(const Error& error) const;
  std::variant<ApiReply, ApiFailure> classify(const net::HttpResponse& response) const;

  const GlobalOptions& options_;
  ServerUrl server_;
  std::string key_;
  std::unique_ptr<net::HttpClient> client_;
};

// For remote-only commands: a client, or nullptr after explaining that --server is needed.
std::unique_ptr<RemoteClient> require_remote(const GlobalOptions& options, std::string_view command,
                                             int& exit_code);

// Percent-encodes one path segment (an ID or a name) for a URL.
std::string path_segment(std::string_view text);
// A JSON string member, or `fallback` when absent or not a string.
std::string text_of(const boost::json::value& object, std::string_view name,
                    std::string fallback = {});
// "2026-11-28T10:30:05.733Z" as "2026-11-28 10:30:05" (UTC); anything else unchanged.
std::string short_time(std::string_view iso);

}  // namespace secpilot::cli
