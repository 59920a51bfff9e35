// Each provider's chat-completions URL and auth header, and what validate() refuses.
#include <gtest/gtest.h>

#include "secpilot/model/model_options.hpp"

namespace secpilot::model {
namespace {

ModelOptions options_for(Provider provider) {
  ModelOptions options;
  options.provider = provider;
  options.model = "m";
  if (provider == Provider::openai || provider == Provider::azure) options.api_key = "k-123456";
  return options;
}

std::string messages(const ModelOptions& options) {
  std::string out;
  for (const auto& problem : validate(options))
    out += problem.key + ": " + problem.message + "\n";
  return out;
}

TEST(Endpoint, OpenAiUsesBearerOnItsDefaultUrl) {
  auto endpoint = resolve_endpoint(options_for(Provider::openai));
  ASSERT_TRUE(endpoint) << endpoint.error().message;
  EXPECT_EQ(endpoint->url, "https://api.openai.com/v1/chat/completions");
  EXPECT_EQ(endpoint->headers, (net::Headers{{"Authorization", "Bearer k-123456"}}));
  EXPECT_TRUE(endpoint->egress.allows("api.openai.com", 443));
  EXPECT_FALSE(endpoint->egress.allows("api.openai.com", 80));
  EXPECT_FALSE(endpoint->egress.allows("evil.example", 443));
}

TEST(Endpoint, AzureV1TakesTheDeploymentAsModelAndTheKeyAsApiKey) {
  auto options = options_for(Provider::azure);
  options.base_url = "https://acme.openai.azure.com/openai/v1/";
  auto endpoint = resolve_endpoint(options);
  ASSERT_TRUE(endpoint) << endpoint.error().message;
  EXPECT_EQ(endpoint->url, "https://acme.openai.azure.com/openai/v1/chat/completions");
  EXPECT_EQ(endpoint->headers, (net::Headers{{"api-key", "k-123456"}}));
}

TEST(Endpoint, AzureDatedPutsTheDeploymentInThePathAndTheVersionInTheQuery) {
  auto options = options_for(Provider::azure);
  options.model.clear();
  options.base_url = "https://acme.openai.azure.com";
  options.deployment = "soc-gpt-4o";
  options.api_version = "2024-10-21";
  auto endpoint = resolve_endpoint(options);
  ASSERT_TRUE(endpoint) << endpoint.error().message;
  EXPECT_EQ(endpoint->url,
            "https://acme.openai.azure.com/openai/deployments/soc-gpt-4o/chat/completions"
            "?api-version=2024-10-21");
  options.base_url = "https://acme.openai.azure.com/openai";  // the portal's form works too
  EXPECT_EQ(resolve_endpoint(options)->url, endpoint->url);
}

TEST(Endpoint, LocalServersDefaultToLoopbackAndSendAKeyOnlyWhenGiven) {
  auto ollama = resolve_endpoint(options_for(Provider::ollama));
  ASSERT_TRUE(ollama);
  EXPECT_EQ(ollama->url, "http://127.0.0.1:11434/v1/chat/completions");
  EXPECT_TRUE(ollama->headers.empty());
  EXPECT_EQ(resolve_endpoint(options_for(Provider::llama_cpp))->url,
            "http://127.0.0.1:8080/v1/chat/completions");
  auto vllm = options_for(Provider::vllm);
  vllm.api_key = "token-abc123";
  EXPECT_EQ(resolve_endpoint(vllm)->url, "http://127.0.0.1:8000/v1/chat/completions");
  EXPECT_EQ(resolve_endpoint(vllm)->headers,
            (net::Headers{{"Authorization", "Bearer token-abc123"}}));
  auto ipv6 = options_for(Provider::vllm);
  ipv6.base_url = "http://[::1]:9000/v1";
  EXPECT_TRUE(resolve_endpoint(ipv6)->egress.allows("::1", 9000));
}

TEST(Endpoint, RefusesWhatCannotWork) {
  auto no_key = options_for(Provider::openai);
  no_key.api_key.clear();
  EXPECT_NE(messages(no_key).find("api_key: provider openai needs an API key"), std::string::npos);

  auto plain = options_for(Provider::openai);
  plain.base_url = "http://api.openai.com/v1";
  EXPECT_NE(messages(plain).find("must be reached over https://"), std::string::npos);

  auto azure = options_for(Provider::azure);
  EXPECT_NE(messages(azure).find("base_url: provider azure needs base_url"), std::string::npos);
  azure.base_url = "https://acme.openai.azure.com";
  EXPECT_NE(messages(azure).find("for Azure OpenAI's v1 API write base_url"), std::string::npos);
  azure.deployment = "soc-gpt-4o";
  EXPECT_NE(messages(azure).find("api_version: a dated deployment URL needs api_version"),
            std::string::npos);

  auto misplaced = options_for(Provider::ollama);
  misplaced.deployment = "x";
  misplaced.model.clear();
  const std::string text = messages(misplaced);
  EXPECT_NE(text.find("deployment: deployment is only used with provider azure"),
            std::string::npos);
  EXPECT_NE(text.find("model: model is missing — write model: llama3.1"), std::string::npos);

  auto injected = options_for(Provider::openai);
  injected.api_key = "k\r\nX-Evil: 1";
  EXPECT_NE(messages(injected).find("line break"), std::string::npos);
  EXPECT_EQ(messages(injected).find("Evil"), std::string::npos);  // the key is never quoted

  auto bad_url = options_for(Provider::vllm);
  bad_url.base_url = "ftp://models.local";
  EXPECT_FALSE(resolve_endpoint(bad_url));
}

TEST(Endpoint, FlagsPlainHttpToAnotherMachineAsARisk) {
  auto remote = options_for(Provider::vllm);
  remote.base_url = "http://10.0.0.5:8000/v1";
  EXPECT_TRUE(validate(remote).empty());
  ASSERT_EQ(risks(remote).size(), 1u);
  EXPECT_EQ(risks(remote)[0].key, "base_url");
  EXPECT_TRUE(risks(options_for(Provider::ollama)).empty());
}

TEST(Endpoint, NamesProvidersAsTheConfigWritesThem) {
  EXPECT_EQ(provider_name(Provider::llama_cpp), "llama.cpp");
  EXPECT_EQ(provider_from_name("LLAMACPP"), Provider::llama_cpp);
  EXPECT_EQ(provider_from_name("Azure"), Provider::azure);
  EXPECT_FALSE(provider_from_name("anthropic"));
}

}  // namespace
}  // namespace secpilot::model
