// The instance's token cache on a clock the test moves.
#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "jamf/error.hpp"
#include "jamf/token_cache.hpp"

namespace jamf {
namespace {

using std::chrono::seconds;

struct CacheTest : ::testing::Test {
  std::chrono::steady_clock::time_point now{std::chrono::hours{10}};
  TokenCache cache{[this] { return now; }};
  int fetches = 0;
  Connection connection{"https://acme.jamfcloud.com", "id", "secret"};

  std::string get(const Connection& with, seconds lifetime = seconds{1200}) {
    return cache.get(with, [&] {
      ++fetches;
      return IssuedToken{"token-" + std::to_string(fetches), lifetime};
    });
  }
};

TEST_F(CacheTest, ReusesTheTokenUntilTheMarginBeforeExpiry) {
  EXPECT_EQ(get(connection), "token-1");
  now += seconds{1000};
  EXPECT_EQ(get(connection), "token-1");
  now += seconds{139};  // 1139 s: 61 s left, more than the 60 s margin
  EXPECT_EQ(get(connection), "token-1");
  now += seconds{1};  // 60 s left: too close
  EXPECT_EQ(get(connection), "token-2");
  EXPECT_EQ(fetches, 2);
}

TEST_F(CacheTest, TheMarginIsAQuarterOfShortLifetimes) {
  EXPECT_EQ(TokenCache::margin(seconds{1200}), seconds{60});
  EXPECT_EQ(TokenCache::margin(seconds{120}), seconds{30});
  EXPECT_EQ(TokenCache::margin(seconds{0}), seconds{0});
  EXPECT_EQ(get(connection, seconds{120}), "token-1");
  now += seconds{89};
  EXPECT_EQ(get(connection), "token-1");
  now += seconds{1};
  EXPECT_EQ(get(connection), "token-2");
}

TEST_F(CacheTest, OtherCredentialsGetTheirOwnToken) {
  EXPECT_EQ(get(connection), "token-1");
  Connection rotated = connection;
  rotated.client_secret = "rotated";
  EXPECT_EQ(get(rotated), "token-2");
  Connection other_tenant = connection;
  other_tenant.base_url = "https://other.jamfcloud.com";
  EXPECT_EQ(get(other_tenant), "token-3");
}

TEST_F(CacheTest, AFailedFetchCachesNothing) {
  EXPECT_THROW(cache.get(connection,
                         []() -> IssuedToken { throw Error(ErrorKind::unauthorized, "refused"); }),
               Error);
  EXPECT_EQ(get(connection), "token-1");
}

TEST_F(CacheTest, InvalidateForgetsOnlyTheTokenThatFailed) {
  EXPECT_EQ(get(connection), "token-1");
  cache.invalidate("token-0");  // an older token another call saw fail
  EXPECT_EQ(get(connection), "token-1");
  cache.invalidate("token-1");
  EXPECT_EQ(get(connection), "token-2");
}

TEST_F(CacheTest, ConcurrentCallersShareOneFetch) {
  std::atomic<int> concurrent_fetches{0};
  std::vector<std::thread> threads;
  std::vector<std::string> seen(8);
  for (std::size_t i = 0; i < seen.size(); ++i)
    threads.emplace_back([&, i] {
      seen[i] = cache.get(connection, [&] {
        ++concurrent_fetches;
        return IssuedToken{"shared", seconds{1200}};
      });
    });
  for (auto& thread : threads)
    thread.join();
  EXPECT_EQ(concurrent_fetches.load(), 1);
  for (const auto& token : seen)
    EXPECT_EQ(token, "shared");
}

}  // namespace
}  // namespace jamf
