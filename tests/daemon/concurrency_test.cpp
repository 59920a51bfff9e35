// 100 clients at once, each on one keep-alive connection making several requests (list skills,
// invoke a skill), without a single error; and evaluations beyond the configured concurrency.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <latch>
#include <memory>
#include <mutex>
#include <thread>

#include "daemon/api_client.hpp"
#include "daemon/daemon_process.hpp"
#include "daemon/raw_http.hpp"

namespace secpilot::testing {
namespace {

TEST(DaemonConcurrency, HundredKeepAliveClientsWithoutAnError) {
  // No rate limit: 100 clients share one key.
  DaemonProcess daemon({.config = "limits:\n  rate_limit_per_minute: 0\n"});
  daemon.start();
  const std::string key = daemon.keys().contributor;
  constexpr int kClients = 100;
  constexpr int kRounds = 3;  // each round: GET /v1/skills, then POST invoke

  std::latch ready(kClients);
  std::atomic<int> succeeded{0};
  std::mutex mutex;
  std::vector<std::string> errors;
  auto fail = [&](int client, const std::string& what) {
    std::lock_guard lock(mutex);
    errors.push_back("client " + std::to_string(client) + ": " + what);
  };
  std::vector<std::thread> clients;
  for (int client = 0; client < kClients; ++client)
    clients.emplace_back([&, client] {
      std::unique_ptr<RawConnection> connection;
      try {
        connection = std::make_unique<RawConnection>(daemon.port());
      } catch (const std::exception& e) {
        ready.count_down();
        return fail(client, e.what());
      }
      ready.arrive_and_wait();  // everyone connected: now all at once
      try {
        for (int round = 0; round < kRounds; ++round) {
          const std::string indicator = "192.0.2." + std::to_string(client % 250);
          const std::string requests[] = {
              http_request("GET", "/v1/skills", bearer(key)),
              http_request("POST", "/v1/skills/ThreatIntel.LookupIndicator:invoke", bearer(key),
                           R"({"inputs":{"indicator":")" + indicator + R"("}})",
                           "application/json")};
          for (const auto& request : requests) {
            if (!connection->send(request)) return fail(client, "send failed");
            auto response = connection->read_response(std::chrono::milliseconds(20'000));
            if (!response) return fail(client, "no response (connection closed or timed out)");
            if (response->status != 200)
              return fail(client, std::to_string(response->status) + " " + response->body);
            if (response->header("connection") == "close")
              return fail(client, "the server closed a keep-alive connection");
            boost::system::error_code error;
            auto body = boost::json::parse(response->body, error);
            if (error || !body.is_object()) return fail(client, "not JSON: " + response->body);
            ++succeeded;
          }
        }
      } catch (const std::exception& e) {
        fail(client, e.what());
      }
    });
  for (auto& thread : clients)
    thread.join();
  EXPECT_TRUE(errors.empty()) << errors.size() << " error(s), first: " << errors.front();
  EXPECT_EQ(succeeded.load(), kClients * kRounds * 2);

  // Every call counted, and the daemon is still healthy.
  Api api(daemon);
  auto metrics = api.get("/metrics");
  EXPECT_NE(metrics.body.find("secpilot_http_requests_total{method=\"POST\",route=\"/v1/skills/"
                              "{name}:invoke\",status=\"200\"} " +
                              std::to_string(kClients * kRounds)),
            std::string::npos)
      << metrics.body;
  EXPECT_EQ(api.get("/healthz").status, 200);
  EXPECT_EQ(daemon.terminate(), 0) << daemon.log();
}

std::size_t count(std::string_view text, std::string_view part) {
  std::size_t found = 0;
  for (auto at = text.find(part); at != std::string_view::npos; at = text.find(part, at + 1))
    ++found;
  return found;
}

// Reloads (SIGHUP) while clients call skills: no call fails, none is refused, none hangs.
TEST(DaemonConcurrency, ReloadsUnderLoadDisturbNoCall) {
  DaemonProcess daemon({.config = "limits:\n  rate_limit_per_minute: 0\n"});
  daemon.start();
  const std::string key = daemon.keys().contributor;
  constexpr int kClients = 16;
  constexpr std::size_t kReloads = 5;
  std::atomic<bool> stop{false};
  std::atomic<int> succeeded{0};
  std::mutex mutex;
  std::vector<std::string> errors;
  std::vector<std::thread> clients;
  for (int client = 0; client < kClients; ++client)
    clients.emplace_back([&, client] {
      try {
        RawConnection connection(daemon.port());
        for (int call = 0; !stop.load(); ++call) {
          const std::string request =
              call % 2 ? http_request("POST", "/v1/skills/Misbehaving.Echo:invoke", bearer(key),
                                      R"({"inputs":{"text":"x"}})", "application/json")
                       : http_request("POST", "/v1/skills/ThreatIntel.LookupIndicator:invoke",
                                      bearer(key), R"({"inputs":{"indicator":"198.51.100.7"}})",
                                      "application/json");
          auto response = connection.send(request) ? connection.read_response() : std::nullopt;
          if (!response || response->status != 200) {
            std::lock_guard lock(mutex);
            errors.push_back("client " + std::to_string(client) + " call " + std::to_string(call) +
                             ": " +
                             (response ? std::to_string(response->status) + " " + response->body
                                       : std::string("no response")));
            return;
          }
          ++succeeded;
        }
      } catch (const std::exception& e) {
        std::lock_guard lock(mutex);
        errors.push_back(e.what());
      }
    });
  // Each reload is waited for (its log line) before the next signal, while the clients call.
  for (std::size_t reload = 1; reload <= kReloads; ++reload) {
    const int before = succeeded.load();
    daemon.hangup();
    EXPECT_TRUE(eventually([&] { return count(daemon.log(), "plugins reloaded") >= reload; }))
        << daemon.log();
    EXPECT_TRUE(eventually([&] { return succeeded.load() > before || !errors.empty(); }))
        << "no call completed around reload " << reload;
  }
  stop = true;
  for (auto& thread : clients)
    thread.join();
  EXPECT_TRUE(errors.empty()) << errors.size() << " error(s), first: " << errors.front();
  EXPECT_GT(succeeded.load(), kClients);
  EXPECT_EQ(daemon.terminate(), 0) << daemon.log();
}

// Pipelined requests on one connection are answered in order.
TEST(DaemonConcurrency, PipelinedRequestsAreAnsweredInOrder) {
  DaemonProcess daemon;
  daemon.start();
  RawConnection connection(daemon.port());
  const std::string key = daemon.keys().contributor;
  ASSERT_TRUE(connection.send(
      http_request("GET", "/v1/me", bearer(key)) + http_request("GET", "/v1/nope", bearer(key)) +
      http_request("GET", "/healthz") +
      http_request("POST", "/v1/skills/Misbehaving.Echo:invoke", bearer(key),
                   R"({"inputs":{"text":"last"}})", "application/json")));
  const int expected[] = {200, 404, 200, 200};
  std::vector<RawResponse> responses;
  for (int status : expected) {
    auto response = connection.read_response();
    ASSERT_TRUE(response.has_value()) << "after " << responses.size() << " response(s)";
    EXPECT_EQ(response->status, status) << response->body;
    responses.push_back(std::move(*response));
  }
  EXPECT_NE(responses[0].body.find(kAliceUser), std::string::npos);
  EXPECT_NE(responses[3].body.find("last"), std::string::npos);
}

// More evaluations than max_concurrent_evaluations at once: the excess is refused with 429 and
// Retry-After (never queued forever or failed obscurely), and the admitted ones complete.
TEST(DaemonConcurrency, EvaluationsBeyondTheLimitAreRefusedWithRetryAfter) {
  DaemonProcess daemon({.config = "limits:\n  max_concurrent_evaluations: 2\n"});
  daemon.start();
  Api api(daemon);
  const auto& alice = daemon.keys().contributor;
  const auto session = api.create_session(alice);
  std::vector<std::string> admitted;
  for (int i = 0; i < 2; ++i)
    admitted.push_back(api.submit(alice, session, "/Misbehaving.Overrun ms=500"));
  auto refused = api.post("/v1/sessions/" + session + "/prompts", alice,
                          {{"content", "/Misbehaving.Overrun ms=1"}});
  EXPECT_EQ(refused.status, 429) << refused.body;
  EXPECT_FALSE(refused.header("retry-after").empty());
  for (const auto& evaluation : admitted)
    EXPECT_EQ(api.finished(alice, evaluation).at("state").as_string(), "completed");
  // Room again (a finished evaluation frees its place just after its last event).
  std::string later;
  EXPECT_TRUE(eventually([&] {
    auto reply = api.post("/v1/sessions/" + session + "/prompts", alice,
                          {{"content", "/Misbehaving.Overrun ms=1"}});
    if (reply.status == 202) later = reply.object().at("evaluation").at("id").as_string();
    return reply.status == 202;
  }));
  if (!later.empty()) {
    EXPECT_EQ(api.finished(alice, later).at("state").as_string(), "completed");
  }
}

}  // namespace
}  // namespace secpilot::testing
