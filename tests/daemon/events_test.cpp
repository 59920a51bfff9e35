// The live event stream of an evaluation (GET /v1/evaluations/{id}/events, server-sent events):
// order and ids, replay, resume with Last-Event-ID, live delivery, and cancellation seen through it.
#include <gtest/gtest.h>

#include <memory>

#include "daemon/api_client.hpp"
#include "daemon/daemon_process.hpp"

namespace secpilot::testing {
namespace {

const std::vector<std::string> kOneStep = {"state", "step.started", "step.finished", "answer",
                                           "done"};

std::vector<std::string> types(const std::vector<SseEvent>& events) {
  std::vector<std::string> out;
  for (const auto& event : events)
    out.push_back(event.type);
  return out;
}

std::vector<std::int64_t> ids(const std::vector<SseEvent>& events) {
  std::vector<std::int64_t> out;
  for (const auto& event : events)
    out.push_back(event.id);
  return out;
}

class DaemonEvents : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    daemon_ = std::make_unique<DaemonProcess>();
    daemon_->start();
    api_ = std::make_unique<Api>(*daemon_);
    session_ = api_->create_session(daemon_->keys().contributor, "events");
  }
  static void TearDownTestSuite() {
    api_.reset();
    daemon_.reset();
  }
  static const std::string& alice() { return daemon_->keys().contributor; }

  static inline std::unique_ptr<DaemonProcess> daemon_;
  static inline std::unique_ptr<Api> api_;
  static inline std::string session_;
};

TEST_F(DaemonEvents, FinishedEvaluationStreamsEveryEventInOrder) {
  const auto evaluation =
      api_->submit(alice(), session_, "/ThreatIntel.LookupIndicator indicator=198.51.100[.]7");
  api_->finished(alice(), evaluation);

  auto reply = api_->get("/v1/evaluations/" + evaluation + "/events", alice());
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.header("content-type").rfind("text/event-stream", 0), 0u);
  const auto events = parse_events(reply.body);
  EXPECT_EQ(types(events), kOneStep) << reply.body;
  EXPECT_EQ(ids(events), (std::vector<std::int64_t>{1, 2, 3, 4, 5})) << reply.body;
  ASSERT_EQ(events.size(), 5u);
  EXPECT_EQ(events[0].json().at("state").as_string(), "running");
  EXPECT_EQ(events[1].json().at("skill").as_string(), "ThreatIntel.LookupIndicator");
  EXPECT_EQ(events[2].json().at("state").as_string(), "completed");
  EXPECT_EQ(events[2].json().at("output").at("verdict").as_string(), "malicious");
  EXPECT_NE(events[3].json().at("content").as_string().find("malicious"), std::string::npos);
  EXPECT_EQ(events[4].json().at("state").as_string(), "completed");
}

TEST_F(DaemonEvents, ResumesAfterLastEventId) {
  const auto evaluation =
      api_->submit(alice(), session_, "/ThreatIntel.LookupIndicator indicator=192.0.2.1");
  api_->finished(alice(), evaluation);
  for (std::int64_t after = 1; after <= 4; ++after) {
    const auto events = api_->events(alice(), evaluation, after);
    std::vector<std::int64_t> expected;
    for (std::int64_t id = after + 1; id <= 5; ++id)
      expected.push_back(id);
    EXPECT_EQ(ids(events), expected) << "Last-Event-ID: " << after;
    EXPECT_EQ(types(events), std::vector<std::string>(kOneStep.begin() + after, kOneStep.end()));
  }
  // The query parameter does the same for clients that cannot set the header.
  auto by_query = api_->get("/v1/evaluations/" + evaluation + "/events?after=3", alice());
  EXPECT_EQ(ids(parse_events(by_query.body)), (std::vector<std::int64_t>{4, 5}));
  auto bad =
      api_->get("/v1/evaluations/" + evaluation + "/events", alice(), {{"Last-Event-ID", "three"}});
  EXPECT_EQ(bad.status, 400) << bad.body;
}

// A client that already has every event (it resumes after "done") gets an ended stream, not a
// connection that stays open forever.
TEST_F(DaemonEvents, ResumingAfterTheLastEventEndsTheStream) {
  const auto evaluation =
      api_->submit(alice(), session_, "/ThreatIntel.LookupIndicator indicator=192.0.2.9");
  api_->finished(alice(), evaluation);
  LiveEvents stream(daemon_->port(), alice(), evaluation, 5);
  ASSERT_EQ(stream.status(), 200);
  EXPECT_FALSE(stream.next(std::chrono::milliseconds(2000)).has_value());
  EXPECT_TRUE(stream.ended(std::chrono::milliseconds(100)))
      << "the stream of a finished evaluation stays open after Last-Event-ID: 5";
}

// Subscribed before the evaluation ends, the client receives the events as they happen.
TEST_F(DaemonEvents, LiveStreamDeliversEventsAsTheyHappen) {
  const auto evaluation = api_->submit(alice(), session_, "/Misbehaving.Overrun ms=700");
  LiveEvents stream(daemon_->port(), alice(), evaluation);
  ASSERT_EQ(stream.status(), 200);
  EXPECT_EQ(stream.content_type().rfind("text/event-stream", 0), 0u);
  auto started = stream.until("step.started");
  ASSERT_EQ(types(started), (std::vector<std::string>{"state", "step.started"}));
  // The skill sleeps 700 ms: it has not finished when its start was delivered.
  EXPECT_EQ(api_->evaluation(alice(), evaluation).at("state").as_string(), "running");
  auto rest = stream.until("done");
  started.insert(started.end(), rest.begin(), rest.end());
  EXPECT_EQ(types(started), kOneStep);
  EXPECT_EQ(ids(started), (std::vector<std::int64_t>{1, 2, 3, 4, 5}));
  EXPECT_TRUE(stream.ended(std::chrono::milliseconds(3000))) << "the stream goes on after done";
  // Resuming mid-way while it ran would have given the same tail.
  EXPECT_EQ(types(api_->events(alice(), evaluation, 2)),
            std::vector<std::string>(kOneStep.begin() + 2, kOneStep.end()));
}

TEST_F(DaemonEvents, CancellingARunningEvaluation) {
  const auto evaluation = api_->submit(alice(), session_, "/Misbehaving.UntilCancelled");
  LiveEvents stream(daemon_->port(), alice(), evaluation);
  ASSERT_EQ(stream.status(), 200);
  auto started = stream.until("step.started");
  ASSERT_EQ(types(started), (std::vector<std::string>{"state", "step.started"}));

  auto cancel = api_->request("POST", "/v1/evaluations/" + evaluation + ":cancel", alice());
  EXPECT_EQ(cancel.status, 202) << cancel.body;

  auto rest = stream.until("done");
  ASSERT_FALSE(rest.empty());
  EXPECT_EQ(rest.back().type, "done");
  EXPECT_EQ(rest.back().json().at("state").as_string(), "cancelled") << rest.back().data;
  for (const auto& event : rest)
    EXPECT_NE(event.type, "answer") << "a cancelled evaluation has no answer";

  auto ended = api_->evaluation(alice(), evaluation);
  EXPECT_EQ(ended.at("state").as_string(), "cancelled") << boost::json::serialize(ended);
  ASSERT_EQ(ended.at("steps").as_array().size(), 1u);
  EXPECT_EQ(ended.at("steps").as_array()[0].at("state").as_string(), "cancelled");
  // Cancelling what has ended is a conflict.
  auto again = api_->request("POST", "/v1/evaluations/" + evaluation + ":cancel", alice());
  EXPECT_EQ(again.status, 409) << again.body;
}

}  // namespace
}  // namespace secpilot::testing
