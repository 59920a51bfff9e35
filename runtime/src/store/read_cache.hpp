// Remembers answers read from one area of the store (API keys, plugin enablement) so that the
// request path need not query SQLite for them every time. The store clears the cache on every
// write to that area, and an answer read while a write was under way is not kept, so a hit is
// never stale. This holds because the daemon's store is the only writer of these areas while it
// runs; another process may only add rows (`secpilotd --create-key`), which a miss then finds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>

#include "secpilot/util/string_map.hpp"

namespace secpilot::store {

template <class Value>
class ReadCache {
 public:
  explicit ReadCache(std::size_t max_entries) : max_entries_(max_entries) {}

  // Call before reading the database; pass the result to put().
  std::uint64_t generation() const {
    std::shared_lock lock(mutex_);
    return generation_;
  }

  std::optional<Value> get(std::string_view key) const {
    std::shared_lock lock(mutex_);
    auto found = entries_.find(key);
    if (found == entries_.end()) return std::nullopt;
    return found->second;
  }

  // Keeps `value` unless the area was written since `read_at` (then it may be stale).
  void put(std::string key, Value value, std::uint64_t read_at) {
    std::unique_lock lock(mutex_);
    if (read_at != generation_) return;
    // Bounded by a wholesale clear: the working set (active keys, users × plugins) is small, and
    // an unbounded map keyed by what callers send would be a memory leak to exploit.
    if (entries_.size() >= max_entries_) entries_.clear();
    entries_.insert_or_assign(std::move(key), std::move(value));
  }

  // After (and before) a write to the area.
  void invalidate() {
    std::unique_lock lock(mutex_);
    ++generation_;
    entries_.clear();
  }

 private:
  const std::size_t max_entries_;
  mutable std::shared_mutex mutex_;
  std::uint64_t generation_ = 0;
  StringMap<Value> entries_;
};

}  // namespace secpilot::store
