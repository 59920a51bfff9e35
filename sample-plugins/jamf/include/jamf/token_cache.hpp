// Keeps the Jamf Pro access token of a plugin instance between calls until shortly before it
// expires, so that a burst of calls asks the token endpoint once. Safe to share between threads:
// concurrent callers wait for one fetch instead of each fetching a token.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "jamf/settings.hpp"

namespace jamf {

// What the token endpoint handed out.
struct IssuedToken {
  std::string value;
  std::chrono::seconds lifetime{0};  // expires_in
};

class TokenCache {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  explicit TokenCache(Clock now = [] { return std::chrono::steady_clock::now(); })
      : now_(std::move(now)) {}

  // The cached token for these credentials while more than the margin of its lifetime is left,
  // else a new one from `fetch` (which may throw; nothing is cached then).
  std::string get(const Connection& connection, const std::function<IssuedToken()>& fetch);

  // Forgets `token` when it is the cached one: Jamf Pro answered 401 to it (revoked, expired
  // early, or the client's secret rotated). A token another thread already replaced stays.
  void invalidate(const std::string& token);

  // How long before expiry a token stops being used: a quarter of its lifetime, at most 60 s,
  // so that a request never starts with a token about to die on the way.
  static std::chrono::seconds margin(std::chrono::seconds lifetime);

 private:
  Clock now_;
  std::mutex mutex_;  // guards the members below, and is held during a fetch
  std::optional<Connection> owner_;
  std::string token_;
  std::chrono::steady_clock::time_point refresh_at_{};
};

}  // namespace jamf
