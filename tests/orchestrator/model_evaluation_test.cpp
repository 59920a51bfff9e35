// Free-text prompts with a model configured, in process: the Orchestrator over a real SQLite
// store and the built RedCanary plugin (which talks to the Red Canary fake), with the chat client
// talking to the scripted OpenAI-compatible fake on loopback. The model's tool calls become the
// evaluation's steps; a write waits for its approval and the decision resumes the conversation
// (also after a restart); the model's errors and the loop's limits end the evaluation clearly.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <condition_variable>
#include <mutex>

#include "fakes/fake_http_service.hpp"
#include "fakes/openai_compatible_api.hpp"
#include "fakes/red_canary_api.hpp"
#include "orchestrator/next_event.hpp"
#include "secpilot/config/settings.hpp"
#include "secpilot/model/chat_client.hpp"
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

constexpr const char* kModelKey = "sk-test-model-7d1e4a9c2b6f";

// A non-streamed chat completion (OpenAI's shape): text, or tool calls.
json::object completion(std::optional<std::string> text,
                        std::vector<std::pair<std::string, json::object>> calls = {}) {
  json::object message{{"role", "assistant"}};
  if (text)
    message["content"] = *text;
  else
    message["content"] = nullptr;
  json::array tool_calls;
  for (std::size_t i = 0; i < calls.size(); ++i)
    tool_calls.push_back(
        {{"id", "call_" + std::to_string(i + 1)},
         {"type", "function"},
         {"function",
          {{"name", calls[i].first}, {"arguments", json::serialize(calls[i].second)}}}});
  if (!tool_calls.empty()) message["tool_calls"] = std::move(tool_calls);
  return {{"id", "chatcmpl-test"},
          {"object", "chat.completion"},
          {"model", "gpt-4.1"},
          {"choices", json::array{{{"index", 0},
                                   {"message", std::move(message)},
                                   {"finish_reason", calls.empty() ? "stop" : "tool_calls"}}}},
          {"usage", {{"prompt_tokens", 100}, {"completion_tokens", 20}, {"total_tokens", 120}}}};
}

const Identity kAlice{"alice", store::Role::contributor, "k-alice"};
const Identity kOlivia{"olivia", store::Role::owner, "k-olivia"};

const json::object kAcknowledge{{"id", "4127"}, {"state", "acknowledged"}};

class ModelEvaluationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    reopen_store();
    const std::string yaml =
        "plugins:\n  RedCanary:\n    settings:\n      InstanceURL: \"" + canary.instance_url() +
        "\"\n    secrets:\n      ApiToken: \"" + RedCanaryApi::kDefaultToken +
        "\"\n    egress: [\"127.0.0.1:" + std::to_string(canary_service.port()) + "\"]\n";
    plugin::HostOptions options;
    options.plugin_dirs = {std::filesystem::path(SECPILOT_BINARY_DIR) / "plugins" / "red-canary"};
    options.settings = must(config::Settings::parse(yaml, "model test settings"));
    host = std::make_shared<const plugin::PluginHost>(std::move(options));
    ASSERT_NE(host->catalog().find("RedCanary.UpdateDetectionState"), nullptr)
        << "build the red-canary plugin";
    session = must(store->create_session("alice", "triage")).id;
    model::ModelOptions model_options;
    model_options.provider = model::Provider::openai;
    model_options.base_url = model_service.base_url() + "/v1";
    model_options.model = "gpt-4.1";
    model_options.api_key = kModelKey;
    model_options.stream = false;
    model_options.max_attempts = 1;
    chat = model::make_chat_client({}, model_options);
  }
  void TearDown() override { orchestrator.reset(); }

  void reopen_store() {
    store.reset();
    store = must(store::open_sqlite_store(folder.path() / "db" / "secpilot.db"));
  }
  void start(model::LoopLimits limits = {}, bool with_model = true) {
    OrchestratorOptions options;
    if (with_model) options.model = chat;
    options.model_limits = limits;
    options.model_secrets = {kModelKey};
    orchestrator = std::make_unique<Orchestrator>(
        store, [this] { return host; }, std::make_shared<NoPlanner>(), options);
  }
  void restart() {
    orchestrator.reset();
    reopen_store();
    start();
  }

  store::Event next_event(const std::string& evaluation, std::string_view type,
                          std::int64_t after = 0) {
    return testing::next_event(*orchestrator, *store, evaluation, type, after);
  }
  static json::object data(const store::Event& event) {
    return json::parse(event.data).as_object();
  }
  std::string submit(const std::string& prompt) {
    return must(orchestrator->submit(kAlice, session, prompt)).evaluation.id;
  }
  // The script answers the next chat request with `response`; `last_role` is what the request's
  // last message must be.
  void script(json::object response, std::string_view last_role = {}) {
    json::object expect{{"path", "/v1/chat/completions"}};
    if (!last_role.empty()) expect["last_message"] = {{"role", last_role}};
    model.add({std::move(expect), {{"json", std::move(response)}}});
  }
  json::object request_body(std::size_t index) const {
    return json::parse(model.requests().at(index).body).as_object();
  }
  std::size_t writes() const {
    const auto all = canary_service.requests();
    return static_cast<std::size_t>(
        std::count_if(all.begin(), all.end(), [](const auto& r) { return r.method == "PATCH"; }));
  }

  fakes::FakeHttpService canary_service;
  RedCanaryApi canary{canary_service,
                      std::string(SECPILOT_SOURCE_DIR) + "/tests/fakes/data/red-canary"};
  fakes::FakeHttpService model_service;
  fakes::OpenAiCompatibleApi model{model_service};
  std::shared_ptr<const model::ChatModel> chat;
  secpilot::testing::TempDir folder;
  std::shared_ptr<store::Store> store;
  std::shared_ptr<const plugin::PluginHost> host;
  std::string session;
  std::unique_ptr<Orchestrator> orchestrator;
};

TEST_F(ModelEvaluationTest, TheModelsToolCallsAreStepsAndTheAnswerCitesThem) {
  script(completion(std::nullopt, {{"RedCanary__ListDetections", {{"state", "open"}}}}));
  script(completion("Two detections are open; 4127 on FIN-LAPTOP-07 is the worst."), "tool");
  start();
  const auto evaluation = submit("Which Red Canary detections are open? My key is " +
                                 std::string(RedCanaryApi::kDefaultToken));

  const auto plan = data(next_event(evaluation, "plan"));
  EXPECT_EQ(plan.at("planner"), "model");
  const auto& offered = plan.at("tools").as_array();
  ASSERT_FALSE(offered.empty());
  EXPECT_EQ(offered.front().at("skill"), "RedCanary.ListDetections") << json::serialize(plan);
  const auto done = data(next_event(evaluation, "done"));
  EXPECT_EQ(done.at("state"), "completed") << json::serialize(done);

  const auto steps = must(store->list_steps(evaluation));
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0].skill, "RedCanary.ListDetections");
  EXPECT_EQ(steps[0].inputs, (json::object{{"state", "open"}}));
  EXPECT_EQ(steps[0].state, store::StepState::completed);
  const auto answer = must(store->get_evaluation(evaluation)).result_content;
  EXPECT_NE(answer.find("4127 on FIN-LAPTOP-07 is the worst"), std::string::npos) << answer;
  EXPECT_NE(answer.find("**Sources**"), std::string::npos) << answer;
  EXPECT_NE(answer.find("RedCanary.ListDetections (state=open)"), std::string::npos) << answer;

  ASSERT_EQ(model.requests().size(), 2u);
  EXPECT_TRUE(model.problems().empty()) << model.problems().front();
  // Only the retrieved skills are offered, under their function names, with their inputs.
  const auto first = request_body(0);
  const auto& tools = first.at("tools").as_array();
  EXPECT_LE(tools.size(), 12u);
  const auto list = std::find_if(tools.begin(), tools.end(), [](const json::value& tool) {
    return tool.at("function").at("name") == "RedCanary__ListDetections";
  });
  ASSERT_NE(list, tools.end());
  EXPECT_TRUE(list->at("function").at("parameters").at("properties").as_object().contains("state"));
  // The tool result went back as untrusted data; the plugin's secret never left the host.
  const auto second = request_body(1);
  const auto& tool_message = second.at("messages").as_array().back().as_object();
  EXPECT_EQ(tool_message.at("tool_call_id"), "call_1");
  EXPECT_NE(json::serialize(tool_message).find("untrusted data"), std::string::npos);
  for (const auto& request : model.requests()) {
    EXPECT_EQ(request.body.find(RedCanaryApi::kDefaultToken), std::string::npos);
    EXPECT_NE(request.body.find("[REDACTED]"), std::string::npos);
  }
}

TEST_F(ModelEvaluationTest, AWriteTheModelAsksForWaitsForApprovalEvenAcrossARestart) {
  script(completion(std::nullopt, {{"RedCanary__UpdateDetectionState", kAcknowledge}}));
  script(completion("Acknowledging detection 4127 waits for your approval."), "tool");
  script(completion("Detection 4127 is acknowledged."), "user");
  start();
  const auto evaluation = submit("Acknowledge Red Canary detection 4127");
  const auto requested = data(next_event(evaluation, "approval.requested"));
  EXPECT_EQ(requested.at("skill"), "RedCanary.UpdateDetectionState");
  EXPECT_EQ(requested.at("inputs"), kAcknowledge);
  EXPECT_EQ(must(store->get_evaluation(evaluation)).state,
            store::EvaluationState::waiting_for_input);
  EXPECT_EQ(writes(), 0u) << "the write ran before it was approved";
  EXPECT_TRUE(must(store->list_steps(evaluation)).empty());
  // The model was told the call waits, not that it failed for good.
  const auto told = json::serialize(request_body(1).at("messages").as_array().back());
  EXPECT_NE(told.find("awaiting approval"), std::string::npos) << told;

  restart();
  must(orchestrator->decide(kOlivia, std::string(requested.at("id").as_string()),
                            store::ApprovalState::approved, "CHG-2210"));
  const auto done = data(next_event(evaluation, "done"));
  EXPECT_EQ(done.at("state"), "completed") << json::serialize(done);
  EXPECT_EQ(writes(), 1u);
  const auto steps = must(store->list_steps(evaluation));
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0].skill, "RedCanary.UpdateDetectionState");
  EXPECT_EQ(steps[0].state, store::StepState::completed);
  const auto answer = must(store->get_evaluation(evaluation)).result_content;
  EXPECT_NE(answer.find("Detection 4127 is acknowledged."), std::string::npos) << answer;

  // The conversation went on where it stopped: the same transcript, then the decision.
  ASSERT_EQ(model.requests().size(), 3u);
  const auto resumed = request_body(2).at("messages").as_array();
  const auto paused = request_body(1).at("messages").as_array();
  ASSERT_EQ(resumed.size(), paused.size() + 2);  // + the model's reply, + the decision
  for (std::size_t i = 0; i < paused.size(); ++i)
    EXPECT_EQ(resumed[i], paused[i]) << "message " << i;
  const std::string decision(resumed.back().at("content").as_string());
  EXPECT_NE(decision.find("approved"), std::string::npos) << decision;
  EXPECT_NE(decision.find("CHG-2210"), std::string::npos) << decision;
  EXPECT_NE(decision.find("acknowledged"), std::string::npos) << decision;
  EXPECT_TRUE(model.problems().empty()) << model.problems().front();
}

TEST_F(ModelEvaluationTest, ADeniedWriteNeverRunsAndTheModelHearsWhy) {
  script(completion(std::nullopt, {{"RedCanary__UpdateDetectionState", kAcknowledge}}));
  script(completion("The acknowledgement waits for approval."), "tool");
  script(completion("The acknowledgement was denied; 4127 stays open."), "user");
  start();
  const auto evaluation = submit("Acknowledge Red Canary detection 4127");
  const auto requested = data(next_event(evaluation, "approval.requested"));
  must(orchestrator->decide(kOlivia, std::string(requested.at("id").as_string()),
                            store::ApprovalState::denied, "not during the incident"));
  EXPECT_EQ(data(next_event(evaluation, "done")).at("state"), "completed");
  EXPECT_EQ(writes(), 0u);
  const auto steps = must(store->list_steps(evaluation));
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0].state, store::StepState::failed);
  EXPECT_EQ(steps[0].error_status, Status::forbidden);
  const std::string decision(
      request_body(2).at("messages").as_array().back().at("content").as_string());
  EXPECT_NE(decision.find("denied"), std::string::npos) << decision;
  EXPECT_NE(decision.find("not during the incident"), std::string::npos) << decision;
}

TEST_F(ModelEvaluationTest, ARefusedKeyFailsTheEvaluationSayingWhatToFix) {
  model.add({{},
             {{"status", 401},
              {"json",
               {{"error",
                 {{"message", "Incorrect API key provided."},
                  {"type", "invalid_request_error"},
                  {"code", "invalid_api_key"}}}}}}});
  start();
  const auto evaluation = submit("Which Red Canary detections are open?");
  const auto done = data(next_event(evaluation, "done"));
  EXPECT_EQ(done.at("state"), "failed");
  const std::string error(done.at("error").as_string());
  EXPECT_NE(error.find("the model"), std::string::npos) << error;
  EXPECT_NE(error.find("model.api_key"), std::string::npos) << error;
  EXPECT_EQ(error.find(kModelKey), std::string::npos) << error;
}

TEST_F(ModelEvaluationTest, TheRoundLimitEndsInAPartialAnswerThatSaysSo) {
  for (int i = 0; i < 2; ++i)
    script(completion("Looking again.", {{"RedCanary__ListDetections", {{"state", "open"}}}}));
  model::LoopLimits limits;
  limits.max_rounds = 2;
  start(limits);
  const auto evaluation = submit("Which Red Canary detections are open?");
  EXPECT_EQ(data(next_event(evaluation, "done")).at("state"), "completed");
  const auto stopped = data(next_event(evaluation, "model"));
  EXPECT_EQ(stopped.at("stop"), "round_limit");
  EXPECT_EQ(stopped.at("rounds"), 2);
  const auto answer = must(store->get_evaluation(evaluation)).result_content;
  EXPECT_EQ(answer.rfind("stopped after 2 rounds", 0), 0u) << answer;
  EXPECT_EQ(must(store->list_steps(evaluation)).size(), 1u)
      << "the first round's call runs; the last round's is not run (its result could not be read)";
}

TEST_F(ModelEvaluationTest, WithoutAModelTheLocalPlannerStillPlans) {
  start({}, /*with_model=*/false);
  const auto evaluation = submit("Which Red Canary detections are open?");
  EXPECT_EQ(data(next_event(evaluation, "plan")).count("planner"), 0u);
  next_event(evaluation, "done");
  EXPECT_TRUE(model.requests().empty());
}

}  // namespace
}  // namespace secpilot::orchestrator
