// secpilotd with a model: section, against the scripted OpenAI-compatible fake on loopback (the
// model is the one third-party service that cannot run here). Free-text prompts go to the LLM
// planner, which streams the model's tool calls into steps; GPT skills render their template and
// send it to the model. Suites are named Daemon*.
#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>

#include "daemon/api_client.hpp"
#include "daemon/daemon_process.hpp"
#include "fakes/fake_http_service.hpp"
#include "fakes/openai_compatible_api.hpp"

namespace secpilot::testing {
namespace {

namespace json = boost::json;

constexpr const char* kKeyVariable = "SECPILOT_TEST_MODEL_KEY";
constexpr const char* kModelKey = "sk-test-daemon-3c9a5e7f1d2b";

json::object chunk(json::object delta, json::value finish = nullptr) {
  return {{"id", "chatcmpl-d"},
          {"object", "chat.completion.chunk"},
          {"model", "gpt-4.1"},
          {"choices",
           json::array{
               {{"index", 0}, {"delta", std::move(delta)}, {"finish_reason", std::move(finish)}}}}};
}

json::object usage_chunk() {
  return {{"id", "chatcmpl-d"},
          {"object", "chat.completion.chunk"},
          {"model", "gpt-4.1"},
          {"choices", json::array{}},
          {"usage", {{"prompt_tokens", 300}, {"completion_tokens", 40}, {"total_tokens", 340}}}};
}

// One streamed tool call whose arguments arrive in two pieces, as OpenAI streams them.
json::object streamed_call(std::string function, std::string first_half, std::string second_half) {
  json::array events;
  events.push_back(chunk({{"role", "assistant"}, {"content", nullptr}}));
  events.push_back(
      chunk({{"tool_calls",
              json::array{{{"index", 0},
                           {"id", "call_d1"},
                           {"type", "function"},
                           {"function", {{"name", function}, {"arguments", first_half}}}}}}}));
  events.push_back(chunk(
      {{"tool_calls", json::array{{{"index", 0}, {"function", {{"arguments", second_half}}}}}}}));
  events.push_back(chunk({}, "tool_calls"));
  events.push_back(usage_chunk());
  events.push_back("[DONE]");
  return {{"sse", std::move(events)}};
}

json::object streamed_text(const std::string& text) {
  json::array events;
  events.push_back(chunk({{"role", "assistant"}, {"content", ""}}));
  const auto half = text.size() / 2;
  events.push_back(chunk({{"content", text.substr(0, half)}}));
  events.push_back(chunk({{"content", text.substr(half)}}));
  events.push_back(chunk({}, "stop"));
  events.push_back(usage_chunk());
  events.push_back("[DONE]");
  return {{"sse", std::move(events)}};
}

class DaemonModel : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ::setenv(kKeyVariable, kModelKey, 1);
    service_ = std::make_unique<fakes::FakeHttpService>();
    model_ = std::make_unique<fakes::OpenAiCompatibleApi>(*service_);
    DaemonOptions options;
    options.plugin_dirs = {threat_intel_plugins()};
    options.config = "model:\n  provider: openai\n  base_url: " + service_->base_url() +
                     "/v1\n  model: gpt-4.1\n  max_attempts: 2\n  api_key: \"${" + kKeyVariable +
                     "}\"\n";
    daemon_ = std::make_unique<DaemonProcess>(options);
    daemon_->start();
    api_ = std::make_unique<Api>(*daemon_);
  }
  static void TearDownTestSuite() {
    api_.reset();
    daemon_.reset();
    model_.reset();
    service_.reset();
  }
  static const ApiKeys& keys() { return daemon_->keys(); }
  static json::object last_request() {
    return json::parse(model_->requests().back().body).as_object();
  }

  static inline std::unique_ptr<fakes::FakeHttpService> service_;
  static inline std::unique_ptr<fakes::OpenAiCompatibleApi> model_;
  static inline std::unique_ptr<DaemonProcess> daemon_;
  static inline std::unique_ptr<Api> api_;
};

TEST_F(DaemonModel, AFreeTextPromptIsAnsweredByTheModelThroughTheSkillsItCalls) {
  const std::size_t before = model_->requests().size();
  model_->add(
      {{{"path", "/v1/chat/completions"},
        {"headers", {{"authorization", std::string("Bearer ") + kModelKey}}},
        {"body", {{"model", "gpt-4.1"}, {"stream", true}}}},
       streamed_call("ThreatIntel__LookupIndicator", "{\"indicator\":\"198.51.", "100.7\"}")});
  model_->add({{{"last_message", {{"role", "tool"}, {"tool_call_id", "call_d1"}}}},
               streamed_text("198.51.100.7 is malicious: block it at the proxy.")});
  const auto& alice = keys().contributor;
  const auto session = api_->create_session(alice, "with a model");
  const auto evaluation = api_->submit(alice, session, "Is 198.51.100.7 malicious?");
  const auto events = api_->events(alice, evaluation);
  auto done = api_->finished(alice, evaluation);
  EXPECT_EQ(done.at("state").as_string(), "completed") << json::serialize(done);
  ASSERT_EQ(done.at("steps").as_array().size(), 1u) << json::serialize(done);
  const auto& step = done.at("steps").as_array()[0];
  EXPECT_EQ(step.at("skill").as_string(), "ThreatIntel.LookupIndicator");
  EXPECT_EQ(step.at("inputs").at("indicator").as_string(), "198.51.100.7");
  EXPECT_EQ(step.at("output").at("verdict").as_string(), "malicious");
  const std::string answer(done.at("result").at("content").as_string());
  EXPECT_NE(answer.find("198.51.100.7 is malicious: block it at the proxy."), std::string::npos)
      << answer;
  EXPECT_NE(answer.find("ThreatIntel.LookupIndicator (indicator=198.51.100.7)"), std::string::npos)
      << answer;

  std::vector<std::string> types;
  for (const auto& event : events)
    types.push_back(event.type);
  ASSERT_GE(types.size(), 5u);
  EXPECT_EQ(types[1], "plan");
  EXPECT_EQ(events[1].json().at("planner"), "model");
  EXPECT_NE(std::find(types.begin(), types.end(), "step.finished"), types.end());
  EXPECT_NE(std::find(types.begin(), types.end(), "model"), types.end());
  EXPECT_EQ(types.back(), "done");
  EXPECT_EQ(model_->requests().size(), before + 2);
  EXPECT_TRUE(model_->problems().empty()) << model_->problems().front();
}

TEST_F(DaemonModel, AGptSkillSendsItsRenderedTemplateToTheModel) {
  const auto& alice = keys().contributor;
  auto shown = api_->get("/v1/skills/Incident.WriteReportWithModel", alice);
  ASSERT_EQ(shown.status, 200) << shown.body;
  EXPECT_TRUE(shown.object().at("available").as_bool()) << shown.body;

  model_->add({{{"path", "/v1/chat/completions"}},
               streamed_text("## What happened\nA phishing mail led to credential theft.")});
  const json::object inputs{{"source", "{\"incident\":\"INC-7\",\"title\":\"Phish\"}"},
                            {"audience", "ciso"}};
  auto reply =
      api_->post("/v1/skills/Incident.WriteReportWithModel:invoke", alice, {{"inputs", inputs}});
  ASSERT_EQ(reply.status, 200) << reply.body;
  const auto result = reply.object();
  EXPECT_EQ(result.at("result").at("content").as_string(),
            "## What happened\nA phishing mail led to credential theft.")
      << reply.body;
  EXPECT_EQ(result.at("result").at("model").as_string(), "gpt-4.1");
  const auto sent = last_request();
  const auto& messages = sent.at("messages").as_array();
  ASSERT_EQ(messages.size(), 1u);
  const std::string prompt(messages[0].at("content").as_string());
  EXPECT_NE(prompt.find("for the audience \"ciso\""), std::string::npos) << prompt;
  EXPECT_NE(prompt.find("{\"incident\":\"INC-7\",\"title\":\"Phish\"}"), std::string::npos)
      << prompt;
  EXPECT_EQ(prompt.find("{{"), std::string::npos) << "a placeholder was left: " << prompt;
}

TEST_F(DaemonModel, AnUnreachableModelFailsThePromptWithWhatToCheck) {
  // Both attempts (model.max_attempts: 2) find the connection closed without an answer.
  model_->add({{}, {{"close", true}}});
  model_->add({{}, {{"close", true}}});
  const auto& alice = keys().contributor;
  const auto session = api_->create_session(alice, "model down");
  auto done =
      api_->finished(alice, api_->submit(alice, session, "Is 203.0.113.9 a known bad address?"));
  EXPECT_EQ(done.at("state").as_string(), "failed") << json::serialize(done);
  const std::string error(done.at("error").as_string());
  EXPECT_NE(error.find("the model"), std::string::npos) << error;
  EXPECT_NE(error.find("base_url"), std::string::npos) << error;
}

}  // namespace
}  // namespace secpilot::testing
