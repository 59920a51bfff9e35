// The Chat Completions JSON the client writes and the dialects it reads.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "model/wire_format.hpp"

namespace secpilot::model::detail {
namespace {

namespace json = boost::json;

ChatRequest one_tool_request() {
  ChatRequest request;
  request.messages = {ChatMessage::system("be brief"), ChatMessage::user("hi"),
                      ChatMessage::assistant(std::nullopt, {{"call_1", "f", "{}"}}),
                      ChatMessage::tool("call_1", "{\"ok\":true}")};
  request.tools = {{"f", "does f", {}}};
  return request;
}

TEST(RequestBody, CarriesTheConversationToolsAndStreamOptions) {
  ModelOptions options;
  options.model = "gpt-4.1";
  options.max_tokens = 300;
  options.temperature = 0.0;
  const json::object body = json::parse(request_body(one_tool_request(), options)).as_object();
  EXPECT_EQ(body.at("model"), "gpt-4.1");
  EXPECT_EQ(body.at("stream"), true);
  EXPECT_EQ(body.at("stream_options"), (json::object{{"include_usage", true}}));
  EXPECT_EQ(body.at("tool_choice"), "auto");
  EXPECT_EQ(body.at("parallel_tool_calls"), true);
  EXPECT_EQ(body.at("max_completion_tokens"), 300);  // OpenAI's newer models want this name
  EXPECT_FALSE(body.contains("max_tokens"));
  const json::array& messages = body.at("messages").as_array();
  ASSERT_EQ(messages.size(), 4u);
  EXPECT_TRUE(messages[2].at("content").is_null());
  EXPECT_EQ(messages[2].at("tool_calls").at(0),
            (json::object{{"id", "call_1"},
                          {"type", "function"},
                          {"function", json::object{{"name", "f"}, {"arguments", "{}"}}}}));
  EXPECT_EQ(messages[3].at("tool_call_id"), "call_1");
  const json::object& function = body.at("tools").at(0).at("function").as_object();
  EXPECT_EQ(function.at("parameters"),
            (json::object{{"type", "object"}, {"properties", json::object{}}}));
}

TEST(RequestBody, UsesMaxTokensForCompatibleServersAndOmitsToolFieldsWithoutTools) {
  ModelOptions options;
  options.provider = Provider::ollama;
  options.model = "llama3.1";
  options.stream = false;
  options.max_tokens = 64;
  ChatRequest request;
  request.messages = {ChatMessage::user("hi")};
  const json::object body = json::parse(request_body(request, options)).as_object();
  EXPECT_EQ(body.at("max_tokens"), 64);
  EXPECT_EQ(body.at("stream"), false);
  for (const char* absent : {"tools", "tool_choice", "parallel_tool_calls", "stream_options",
                             "temperature", "max_completion_tokens"})
    EXPECT_FALSE(body.contains(absent)) << absent;
}

TEST(ParseCompletion, ReadsToolCallsUsageAndFinishReason) {
  auto completion = parse_completion(R"({"id":"chatcmpl-1","model":"gpt-4.1","choices":[{"index":0,
    "message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_P","type":"function",
    "function":{"name":"ti__ip_reputation","arguments":"{\"ip\":\"203.0.113.7\"}"}}]},
    "finish_reason":"tool_calls"}],"usage":{"prompt_tokens":82,"completion_tokens":18,"total_tokens":100}})");
  ASSERT_TRUE(completion) << completion.error().message;
  EXPECT_FALSE(completion->content);
  ASSERT_EQ(completion->tool_calls.size(), 1u);
  EXPECT_EQ(completion->tool_calls[0].arguments, R"({"ip":"203.0.113.7"})");
  EXPECT_EQ(completion->finish_reason, FinishReason::tool_calls);
  EXPECT_EQ(completion->usage->total_tokens, 100);
}

TEST(ParseCompletion, ReadsContentPartsRefusalsAndLegacyFinishNames) {
  auto parts = parse_completion(
      R"({"choices":[{"message":{"content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]},"finish_reason":"function_call"}]})");
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->content, "ab");
  EXPECT_EQ(parts->finish_reason, FinishReason::tool_calls);
  auto refusal = parse_completion(
      R"({"choices":[{"message":{"content":null,"refusal":"I can't help with that."},"finish_reason":"stop"}]})");
  ASSERT_TRUE(refusal);
  EXPECT_EQ(refusal->content, "I can't help with that.");
}

TEST(ParseCompletion, RejectsDocumentsWithoutChoicesOrWithAnError) {
  EXPECT_EQ(parse_completion("<html>bad gateway</html>").error().status, Status::upstream);
  EXPECT_NE(parse_completion(R"({"choices":[]})").error().message.find("no choices"),
            std::string::npos);
  EXPECT_NE(parse_completion(R"({"error":{"message":"model overloaded"}})")
                .error()
                .message.find("model overloaded"),
            std::string::npos);
}

TEST(ErrorBody, ReadsEachProvidersShape) {
  const auto openai = parse_error_body(
      R"({"error":{"message":"Incorrect API key provided","type":"invalid_request_error","code":"invalid_api_key"}})");
  EXPECT_EQ(openai.message, "Incorrect API key provided");
  EXPECT_EQ(openai.code, "invalid_api_key");
  const auto ollama =
      parse_error_body(R"({"error":"model \"llama9\" not found, try pulling it first"})");
  EXPECT_EQ(ollama.message, "model \"llama9\" not found, try pulling it first");
  const auto vllm = parse_error_body(
      R"({"object":"error","message":"The model `x` does not exist.","type":"NotFoundError","code":404})");
  EXPECT_EQ(vllm.message, "The model `x` does not exist.");
  EXPECT_EQ(vllm.code, "404");
  const auto azure = parse_error_body(
      R"({"error":{"message":"filtered","code":null,"innererror":{"code":"ResponsibleAIPolicyViolation"}}})");
  EXPECT_EQ(azure.code, "ResponsibleAIPolicyViolation");
  EXPECT_EQ(parse_error_body("upstream connect error").message, "upstream connect error");
}

}  // namespace
}  // namespace secpilot::model::detail
