// Approvals end to end inside one process: the Orchestrator over a real SQLite store and the
// built RedCanary plugin, which talks to the Red Canary fake on loopback. A scripted planner
// plans three calls (list detections, acknowledge one, read it back); the write in the middle
// pauses the evaluation. "Restarts" destroy the orchestrator and reopen the store, as a new
// daemon process would, with a planner that refuses to be asked: a resumed evaluation must take
// its calls from the stored plan.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <condition_variable>
#include <mutex>

#include "fakes/fake_http_service.hpp"
#include "fakes/red_canary_api.hpp"
#include "orchestrator/approval_gate.hpp"
#include "orchestrator/next_event.hpp"
#include "secpilot/config/settings.hpp"
#include "secpilot/orchestrator/orchestrator.hpp"
#include "secpilot/store/sqlite_store.hpp"
#include "support/temp_dir.hpp"

namespace secpilot::orchestrator {
namespace {

namespace json = boost::json;
using fakes::RedCanaryApi;

template <class T>
T must(Expected<T> result) {
  if (!result) throw std::runtime_error("unexpected error: " + result.error().message);
  return std::move(result).value();
}

class ScriptedPlanner final : public Planner {
 public:
  // No calls: a planner that must not be asked (it fails the evaluation if it is).
  explicit ScriptedPlanner(std::vector<PlannedCall> calls = {}) : calls_(std::move(calls)) {}
  planner::Plan plan(const PlanContext&) const override {
    ++asked;
    planner::Plan plan;
    if (calls_.empty()) plan.abstention = planner::Abstention{"this planner must not be asked", {}};
    for (std::size_t i = 0; i < calls_.size(); ++i)
      plan.steps.push_back({.skill = calls_[i].skill, .inputs = calls_[i].inputs, .group = i});
    return plan;
  }
  mutable std::atomic<int> asked{0};

 private:
  std::vector<PlannedCall> calls_;
};

const json::object kAcknowledge{{"id", "4127"}, {"state", "acknowledged"}};

std::vector<PlannedCall> triage_plan() {
  return {{"RedCanary.ListDetections", {{"state", "open"}, {"limit", "3"}}},
          {"RedCanary.UpdateDetectionState", kAcknowledge},
          {"RedCanary.GetDetection", {{"id", "4127"}}}};
}

const Identity kAlice{"alice", store::Role::contributor, "k-alice"};
const Identity kAliceReading{"alice", store::Role::reader, "k-alice-reader"};
const Identity kBob{"bob", store::Role::contributor, "k-bob"};
const Identity kOlivia{"olivia", store::Role::owner, "k-olivia"};

class ApprovalResumeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    reopen_store();
    const std::string yaml =
        "plugins:\n  RedCanary:\n    settings:\n      InstanceURL: \"" + api.instance_url() +
        "\"\n    secrets:\n      ApiToken: \"" + RedCanaryApi::kDefaultToken +
        "\"\n    egress: [\"127.0.0.1:" + std::to_string(service.port()) + "\"]\n";
    plugin::HostOptions options;
    options.plugin_dirs = {std::filesystem::path(SECPILOT_BINARY_DIR) / "plugins" / "red-canary"};
    options.settings = must(config::Settings::parse(yaml, "approval test settings"));
    host = std::make_shared<const plugin::PluginHost>(std::move(options));
    ASSERT_NE(host->catalog().find("RedCanary.UpdateDetectionState"), nullptr)
        << "build the red-canary plugin";
    session = must(store->create_session("alice", "triage")).id;
  }
  void TearDown() override { orchestrator.reset(); }

  void reopen_store() {
    store.reset();
    store = must(store::open_sqlite_store(folder.path() / "db" / "secpilot.db"));
  }
  // A fresh orchestrator, as a daemon starting on the store builds it.
  void start(std::shared_ptr<const Planner> planner) {
    orchestrator = std::make_unique<Orchestrator>(
        store, [this] { return host; }, std::move(planner), OrchestratorOptions{});
  }
  // The daemon stops and starts again on the same store, with a planner that must not be asked.
  void restart() {
    orchestrator.reset();
    reopen_store();
    start(refusing);
  }

  store::Event next_event(const std::string& evaluation, std::string_view type,
                          std::int64_t after = 0) {
    return testing::next_event(*orchestrator, *store, evaluation, type, after);
  }
  static json::object data(const store::Event& event) {
    return json::parse(event.data).as_object();
  }

  std::string submit() {
    return must(orchestrator->submit(kAlice, session, "triage 4127")).evaluation.id;
  }

  std::size_t requests(std::string_view method, std::string_view path) const {
    const auto all = service.requests();
    return static_cast<std::size_t>(std::count_if(all.begin(), all.end(), [&](const auto& r) {
      return r.method == method && r.path == path;
    }));
  }
  std::size_t lists() const { return requests("GET", "/openapi/v3/detections"); }
  std::size_t writes() const {
    const auto all = service.requests();
    return static_cast<std::size_t>(
        std::count_if(all.begin(), all.end(), [](const auto& r) { return r.method == "PATCH"; }));
  }
  std::vector<store::StepState> step_states(const std::string& evaluation) {
    std::vector<store::StepState> states;
    for (const auto& step : must(store->list_steps(evaluation)))
      states.push_back(step.state);
    return states;
  }

  fakes::FakeHttpService service;
  RedCanaryApi api{service, std::string(SECPILOT_SOURCE_DIR) + "/tests/fakes/data/red-canary"};
  secpilot::testing::TempDir folder;
  std::shared_ptr<store::Store> store;
  std::shared_ptr<const plugin::PluginHost> host;
  std::string session;
  std::shared_ptr<ScriptedPlanner> planner = std::make_shared<ScriptedPlanner>(triage_plan());
  std::shared_ptr<ScriptedPlanner> refusing = std::make_shared<ScriptedPlanner>();
  std::unique_ptr<Orchestrator> orchestrator;
};

using State = store::StepState;

TEST_F(ApprovalResumeTest, AWriteWaitsForApprovalThenRunsOnceWithoutRedoingEarlierSteps) {
  start(planner);
  const auto evaluation = submit();
  const auto requested = data(next_event(evaluation, "approval.requested"));
  EXPECT_EQ(requested.at("skill"), "RedCanary.UpdateDetectionState");
  EXPECT_EQ(requested.at("inputs"), kAcknowledge);
  EXPECT_EQ(requested.at("sideEffects"), "write");
  EXPECT_EQ(requested.at("argsHash").as_string(),
            call_hash("RedCanary.UpdateDetectionState", kAcknowledge));
  EXPECT_EQ(must(store->get_evaluation(evaluation)).state,
            store::EvaluationState::waiting_for_input);
  EXPECT_EQ(step_states(evaluation), (std::vector<State>{State::completed}));
  EXPECT_EQ(lists(), 1u);
  EXPECT_EQ(writes(), 0u) << "the write ran before it was approved";

  const std::string approval(requested.at("id").as_string());
  const auto decided = must(
      orchestrator->decide(kOlivia, approval, store::ApprovalState::approved, "change CHG-1234"));
  EXPECT_EQ(decided.state, store::ApprovalState::approved);
  EXPECT_EQ(decided.decided_by, "olivia");
  const auto done = data(next_event(evaluation, "done"));
  EXPECT_EQ(done.at("state"), "completed") << json::serialize(done);

  const auto steps = must(store->list_steps(evaluation));
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(step_states(evaluation),
            (std::vector<State>{State::completed, State::completed, State::completed}));
  EXPECT_EQ(steps[1].skill, "RedCanary.UpdateDetectionState");
  EXPECT_EQ(steps[1].output->at("state"), "acknowledged");
  // Read back after the write.
  EXPECT_EQ(steps[2].output->at("detection").at("state"), "acknowledged");
  EXPECT_EQ(lists(), 1u) << "the completed first step ran again";
  EXPECT_EQ(writes(), 1u);
  EXPECT_EQ(planner->asked.load(), 1);
  EXPECT_NE(must(store->get_evaluation(evaluation)).result_content.find("RedCanary.GetDetection"),
            std::string::npos);
}

TEST_F(ApprovalResumeTest, AnApprovalAfterARestartResumesFromTheStoredPlan) {
  start(planner);
  const auto evaluation = submit();
  const std::string approval(
      data(next_event(evaluation, "approval.requested")).at("id").as_string());
  restart();
  EXPECT_EQ(must(store->get_evaluation(evaluation)).state,
            store::EvaluationState::waiting_for_input);

  must(orchestrator->decide(kAlice, approval, store::ApprovalState::approved, ""));
  EXPECT_EQ(data(next_event(evaluation, "done")).at("state"), "completed");
  EXPECT_EQ(step_states(evaluation),
            (std::vector<State>{State::completed, State::completed, State::completed}));
  EXPECT_EQ(lists(), 1u);
  EXPECT_EQ(writes(), 1u);
  EXPECT_EQ(refusing->asked.load(), 0) << "the resumed evaluation planned again";
}

// A decision recorded just before the daemon stopped (or crashed) is acted on at the next start.
TEST_F(ApprovalResumeTest, ADecisionTheLastProcessDidNotActOnResumesAtStart) {
  start(planner);
  const auto evaluation = submit();
  const std::string approval(
      data(next_event(evaluation, "approval.requested")).at("id").as_string());
  orchestrator.reset();
  must(store->decide_approval(approval, {store::ApprovalState::approved, "olivia", ""}));
  EXPECT_EQ(writes(), 0u);

  start(refusing);
  EXPECT_EQ(data(next_event(evaluation, "done")).at("state"), "completed");
  EXPECT_EQ(writes(), 1u);
  EXPECT_EQ(lists(), 1u);
}

TEST_F(ApprovalResumeTest, ChangedArgumentsNeedANewApproval) {
  start(planner);
  const auto evaluation = submit();
  const auto first = next_event(evaluation, "approval.requested");
  const std::string first_id(data(first).at("id").as_string());
  // The call is planned again with other arguments (as a plan with bindings may do on resume).
  auto calls = triage_plan();
  const json::object remediate{{"id", "4127"}, {"state", "remediated"}, {"comment", "isolated"}};
  calls[1].inputs = remediate;
  boost::json::array plan;
  for (const auto& call : calls)
    plan.push_back(json::object{{"skill", call.skill}, {"inputs", call.inputs}});
  must(store->set_evaluation_plan(evaluation, plan));

  must(orchestrator->decide(kOlivia, first_id, store::ApprovalState::approved, ""));
  const auto second = data(next_event(evaluation, "approval.requested", first.seq));
  EXPECT_NE(second.at("id").as_string(), first_id);
  EXPECT_EQ(second.at("inputs"), remediate);
  EXPECT_EQ(second.at("argsHash").as_string(),
            call_hash("RedCanary.UpdateDetectionState", remediate));
  EXPECT_EQ(must(store->get_evaluation(evaluation)).state,
            store::EvaluationState::waiting_for_input);
  EXPECT_EQ(writes(), 0u) << "an approval for other arguments let the call run";

  must(orchestrator->decide(kOlivia, std::string(second.at("id").as_string()),
                            store::ApprovalState::approved, ""));
  EXPECT_EQ(data(next_event(evaluation, "done")).at("state"), "completed");
  EXPECT_EQ(writes(), 1u);
  EXPECT_EQ(requests("PATCH", "/openapi/v3/detections/4127/update_remediation_state"), 1u);
  EXPECT_EQ(must(store->list_steps(evaluation))[1].output->at("state"), "remediated");
}

TEST_F(ApprovalResumeTest, ADenialFailsTheCallAndTheRestRuns) {
  start(planner);
  const auto evaluation = submit();
  const std::string approval(
      data(next_event(evaluation, "approval.requested")).at("id").as_string());
  must(orchestrator->decide(kOlivia, approval, store::ApprovalState::denied,
                            "not during the incident"));
  const auto done = data(next_event(evaluation, "done"));
  EXPECT_EQ(done.at("state"), "failed");
  EXPECT_EQ(done.at("error"), "denied by olivia: not during the incident");
  const auto steps = must(store->list_steps(evaluation));
  EXPECT_EQ(step_states(evaluation),
            (std::vector<State>{State::completed, State::failed, State::completed}));
  EXPECT_EQ(steps[1].error_status, Status::forbidden);
  EXPECT_EQ(steps[1].error_message, "denied by olivia: not during the incident");
  EXPECT_EQ(writes(), 0u);
  EXPECT_EQ(lists(), 1u);
}

TEST_F(ApprovalResumeTest, CancellingAWaitingEvaluationCancelsItsApproval) {
  start(planner);
  const auto evaluation = submit();
  const std::string approval(
      data(next_event(evaluation, "approval.requested")).at("id").as_string());
  must(orchestrator->cancel(kAlice, evaluation));
  EXPECT_EQ(data(next_event(evaluation, "done")).at("state"), "cancelled");
  EXPECT_EQ(must(store->get_evaluation(evaluation)).state, store::EvaluationState::cancelled);
  const auto cancelled = must(store->get_approval(approval));
  EXPECT_EQ(cancelled.state, store::ApprovalState::cancelled);
  EXPECT_EQ(cancelled.decided_by, "alice");

  const auto late = orchestrator->decide(kOlivia, approval, store::ApprovalState::approved, "");
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().status, Status::invalid_input);
  EXPECT_EQ(writes(), 0u);
}

TEST_F(ApprovalResumeTest, OnlyTheRequesterOrAnOwnerSeesItAndReadersCannotDecide) {
  start(planner);
  const auto evaluation = submit();
  const std::string approval(
      data(next_event(evaluation, "approval.requested")).at("id").as_string());

  EXPECT_EQ(must(orchestrator->approval(kAlice, approval)).requested_by, "alice");
  EXPECT_EQ(must(orchestrator->approval(kOlivia, approval)).id, approval);
  EXPECT_EQ(orchestrator->approval(kBob, approval).error().status, Status::not_found);
  EXPECT_EQ(must(orchestrator->approvals(kAlice, {})).size(), 1u);
  EXPECT_EQ(must(orchestrator->approvals(kOlivia, {})).size(), 1u);
  EXPECT_TRUE(must(orchestrator->approvals(kBob, {})).empty());

  auto refused = orchestrator->decide(kBob, approval, store::ApprovalState::approved, "");
  EXPECT_EQ(refused.error().status, Status::not_found);
  refused = orchestrator->decide(kAliceReading, approval, store::ApprovalState::approved, "");
  EXPECT_EQ(refused.error().status, Status::forbidden);
  EXPECT_EQ(must(store->get_approval(approval)).state, store::ApprovalState::pending);
  EXPECT_EQ(writes(), 0u);
}

}  // namespace
}  // namespace secpilot::orchestrator
