#include "api/token_buckets.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>

namespace secpilot::api {

TokenBuckets::Bucket& TokenBuckets::refill(const std::string& name, double per_minute,
                                           Clock::time_point now) {
  if (buckets_.size() >= max_buckets_ && !buckets_.contains(name)) {
    std::erase_if(buckets_, [&](const auto& entry) {
      const double elapsed = std::chrono::duration<double>(now - entry.second.refreshed).count();
      return entry.second.tokens + elapsed * per_minute / 60.0 >= per_minute;
    });
  }
  auto [it, fresh] = buckets_.try_emplace(name, Bucket{per_minute, now});
  Bucket& bucket = it->second;
  if (!fresh) {
    const double elapsed = std::chrono::duration<double>(now - bucket.refreshed).count();
    bucket.tokens = std::min(per_minute, bucket.tokens + elapsed * per_minute / 60.0);
    bucket.refreshed = now;
  }
  return bucket;
}

std::chrono::seconds TokenBuckets::wait_for_token(const Bucket& bucket, double per_minute) {
  const auto seconds = static_cast<long>(std::ceil((1.0 - bucket.tokens) * 60.0 / per_minute));
  return std::chrono::seconds(std::max(1L, seconds));
}

bool TokenBuckets::take(const std::string& name, double per_minute,
                        std::chrono::seconds& retry_after) {
  if (per_minute <= 0) return true;
  std::lock_guard lock(mutex_);
  Bucket& bucket = refill(name, per_minute, Clock::now());
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return true;
  }
  retry_after = wait_for_token(bucket, per_minute);
  return false;
}

bool TokenBuckets::has_token(const std::string& name, double per_minute,
                             std::chrono::seconds& retry_after) {
  if (per_minute <= 0) return true;
  std::lock_guard lock(mutex_);
  Bucket& bucket = refill(name, per_minute, Clock::now());
  if (bucket.tokens >= 1.0) return true;
  retry_after = wait_for_token(bucket, per_minute);
  return false;
}

}  // namespace secpilot::api
