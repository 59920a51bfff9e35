// Which failures are retried and how long the client waits.
#include <gtest/gtest.h>

#include "model/retry_policy.hpp"

namespace secpilot::model::detail {
namespace {

using std::chrono::milliseconds;

TEST(RetryPolicy, RetriesRateLimitsAndServerErrorsOnly) {
  EXPECT_TRUE(is_retryable_status(429, "rate_limit_exceeded"));
  EXPECT_TRUE(is_retryable_status(500, ""));
  EXPECT_TRUE(is_retryable_status(503, ""));
  EXPECT_FALSE(is_retryable_status(429, "insufficient_quota"));  // waiting buys no credit
  for (int status : {400, 401, 403, 404, 408, 409, 413, 422})
    EXPECT_FALSE(is_retryable_status(status, "")) << status;
}

TEST(RetryPolicy, ReadsRetryAfterInSecondsMillisecondsOrAsADate) {
  const auto now = std::chrono::system_clock::from_time_t(1445412480);  // 2015-10-21 07:28:00 UTC
  EXPECT_EQ(requested_delay({{"retry-after", "2"}}, now), milliseconds(2000));
  EXPECT_EQ(requested_delay({{"Retry-After", " 1.5 "}}, now), milliseconds(1500));
  EXPECT_EQ(requested_delay({{"retry-after", "9"}, {"retry-after-ms", "250"}}, now),
            milliseconds(250));
  EXPECT_EQ(requested_delay({{"retry-after", "Wed, 21 Oct 2015 07:28:30 GMT"}}, now),
            milliseconds(30'000));
  EXPECT_EQ(requested_delay({{"retry-after", "Wed, 21 Oct 2015 07:27:00 GMT"}}, now),
            milliseconds(0));
  EXPECT_FALSE(requested_delay({{"retry-after", "soon"}}, now));
  EXPECT_FALSE(requested_delay({{"retry-after", "-3"}}, now));
  EXPECT_FALSE(requested_delay({}, now));
}

TEST(RetryPolicy, BacksOffExponentiallyWithJitterUpToACap) {
  for (int retry = 1; retry <= 7; ++retry) {
    const long long full = 500LL << std::min(retry - 1, 4);
    for (int sample = 0; sample < 50; ++sample) {
      const auto delay = backoff_delay(retry).count();
      EXPECT_GE(delay, full / 2) << "retry " << retry;
      EXPECT_LE(delay, full) << "retry " << retry;
    }
  }
}

}  // namespace
}  // namespace secpilot::model::detail
