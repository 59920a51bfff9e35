// Which skills have a record of finishing fast, so that the server may run a direct call of one
// on its I/O thread instead of handing it to the work pool (server::InlineCheck). A skill earns
// it with kTrustAfter calls in a row each shorter than kFast; one slower call loses it, and the
// skill then earns it again on the work pool. Only in-process, thread-safe native skills that
// never overran a deadline qualify: they never wait for another call or for I/O of their own.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "secpilot/skills/catalog.hpp"

namespace secpilot::api {

class FastSkills {
 public:
  static constexpr std::chrono::microseconds kFast{1'000};
  static constexpr unsigned kTrustAfter = 16;
  // Skills remembered at most (names come from the catalog, so this is only a backstop).
  static constexpr std::size_t kMaxSkills = 10'000;

  // Whether a call of `entry` may run on an I/O thread now.
  bool trusted(const skills::SkillEntry& entry) const;
  // Records how long one call of `entry` took (the whole call: input checks, the plugin, output
  // checks), whatever its outcome.
  void record(const skills::SkillEntry& entry, std::chrono::nanoseconds took);

 private:
  static bool eligible(const skills::SkillEntry& entry) noexcept;

  mutable std::shared_mutex mutex_;
  // Fast calls in a row (capped at kTrustAfter), by full name. Never removed: a name that left the
  // catalog costs a few bytes.
  std::unordered_map<std::string, std::unique_ptr<std::atomic<unsigned>>> streaks_;
};

}  // namespace secpilot::api
