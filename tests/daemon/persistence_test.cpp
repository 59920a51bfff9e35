// Nothing is lost across a stop: sessions and finished evaluations survive SIGTERM and a restart;
// after SIGKILL mid-evaluation the interrupted evaluation is marked failed and the rest is intact.
#include <gtest/gtest.h>

#include <signal.h>

#include <memory>

#include "daemon/api_client.hpp"
#include "daemon/daemon_process.hpp"

namespace secpilot::testing {
namespace {

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

std::vector<std::string> types(const std::vector<SseEvent>& events) {
  std::vector<std::string> out;
  for (const auto& event : events)
    out.push_back(event.type);
  return out;
}

TEST(DaemonPersistence, SessionsAndEvaluationsSurviveARestart) {
  DaemonProcess daemon;
  daemon.start();
  Api api(daemon);
  const auto& alice = daemon.keys().contributor;
  const auto session = api.create_session(alice, "kept");
  const auto evaluation =
      api.submit(alice, session, "/ThreatIntel.LookupIndicator indicator=198.51.100[.]7");
  const auto before = api.finished(alice, evaluation);
  ASSERT_EQ(before.at("state").as_string(), "completed");
  const auto export_before = api.get("/v1/sessions/" + session + "/export?format=json", alice);
  const auto events_before = api.events(alice, evaluation);

  EXPECT_EQ(daemon.terminate(), 0) << daemon.log();
  daemon.start();

  auto shown = api.get("/v1/sessions/" + session, alice);
  ASSERT_EQ(shown.status, 200) << shown.body;
  EXPECT_EQ(shown.object().at("displayName").as_string(), "kept");
  EXPECT_EQ(api.evaluation(alice, evaluation), before);
  EXPECT_EQ(api.get("/v1/sessions/" + session + "/export?format=json", alice).body,
            export_before.body);
  const auto events_after = api.events(alice, evaluation);
  EXPECT_EQ(types(events_after), types(events_before));
  // Keys are in the store too, and the session takes new prompts.
  const auto next = api.submit(alice, session, "/ThreatIntel.LookupIndicator indicator=192.0.2.1");
  EXPECT_EQ(api.finished(alice, next).at("state").as_string(), "completed");
  EXPECT_EQ(daemon.terminate(), 0) << daemon.log();
}

TEST(DaemonPersistence, SigkillMidEvaluationMarksItInterrupted) {
  DaemonProcess daemon;
  daemon.start();
  Api api(daemon);
  const auto& alice = daemon.keys().contributor;
  const auto session = api.create_session(alice, "crashy");
  const auto done = api.submit(alice, session, "/ThreatIntel.LookupIndicator indicator=192.0.2.7");
  const auto finished_before = api.finished(alice, done);
  ASSERT_EQ(finished_before.at("state").as_string(), "completed");
  const auto other_session = api.create_session(alice, "untouched");

  const auto running = api.submit(alice, session, "/Misbehaving.Overrun ms=10000");
  {
    LiveEvents stream(daemon.port(), alice, running);
    auto started = stream.until("step.started");
    ASSERT_EQ(types(started), (std::vector<std::string>{"state", "step.started"}));
  }
  daemon.kill();
  daemon.start();

  auto interrupted = api.evaluation(alice, running);
  EXPECT_EQ(interrupted.at("state").as_string(), "failed") << boost::json::serialize(interrupted);
  ASSERT_TRUE(interrupted.contains("error"));
  EXPECT_TRUE(contains(interrupted.at("error").as_string(), "interrupted"));
  ASSERT_EQ(interrupted.at("steps").as_array().size(), 1u);
  EXPECT_EQ(interrupted.at("steps").as_array()[0].at("state").as_string(), "failed");

  // A client resuming its stream gets the end, in the same shape as any other "done".
  const auto events = api.events(alice, running, 2);
  ASSERT_FALSE(events.empty());
  const auto last = events.back();
  EXPECT_EQ(last.type, "done");
  EXPECT_EQ(last.id, 3);
  const auto data = last.json();
  EXPECT_EQ(data.if_contains("state") ? data.at("state") : boost::json::value(), "failed")
      << last.data;
  EXPECT_EQ(data.if_contains("resultType") ? data.at("resultType") : boost::json::value(), "error")
      << "the interrupted evaluation's done event differs from the orchestrator's: " << last.data;

  // The rest is intact.
  EXPECT_EQ(api.evaluation(alice, done), finished_before);
  EXPECT_EQ(api.get("/v1/sessions/" + other_session, alice).status, 200);
  auto listed = api.get("/v1/sessions", alice).object();
  EXPECT_EQ(listed.at("value").as_array().size(), 2u);
  EXPECT_TRUE(contains(daemon.log(), "interrupted"));
  // And the daemon works as before.
  const auto after = api.submit(alice, session, "/ThreatIntel.LookupIndicator indicator=192.0.2.8");
  EXPECT_EQ(api.finished(alice, after).at("state").as_string(), "completed");
}

// SIGTERM with a call still running (one that ignores cancellation): the daemon waits the grace
// period, cancels the evaluation, records that, and exits cleanly without waiting for the call.
TEST(DaemonPersistence, SigtermCancelsWorkStillRunningAfterTheGracePeriod) {
  DaemonProcess daemon({.config = "shutdown_grace_seconds: 1\n"});
  daemon.start();
  Api api(daemon);
  const auto& alice = daemon.keys().contributor;
  const auto session = api.create_session(alice);
  const auto running = api.submit(alice, session, "/Misbehaving.Overrun ms=10000");
  {
    LiveEvents stream(daemon.port(), alice, running);
    ASSERT_EQ(stream.until("step.started").size(), 2u);
  }
  const auto stopping = std::chrono::steady_clock::now();
  EXPECT_EQ(daemon.terminate(std::chrono::milliseconds(9000)), 0) << daemon.log();
  EXPECT_LT(std::chrono::steady_clock::now() - stopping, std::chrono::milliseconds(5000));
  daemon.start();
  auto ended = api.evaluation(alice, running);
  EXPECT_EQ(ended.at("state").as_string(), "cancelled") << boost::json::serialize(ended);
}

}  // namespace
}  // namespace secpilot::testing
