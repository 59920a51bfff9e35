// What operators rely on: /healthz, /readyz, /metrics (requests by route and status, skill calls
// by skill and outcome), and the per-key rate limit (429 with Retry-After).
#include <gtest/gtest.h>

#include <filesystem>

#include <map>
#include <memory>
#include <sstream>

#include "daemon/api_client.hpp"
#include "daemon/daemon_process.hpp"
#include "support/files.hpp"

namespace secpilot::testing {
namespace {

// "name{labels} value" lines of a Prometheus text exposition, by "name{labels}".
std::map<std::string, double> samples(const std::string& text) {
  std::map<std::string, double> out;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line.front() == '#') continue;
    const auto space = line.rfind(' ');
    if (space == std::string::npos) continue;
    out[line.substr(0, space)] = std::stod(line.substr(space + 1));
  }
  return out;
}

class DaemonOperations : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    daemon_ = std::make_unique<DaemonProcess>();
    daemon_->start();
    api_ = std::make_unique<Api>(*daemon_);
  }
  static void TearDownTestSuite() {
    api_.reset();
    daemon_.reset();
  }
  static inline std::unique_ptr<DaemonProcess> daemon_;
  static inline std::unique_ptr<Api> api_;
};

TEST_F(DaemonOperations, HealthAndReadiness) {
  auto health = api_->get("/healthz");
  ASSERT_EQ(health.status, 200);
  EXPECT_EQ(health.object().at("status").as_string(), "ok");
  auto ready = api_->get("/readyz");
  ASSERT_EQ(ready.status, 200) << ready.body;
  const auto body = ready.object();
  EXPECT_EQ(body.at("status").as_string(), "ready");
  EXPECT_EQ(body.at("store").as_string(), "open");
  // Every sample plugin the build put in <build>/plugins (a manifest starts with its
  // Descriptor; the folders also hold data such as OpenAPI documents), and Misbehaving.
  int sample_plugins = 0;
  for (const auto& folder : std::filesystem::directory_iterator(threat_intel_plugins()))
    for (const auto& file : std::filesystem::directory_iterator(folder.path()))
      if (file.path().extension() == ".yaml") {
        const std::string text = read_file(file.path());
        if (text.starts_with("Descriptor:") || text.find("\nDescriptor:") != std::string::npos)
          ++sample_plugins;
      }
  EXPECT_EQ(body.at("plugins").at("loaded").to_number<int>(), sample_plugins + 1);
  EXPECT_EQ(body.at("plugins").at("failed").to_number<int>(), 0);
}

TEST_F(DaemonOperations, MetricsCountRequestsAndSkillCalls) {
  const auto& alice = daemon_->keys().contributor;
  EXPECT_EQ(api_->get("/v1/skills", alice).status, 200);
  EXPECT_EQ(api_->get("/v1/skills").status, 401);
  EXPECT_EQ(api_->get("/v1/no-such-route", alice).status, 404);
  // A skill called through a prompt (the orchestrator), one that fails, and one called directly.
  const auto session = api_->create_session(alice);
  const auto extracted =
      api_->submit(alice, session, "/ThreatIntel.ExtractIndicators text=\"see 198.51.100[.]7\"");
  EXPECT_EQ(api_->finished(alice, extracted).at("state").as_string(), "completed");
  const auto thrown = api_->submit(alice, session, "/Misbehaving.ThrowTyped");
  EXPECT_EQ(api_->finished(alice, thrown).at("state").as_string(), "failed");
  auto direct = api_->post("/v1/skills/ThreatIntel.LookupIndicator:invoke", alice,
                           {{"inputs", {{"indicator", "192.0.2.1"}}}});
  EXPECT_EQ(direct.status, 200) << direct.body;

  auto metrics = api_->get("/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.header("content-type").rfind("text/plain; version=0.0.4", 0), 0u);
  const auto found = samples(metrics.body);
  auto value = [&](const std::string& series) {
    auto it = found.find(series);
    return it == found.end() ? -1.0 : it->second;
  };
  EXPECT_NE(metrics.body.find("# TYPE secpilot_http_requests_total counter"), std::string::npos);
  EXPECT_EQ(value(R"(secpilot_http_requests_total{method="GET",route="/v1/skills",status="200"})"),
            1.0)
      << metrics.body;
  EXPECT_EQ(value(R"(secpilot_http_requests_total{method="GET",route="/v1/skills",status="401"})"),
            1.0);
  EXPECT_EQ(
      value(R"(secpilot_http_requests_total{method="POST",route="/v1/sessions",status="201"})"),
      1.0);
  EXPECT_EQ(
      value(R"m(secpilot_http_requests_total{method="GET",route="(unmatched)",status="404"})m"),
      1.0);
  EXPECT_GE(value(R"(secpilot_http_request_duration_seconds_count{route="/v1/skills"})"), 2.0);

  EXPECT_NE(metrics.body.find("# TYPE secpilot_skill_calls_total counter"), std::string::npos);
  EXPECT_EQ(
      value(R"(secpilot_skill_calls_total{skill="ThreatIntel.ExtractIndicators",outcome="ok"})"),
      1.0)
      << metrics.body;
  EXPECT_EQ(
      value(R"(secpilot_skill_calls_total{skill="Misbehaving.ThrowTyped",outcome="not_found"})"),
      1.0)
      << metrics.body;
  // A direct call (POST /v1/skills/{name}:invoke) is a skill call too.
  EXPECT_EQ(
      value(R"(secpilot_skill_calls_total{skill="ThreatIntel.LookupIndicator",outcome="ok"})"), 1.0)
      << "the direct skill call is missing from secpilot_skill_calls_total";

  // (An evaluation leaves the gauge just after its "done" event, so this may take a moment.)
  EXPECT_TRUE(eventually([&] {
    return samples(api_->get("/metrics").body)["secpilot_evaluations_in_flight"] == 0.0;
  }));
  EXPECT_EQ(value(R"(secpilot_plugin_healthy{plugin="ThreatIntel",state="loaded"})"), 1.0);
  EXPECT_EQ(value(R"(secpilot_plugin_healthy{plugin="Misbehaving",state="loaded"})"), 1.0);
}

TEST(DaemonRateLimit, SixthRequestInAMinuteIs429WithRetryAfter) {
  DaemonProcess daemon({.config = "limits:\n  rate_limit_per_minute: 5\n"});
  daemon.start();
  Api api(daemon);
  const auto& reader = daemon.keys().reader;
  for (int i = 1; i <= 5; ++i) {
    auto reply = api.get("/v1/me", reader);
    EXPECT_EQ(reply.status, 200) << "request " << i << ": " << reply.body;
  }
  auto limited = api.get("/v1/me", reader);
  ASSERT_EQ(limited.status, 429) << limited.body;
  EXPECT_EQ(limited.header("content-type"), "application/problem+json");
  const std::string retry_after = limited.header("retry-after");
  ASSERT_FALSE(retry_after.empty());
  const int seconds = std::stoi(retry_after);
  EXPECT_GE(seconds, 1);
  EXPECT_LE(seconds, 60);
  // Any route counts against the same key; other keys and unauthenticated routes are unaffected.
  EXPECT_EQ(api.get("/v1/skills", reader).status, 429);
  EXPECT_EQ(api.get("/v1/me", daemon.keys().owner).status, 200);
  EXPECT_EQ(api.get("/healthz").status, 200);
  EXPECT_EQ(api.get("/metrics").status, 200);
}

// Failed sign-ins are limited per client address: beyond the limit the address is refused before
// any key is checked, so that guessing keys gets no answers; the audit log records the failures.
TEST(DaemonRateLimit, FailedSignInsFromOneAddressAreLimited) {
  DaemonProcess daemon({.config = "limits:\n  failed_auth_per_minute: 3\n"});
  daemon.start();
  Api api(daemon);
  for (int i = 1; i <= 3; ++i) {
    auto reply = api.get("/v1/me", "sp_guess" + std::to_string(i));
    EXPECT_EQ(reply.status, 401) << "attempt " << i << ": " << reply.body;
  }
  auto limited = api.get("/v1/me", "sp_guess4");
  ASSERT_EQ(limited.status, 429) << limited.body;
  EXPECT_EQ(limited.object().at("code").as_string(), "rate_limited");
  const std::string retry_after = limited.header("retry-after");
  ASSERT_FALSE(retry_after.empty());
  EXPECT_GE(std::stoi(retry_after), 1);
  // Even a good key waits: the address gets no answer about any key until it cools down.
  EXPECT_EQ(api.get("/v1/me", daemon.keys().owner).status, 429);
  // Routes without authentication still answer.
  EXPECT_EQ(api.get("/healthz").status, 200);
}

}  // namespace
}  // namespace secpilot::testing
