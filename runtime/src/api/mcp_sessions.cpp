#include "api/mcp_sessions.hpp"

#include <algorithm>

#include "store/random_ids.hpp"

namespace secpilot::api {

std::string McpSessions::open(std::string user, std::string protocol_version) {
  std::string id = store::new_id();
  const auto now = Clock::now();
  std::lock_guard lock(mutex_);
  forget_idle(now);
  if (sessions_.size() >= limits_.max_sessions) {
    auto oldest = std::min_element(sessions_.begin(), sessions_.end(), [](auto& a, auto& b) {
      return a.second.last_used < b.second.last_used;
    });
    sessions_.erase(oldest);
  }
  sessions_.emplace(id, Session{std::move(user), std::move(protocol_version), now});
  return id;
}

bool McpSessions::use(std::string_view id, std::string_view user) {
  const auto now = Clock::now();
  std::lock_guard lock(mutex_);
  auto found = sessions_.find(id);
  if (found == sessions_.end() || found->second.user != user) return false;
  if (now - found->second.last_used > limits_.idle_timeout) {
    sessions_.erase(found);
    return false;
  }
  found->second.last_used = now;
  return true;
}

bool McpSessions::close(std::string_view id, std::string_view user) {
  std::lock_guard lock(mutex_);
  auto found = sessions_.find(id);
  if (found == sessions_.end() || found->second.user != user) return false;
  sessions_.erase(found);
  return true;
}

std::size_t McpSessions::size() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

void McpSessions::forget_idle(Clock::time_point now) {
  std::erase_if(sessions_, [&](const auto& entry) {
    return now - entry.second.last_used > limits_.idle_timeout;
  });
}

}  // namespace secpilot::api
