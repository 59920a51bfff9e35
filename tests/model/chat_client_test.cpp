// The chat client against the scripted OpenAI-compatible fake on loopback: the URL and header
// shapes of each provider, streaming and not, retries, and the errors a user sees.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "fakes/fake_http_service.hpp"
#include "fakes/openai_compatible_api.hpp"
#include "secpilot/model/chat_client.hpp"

namespace secpilot::model {
namespace {

namespace json = boost::json;
using std::chrono::milliseconds;

constexpr const char* kOpenAiKey = "sk-test-openai-5f2c8e1a9b7d4c3e";
constexpr const char* kAzureKey = "az-test-2b7e151628aed2a6abf71588";

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

// A scripted response: the answer `text`, as one JSON document.
json::object answer_response(std::string_view text) {
  const json::object message{{"role", "assistant"}, {"content", text}};
  const json::object choice{{"index", 0}, {"message", message}, {"finish_reason", "stop"}};
  return {{"json", json::object{{"choices", json::array{choice}}}}};
}

// A scripted response: an OpenAI-style error document.
json::object error_response(int status, std::string_view message, json::object headers = {}) {
  json::object response{{"status", status},
                        {"json", json::object{{"error", json::object{{"message", message}}}}}};
  if (!headers.empty()) response["headers"] = std::move(headers);
  return response;
}

class ChatClientTest : public ::testing::Test {
 protected:
  void load(const std::string& script) {
    api_.load(std::string(SECPILOT_SOURCE_DIR) + "/tests/fakes/data/openai/" + script);
  }

  ModelOptions openai(bool stream = true) const {
    ModelOptions options;
    options.provider = Provider::openai;
    options.base_url = service_.base_url() + "/v1";  // loopback: plain http is allowed there
    options.model = "gpt-4.1";
    options.api_key = kOpenAiKey;
    options.stream = stream;
    return options;
  }

  ModelOptions azure() const {
    ModelOptions options;
    options.provider = Provider::azure;
    options.api_key = kAzureKey;
    options.stream = false;
    return options;
  }

  Expected<ChatCompletion> ask(const ModelOptions& options,
                               milliseconds time = milliseconds(30'000)) {
    ChatClient client(http_, options, [this](milliseconds delay, const CallControl&) {
      waits_.push_back(delay);
      return keep_waiting_;
    });
    ChatRequest request;
    request.messages = {ChatMessage::system("You are a SOC assistant."),
                        ChatMessage::user("Is 203.0.113.7 malicious?")};
    request.tools = {{"ti__ip_reputation", "IP reputation", {}},
                     {"ti__domain_reputation", "Domain reputation", {}}};
    CallControl control;
    control.deadline = std::chrono::steady_clock::now() + time;
    control.on_text = [this](std::string_view text) { streamed_.emplace_back(text); };
    return client.complete(request, control);
  }

  json::object body(std::size_t request) const {
    return json::parse(api_.requests().at(request).body).as_object();
  }

  void TearDown() override { EXPECT_TRUE(api_.problems().empty()) << api_.problems().front(); }

  fakes::FakeHttpService service_;
  fakes::OpenAiCompatibleApi api_{service_};
  net::HttpClient http_;
  std::vector<milliseconds> waits_;
  std::vector<std::string> streamed_;
  bool keep_waiting_ = true;
};

TEST_F(ChatClientTest, StreamsAPlainAnswer) {
  load("plain_answer.json");
  auto answer = ask(openai());
  ASSERT_TRUE(answer) << answer.error().message;
  EXPECT_EQ(answer->content,
            "203.0.113.7 is in TEST-NET-3 (RFC 5737), a documentation range: it is not routed on "
            "the Internet.");
  EXPECT_TRUE(answer->tool_calls.empty());
  EXPECT_EQ(answer->finish_reason, FinishReason::stop);
  ASSERT_TRUE(answer->usage);
  EXPECT_EQ(answer->usage->total_tokens, 100);
  EXPECT_EQ(answer->model, "gpt-4.1");
  EXPECT_EQ(streamed_.size(), 3u);  // the text as it arrived
}

TEST_F(ChatClientTest, AzureV1SendsTheDeploymentAsModelAndTheKeyAsApiKey) {
  load("azure_v1.json");
  auto options = azure();
  options.base_url = service_.base_url() + "/openai/v1";
  options.model = "soc-gpt-4o";
  options.max_tokens = 800;
  options.temperature = 0.2;
  auto answer = ask(options);
  ASSERT_TRUE(answer) << answer.error().message;
  EXPECT_EQ(answer->content, "No indicator in the prompt needs a lookup.");
  EXPECT_EQ(api_.requests().at(0).target, "/openai/v1/chat/completions");  // no api-version
}

TEST_F(ChatClientTest, AzureDatedPutsTheDeploymentInThePath) {
  load("azure_dated.json");
  auto options = azure();
  options.base_url = service_.base_url();
  options.deployment = "soc-gpt-4o";
  options.api_version = "2024-10-21";
  auto answer = ask(options);
  ASSERT_TRUE(answer) << answer.error().message;
  EXPECT_EQ(answer->content, "Nothing to look up.");
  EXPECT_FALSE(body(0).contains("model"));  // the path names the deployment
}

TEST_F(ChatClientTest, AWrongKeyIsReportedAsTheKeysFaultAndNotRetried) {
  load("unauthorized.json");
  auto answer = ask(openai(false));
  ASSERT_FALSE(answer);
  EXPECT_EQ(answer.error().status, Status::unauthorized);
  EXPECT_TRUE(contains(answer.error().message, "refused the API key")) << answer.error().message;
  EXPECT_TRUE(contains(answer.error().message, "model.api_key"));
  EXPECT_TRUE(contains(answer.error().message, "invalid_api_key"));
  EXPECT_EQ(api_.requests().size(), 1u);
  EXPECT_TRUE(waits_.empty());
}

TEST_F(ChatClientTest, AKeyEchoedByTheServerNeverReachesTheMessage) {
  api_.add({{}, error_response(401, std::string("bad key ") + kOpenAiKey)});
  auto answer = ask(openai(false));
  ASSERT_FALSE(answer);
  EXPECT_FALSE(contains(answer.error().message, kOpenAiKey));
  EXPECT_TRUE(contains(answer.error().message, "bad key [REDACTED]")) << answer.error().message;
}

TEST_F(ChatClientTest, AMissingDeploymentNamesTheDeploymentAndTheVersion) {
  load("azure_deployment_not_found.json");
  auto options = azure();
  options.base_url = service_.base_url();
  options.deployment = "soc-gpt-4o";
  options.api_version = "2024-10-21";
  auto answer = ask(options);
  ASSERT_FALSE(answer);
  EXPECT_EQ(answer.error().status, Status::not_found);
  EXPECT_TRUE(contains(answer.error().message, "model.deployment ('soc-gpt-4o'"))
      << answer.error().message;
  EXPECT_TRUE(contains(answer.error().message, "model.api_version ('2024-10-21')"));
  EXPECT_TRUE(contains(answer.error().message, "DeploymentNotFound"));
}

TEST_F(ChatClientTest, WaitsAsLongAsRetryAfterSaysThenSucceeds) {
  load("rate_limited_then_ok.json");
  auto answer = ask(openai(false));
  ASSERT_TRUE(answer) << answer.error().message;
  EXPECT_EQ(answer->content, "203.0.113.7 is a documentation address.");
  EXPECT_EQ(waits_, std::vector<milliseconds>{milliseconds(2000)});
  EXPECT_EQ(api_.requests().size(), 2u);
  EXPECT_EQ(api_.requests()[0].body, api_.requests()[1].body);  // the same request again
}

TEST_F(ChatClientTest, BacksOffOnServerErrorsAndGivesUpAfterMaxAttempts) {
  for (int i = 0; i < 3; ++i)
    api_.add({{}, error_response(503, "The engine is overloaded")});
  auto options = openai(false);
  options.max_attempts = 3;
  auto answer = ask(options);
  ASSERT_FALSE(answer);
  EXPECT_EQ(answer.error().status, Status::upstream);
  EXPECT_TRUE(contains(answer.error().message, "after 3 attempts")) << answer.error().message;
  EXPECT_TRUE(contains(answer.error().message, "The engine is overloaded"));
  ASSERT_EQ(waits_.size(), 2u);
  EXPECT_GE(waits_[0], milliseconds(250));
  EXPECT_LE(waits_[0], milliseconds(500));
  EXPECT_GE(waits_[1], milliseconds(500));
  EXPECT_LE(waits_[1], milliseconds(1000));
}

TEST_F(ChatClientTest, RetriesAConnectionClosedBeforeAnyAnswer) {
  api_.add({{}, {{"close", true}}});
  api_.add({{}, answer_response("ok")});
  auto answer = ask(openai(false));
  ASSERT_TRUE(answer) << answer.error().message;
  EXPECT_EQ(answer->content, "ok");
  EXPECT_EQ(waits_.size(), 1u);
}

TEST_F(ChatClientTest, DoesNotRetryABadRequest) {
  api_.add({{}, error_response(400, "Invalid 'temperature'")});
  auto answer = ask(openai(false));
  ASSERT_FALSE(answer);
  EXPECT_EQ(answer.error().status, Status::invalid_input);
  EXPECT_TRUE(contains(answer.error().message, "Invalid 'temperature'"));
  EXPECT_TRUE(waits_.empty());
}

TEST_F(ChatClientTest, SaysTheContentFilterRefusedThePrompt) {
  load("azure_content_filter_prompt.json");
  auto options = azure();
  options.base_url = service_.base_url() + "/openai/v1";
  options.model = "soc-gpt-4o";
  auto answer = ask(options);
  ASSERT_FALSE(answer);
  EXPECT_EQ(answer.error().status, Status::forbidden);
  EXPECT_TRUE(contains(answer.error().message, "content filter refused the request"))
      << answer.error().message;
  EXPECT_TRUE(waits_.empty());
}

TEST_F(ChatClientTest, AStreamCutInTheMiddleOfACallIsAClearErrorNotARetry) {
  load("stream_cut.json");
  auto answer = ask(openai());
  ASSERT_FALSE(answer);
  EXPECT_EQ(answer.error().status, Status::upstream);
  EXPECT_TRUE(contains(answer.error().message,
                       "stream broke off in the middle of the tool call 'ti__ip_reputation' (id "
                       "call_PieqNSej6kM9hgYbcQdbZSaC, 6 bytes of arguments so far)"))
      << answer.error().message;
  EXPECT_TRUE(contains(answer.error().message, "closed the connection"));
  EXPECT_EQ(api_.requests().size(), 1u);
}

TEST_F(ChatClientTest, AStreamThatEndsWithoutFinishingIsAnError) {
  const std::string events =
      "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"The IP is\"}}]}\n\n";
  api_.add({{}, {{"sse_text", events}}});
  auto answer = ask(openai());
  ASSERT_FALSE(answer);
  EXPECT_TRUE(contains(answer.error().message,
                       "stream ended in the middle of the answer (9 bytes so far) without "
                       "finishing"))
      << answer.error().message;
}

TEST_F(ChatClientTest, ReadsAJsonAnswerFromAServerThatIgnoredStreaming) {
  api_.add({{}, answer_response("plain")});
  auto answer = ask(openai());
  ASSERT_TRUE(answer) << answer.error().message;
  EXPECT_EQ(answer->content, "plain");
}

TEST_F(ChatClientTest, GivesUpAtOnceWhenRetryAfterOutlastsTheDeadline) {
  api_.add({{}, error_response(429, "slow down", {{"Retry-After", "60"}})});
  auto answer = ask(openai(false), milliseconds(5'000));
  ASSERT_FALSE(answer);
  EXPECT_EQ(answer.error().status, Status::rate_limited);
  EXPECT_TRUE(
      contains(answer.error().message, "a retry would have to wait 60.0 s, beyond the time left"))
      << answer.error().message;
  EXPECT_TRUE(waits_.empty());
}

TEST_F(ChatClientTest, ACancelledWaitEndsTheRequest) {
  api_.add({{}, error_response(429, "slow down", {{"Retry-After", "1"}})});
  keep_waiting_ = false;  // the cancel flag was raised during the wait
  auto answer = ask(openai(false));
  ASSERT_FALSE(answer);
  EXPECT_EQ(answer.error().status, Status::cancelled);
  EXPECT_EQ(api_.requests().size(), 1u);
}

TEST_F(ChatClientTest, ReachesNoHostButTheEndpoint) {
  ChatClient client(http_, openai());
  EXPECT_TRUE(client.endpoint().egress.allows("127.0.0.1", service_.port()));
  EXPECT_FALSE(client.endpoint().egress.allows("127.0.0.1", service_.port() + 1));
  EXPECT_FALSE(client.endpoint().egress.allows("api.openai.com", 443));
}

TEST_F(ChatClientTest, RefusesOptionsThatCannotWork) {
  auto options = openai();
  options.api_key.clear();
  EXPECT_THROW(ChatClient(http_, options), std::invalid_argument);
}

}  // namespace
}  // namespace secpilot::model
