// How the orchestrator runs a plan, in process against built test plugins and a real store:
// steps of one group run side by side, a binding fans out over an earlier step's entities, a
// binding that finds nothing fails its step with the reason, a report step reads the session.
#include <gtest/gtest.h>

#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <spdlog/spdlog.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "secpilot/orchestrator/orchestrator.hpp"
#include "secpilot/plugin/plugin_host.hpp"
#include "secpilot/store/sqlite_store.hpp"
#include "support/temp_dir.hpp"

namespace secpilot::orchestrator {
namespace {

namespace json = boost::json;

template <class T>
T must(Expected<T> result) {
  if (!result) throw std::runtime_error("unexpected error: " + result.error().message);
  return std::move(result).value();
}

// Plans every prompt as the plan it was given.
class FixedPlanner final : public Planner {
 public:
  explicit FixedPlanner(planner::Plan plan) : plan_(std::move(plan)) {}
  planner::Plan plan(const PlanContext&) const override { return plan_; }

 private:
  planner::Plan plan_;
};

planner::Step echo(std::string text, std::size_t group) {
  return {.skill = "Misbehaving.Echo", .inputs = {{"text", std::move(text)}}, .group = group};
}

planner::Binding ips_of(std::size_t step) {
  return {"ip", planner::Binding::Source::step_entities, step, {"ip"}};
}

const Identity kAlice{"alice", store::Role::contributor, "k-alice"};

class PlanExecutionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    spdlog::set_level(spdlog::level::warn);
    store = must(store::open_sqlite_store(folder.path() / "secpilot.db"));
    plugin::HostOptions options;
    const std::filesystem::path build(SECPILOT_BINARY_DIR);
    options.plugin_dirs = {build / "test-plugins" / "misbehaving", build / "test-plugins-planning"};
    host = std::make_shared<const plugin::PluginHost>(std::move(options));
    ASSERT_NE(host->catalog().find("Rendezvous.Meet"), nullptr) << "build the test plugins";
    ASSERT_NE(host->catalog().find("Misbehaving.Echo"), nullptr) << "build the test plugins";
    session = must(store->create_session("alice", "plans")).id;
  }
  void TearDown() override { orchestrator.reset(); }

  // Runs `plan` as the answer to a free-text prompt; returns the evaluation's steps once it ended.
  std::vector<store::Step> run(planner::Plan plan, store::Evaluation* ended = nullptr) {
    OrchestratorOptions options;
    options.session_export = [](const std::string& id, const std::string& user) {
      return json::serialize(json::object{{"session", id}, {"user", user}});
    };
    orchestrator = std::make_unique<Orchestrator>(
        store, [this] { return host; }, std::make_shared<FixedPlanner>(std::move(plan)), options);
    struct Done {
      std::mutex mutex;
      std::condition_variable arrived;
      bool done = false;
    };
    auto done = std::make_shared<Done>();
    const auto submitted = must(orchestrator->submit(kAlice, session, "investigate"));
    const std::string id = submitted.evaluation.id;
    auto subscription = orchestrator->events().subscribe(id, [done](const store::Event& event) {
      if (event.type != "done") return;
      std::lock_guard lock(done->mutex);
      done->done = true;
      done->arrived.notify_all();
    });
    std::unique_lock lock(done->mutex);
    const auto ended_already = [&] {
      return done->done || store::is_terminal(must(store->get_evaluation(id)).state);
    };
    if (!done->arrived.wait_for(lock, std::chrono::seconds(30), ended_already))
      throw std::runtime_error("the evaluation did not end");
    lock.unlock();
    subscription.reset();  // before the bus it listens to goes
    orchestrator.reset();  // joins the workers: everything is recorded
    if (ended) *ended = must(store->get_evaluation(id));
    return must(store->list_steps(id));
  }

  secpilot::testing::TempDir folder;
  std::shared_ptr<store::Store> store;
  std::shared_ptr<const plugin::PluginHost> host;
  std::unique_ptr<Orchestrator> orchestrator;
  std::string session;
};

TEST_F(PlanExecutionTest, StepsOfOneGroupRunSideBySide) {
  // Each Meet returns only when the other is inside it at the same time.
  planner::Plan plan;
  plan.steps.push_back({.skill = "Rendezvous.Meet", .inputs = {{"meeting", "group"}}, .group = 0});
  plan.steps.push_back(
      {.skill = "Rendezvous.Meet", .inputs = {{"meeting", "group"}, {"party", 2}}, .group = 0});
  store::Evaluation evaluation;
  const auto steps = run(plan, &evaluation);
  ASSERT_EQ(steps.size(), 2u);
  for (const auto& step : steps)
    EXPECT_EQ(step.state, store::StepState::completed) << step.error_message;
  EXPECT_EQ(evaluation.state, store::EvaluationState::completed) << evaluation.error;
}

TEST_F(PlanExecutionTest, AFanOutRunsItsCallsSideBySide) {
  planner::Plan plan;
  plan.steps.push_back({.skill = "Rendezvous.Meet",
                        .inputs = {{"party", 3}},
                        .fan_out_input = "meeting",
                        .fan_out_values = {"fan", "fan", "fan"}});
  const auto steps = run(plan);
  ASSERT_EQ(steps.size(), 3u);
  for (const auto& step : steps)
    EXPECT_EQ(step.state, store::StepState::completed) << step.error_message;
}

TEST_F(PlanExecutionTest, GroupsRunInOrderAndABindingFansOutOverTheEntitiesFound) {
  planner::Plan plan;
  plan.steps.push_back(
      echo("beacons to 198.51.100.7 and 203.0.113[.]45, twice to 198.51.100.7", 0));
  auto lookup = echo("each", 1);
  lookup.bindings.push_back(ips_of(0));
  lookup.fan_out_input = "ip";
  plan.steps.push_back(lookup);
  const auto steps = run(plan);
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(steps[0].inputs.at("text").as_string(),
            "beacons to 198.51.100.7 and 203.0.113[.]45, twice to 198.51.100.7");
  // One call per distinct address, refanged, in the order found, each after the first step.
  EXPECT_EQ(steps[1].inputs.at("ip").as_string(), "198.51.100.7");
  EXPECT_EQ(steps[2].inputs.at("ip").as_string(), "203.0.113.45");
  EXPECT_EQ(steps[1].inputs.at("text").as_string(), "each");
  EXPECT_LT(steps[0].seq, steps[1].seq);
  for (const auto& step : steps)
    EXPECT_EQ(step.state, store::StepState::completed) << step.error_message;
}

TEST_F(PlanExecutionTest, ABindingThatFindsNothingFailsItsStepAndSaysWhy) {
  planner::Plan plan;
  plan.steps.push_back(echo("no address in here", 0));
  auto lookup = echo("each", 1);
  lookup.bindings.push_back(ips_of(0));
  lookup.fan_out_input = "ip";
  plan.steps.push_back(lookup);
  store::Evaluation evaluation;
  const auto steps = run(plan, &evaluation);
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0].state, store::StepState::completed);
  EXPECT_EQ(steps[1].state, store::StepState::failed);
  EXPECT_EQ(steps[1].error_status, Status::not_found);
  EXPECT_NE(steps[1].error_message.find("Misbehaving.Echo gave no ip"), std::string::npos)
      << steps[1].error_message;
  EXPECT_EQ(evaluation.state, store::EvaluationState::failed);
}

TEST_F(PlanExecutionTest, AReportStepReadsTheSessionExport) {
  planner::Plan plan;
  auto report = echo("", 0);
  report.inputs.erase("text");
  report.bindings.push_back({"text", planner::Binding::Source::session, 0, {}});
  plan.steps.push_back(report);
  const auto steps = run(plan);
  ASSERT_EQ(steps.size(), 1u);
  ASSERT_EQ(steps[0].state, store::StepState::completed) << steps[0].error_message;
  const auto exported = json::parse(steps[0].inputs.at("text").as_string());
  EXPECT_EQ(exported.at("session").as_string(), session);
  EXPECT_EQ(exported.at("user").as_string(), "alice");
}

}  // namespace
}  // namespace secpilot::orchestrator
