// Direct skill calls of a skill with a record of finishing fast run on the I/O thread that read
// them (the REST fast path, api/fast_skills.hpp). Whatever a call owes still happens there: the
// key and its role are checked, the per-key rate limit applies, inputs are validated, and every
// call is audited and counted in the metrics.
#include <gtest/gtest.h>

#include <string>

#include "daemon/api_client.hpp"
#include "daemon/daemon_process.hpp"
#include "daemon/raw_http.hpp"

namespace secpilot::testing {
namespace {

constexpr int kCalls = 60;  // well past the calls a skill needs to be trusted (16)
constexpr std::string_view kEcho = "/v1/skills/Misbehaving.Echo:invoke";

std::string echo_request(std::string_view key, std::string_view text) {
  return http_request("POST", kEcho, key.empty() ? std::string() : bearer(key),
                      R"({"inputs":{"text":")" + std::string(text) + R"("}})", "application/json");
}

std::optional<RawResponse> call(RawConnection& connection, const std::string& request) {
  if (!connection.send(request)) return std::nullopt;
  return connection.read_response();
}

TEST(DaemonInlineInvoke, TrustedSkillCallsKeepAuthValidationAuditAndMetrics) {
  DaemonProcess daemon({.config = "limits:\n  rate_limit_per_minute: 0\n"});
  daemon.start();
  const auto& keys = daemon.keys();
  RawConnection connection(daemon.port());
  for (int i = 0; i < kCalls; ++i) {
    const std::string text = "call " + std::to_string(i);
    auto response = call(connection, echo_request(keys.contributor, text));
    ASSERT_TRUE(response) << "call " << i;
    ASSERT_EQ(response->status, 200) << response->body;
    EXPECT_NE(response->body.find(text), std::string::npos) << response->body;
  }

  // Once the skill is trusted, refusals still come, from the same checks.
  auto anonymous = call(connection, echo_request("", "x"));
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
  auto reader = call(connection, echo_request(keys.reader, "x"));
  ASSERT_TRUE(reader);
  EXPECT_EQ(reader->status, 403);
  auto invalid = call(connection, http_request("POST", kEcho, bearer(keys.contributor),
                                               R"({"inputs":{"count":1}})", "application/json"));
  ASSERT_TRUE(invalid);
  EXPECT_EQ(invalid->status, 400) << invalid->body;
  EXPECT_EQ(invalid->header("content-type"), "application/problem+json");

  Api api(daemon);
  auto audit =
      api.get("/v1/audit?action=skill.invoke&target=Misbehaving.Echo&limit=1000", keys.owner);
  ASSERT_EQ(audit.status, 200) << audit.body;
  int ok = 0, failed = 0;
  const auto entries = audit.object();
  for (const auto& entry : entries.at("value").as_array()) {
    EXPECT_EQ(entry.at("actor").as_string(), kAliceUser);
    (entry.at("outcome").as_string() == "ok" ? ok : failed)++;
  }
  EXPECT_EQ(ok, kCalls);
  EXPECT_EQ(failed, 1) << "the call with invalid inputs";

  const std::string metrics = api.get("/metrics").body;
  EXPECT_NE(metrics.find("secpilot_skill_calls_total{skill=\"Misbehaving.Echo\",outcome=\"ok\"} " +
                         std::to_string(kCalls)),
            std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("secpilot_http_requests_total{method=\"POST\",route=\"/v1/skills/"
                         "{name}:invoke\",status=\"200\"} " +
                         std::to_string(kCalls)),
            std::string::npos)
      << metrics;
  EXPECT_EQ(daemon.terminate(), 0) << daemon.log();
}

TEST(DaemonInlineInvoke, RateLimitStillAppliesToTrustedSkills) {
  constexpr int kLimit = 40;
  DaemonProcess daemon(
      {.config = "limits:\n  rate_limit_per_minute: " + std::to_string(kLimit) + "\n"});
  daemon.start();
  RawConnection connection(daemon.port());
  int ok = 0;
  std::optional<RawResponse> refused;
  for (int i = 0; i < kLimit + 5 && !refused; ++i) {
    auto response = call(connection, echo_request(daemon.keys().contributor, "x"));
    ASSERT_TRUE(response);
    if (response->status == 200) {
      ++ok;
    } else {
      refused = std::move(response);
    }
  }
  ASSERT_TRUE(refused) << "no call was refused";
  EXPECT_EQ(refused->status, 429) << refused->body;
  EXPECT_FALSE(refused->header("retry-after").empty());
  EXPECT_GE(ok, kLimit - 1);  // the bucket refills a little while the calls run
  EXPECT_LE(ok, kLimit + 1);
}

}  // namespace
}  // namespace secpilot::testing
