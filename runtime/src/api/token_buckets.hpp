// Token buckets by name (an API key, a client address): `per_minute` tokens, refilled
// continuously. The rate limits of the API are built on it.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace secpilot::api {

class TokenBuckets {
 public:
  using Clock = std::chrono::steady_clock;

  // Buckets kept at most; beyond it, full buckets (which hold no information) are dropped.
  explicit TokenBuckets(std::size_t max_buckets = 10'000) : max_buckets_(max_buckets) {}

  // Takes a token from `name`'s bucket; false (and when to retry) when it is empty.
  bool take(const std::string& name, double per_minute, std::chrono::seconds& retry_after);
  // Whether `name`'s bucket has a token, without taking it.
  bool has_token(const std::string& name, double per_minute, std::chrono::seconds& retry_after);

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point refreshed{};
  };
  Bucket& refill(const std::string& name, double per_minute, Clock::time_point now);
  static std::chrono::seconds wait_for_token(const Bucket& bucket, double per_minute);

  const std::size_t max_buckets_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace secpilot::api
