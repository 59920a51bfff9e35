// Legacy MCP sessions: each belongs to the user that opened it, ends once, and the registry stays
// bounded (least recently used first) and forgets idle ones.
#include "api/mcp_sessions.hpp"

#include <gtest/gtest.h>

#include <set>

namespace secpilot::api {
namespace {

TEST(McpSessions, ASessionIsItsOpenersUntilClosed) {
  McpSessions sessions;
  const auto id = sessions.open("alice", "2025-11-25");
  EXPECT_EQ(id.size(), 36u) << "a UUID";
  EXPECT_TRUE(sessions.use(id, "alice"));
  EXPECT_FALSE(sessions.use(id, "bob")) << "another user's session is unknown to them";
  EXPECT_FALSE(sessions.close(id, "bob"));
  EXPECT_TRUE(sessions.close(id, "alice"));
  EXPECT_FALSE(sessions.use(id, "alice"));
  EXPECT_FALSE(sessions.close(id, "alice"));
  EXPECT_FALSE(sessions.use("made-up", "alice"));
}

TEST(McpSessions, IdsAreUnique) {
  McpSessions sessions;
  std::set<std::string> ids;
  for (int i = 0; i < 1000; ++i)
    ids.insert(sessions.open("alice", "2025-11-25"));
  EXPECT_EQ(ids.size(), 1000u);
}

TEST(McpSessions, TheLeastRecentlyUsedGoesBeyondTheLimit) {
  McpSessions sessions({.max_sessions = 3, .idle_timeout = std::chrono::minutes(60)});
  const auto first = sessions.open("alice", "v");
  const auto second = sessions.open("alice", "v");
  const auto third = sessions.open("alice", "v");
  ASSERT_TRUE(sessions.use(first, "alice"));  // now the second is the least recently used
  const auto fourth = sessions.open("alice", "v");
  EXPECT_EQ(sessions.size(), 3u);
  EXPECT_FALSE(sessions.use(second, "alice"));
  for (const auto& kept : {first, third, fourth})
    EXPECT_TRUE(sessions.use(kept, "alice"));
}

TEST(McpSessions, IdleSessionsAreForgotten) {
  McpSessions sessions({.max_sessions = 10, .idle_timeout = std::chrono::minutes(0)});
  const auto id = sessions.open("alice", "v");
  // Any time at all is longer than an idle timeout of zero.
  const auto opened = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() == opened) {
  }
  EXPECT_FALSE(sessions.use(id, "alice"));
  EXPECT_EQ(sessions.size(), 0u);
}

}  // namespace
}  // namespace secpilot::api
