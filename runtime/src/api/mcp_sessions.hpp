// The legacy MCP era's sessions over Streamable HTTP: `initialize` opens one (its id goes back in
// Mcp-Session-Id), the client names it on every later request, DELETE ends it. A session belongs
// to the API key's user that opened it; another user's id is as unknown as a made-up one. Kept in
// memory: after a restart a client gets 404 and initializes again, as the protocol expects.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace secpilot::api {

class McpSessions {
 public:
  struct Limits {
    std::size_t max_sessions = 10'000;      // the least recently used goes first beyond it
    std::chrono::minutes idle_timeout{60};  // a session unused this long is forgotten
  };
  McpSessions() = default;
  explicit McpSessions(Limits limits) : limits_(limits) {}

  // A new session for `user` speaking `protocol_version`; returns its id (a random UUID).
  std::string open(std::string user, std::string protocol_version);
  // Whether `id` is a live session of `user` (and marks it used).
  bool use(std::string_view id, std::string_view user);
  // Ends `user`'s session `id`; false when there is none.
  bool close(std::string_view id, std::string_view user);
  std::size_t size() const;

 private:
  using Clock = std::chrono::steady_clock;
  struct Session {
    std::string user;
    std::string protocol_version;
    Clock::time_point last_used;
  };
  void forget_idle(Clock::time_point now);

  Limits limits_;
  mutable std::mutex mutex_;
  std::map<std::string, Session, std::less<>> sessions_;
};

}  // namespace secpilot::api
