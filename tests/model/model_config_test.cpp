// The model: section of the daemon's config: every key, the provider shapes, the key taken from
// the environment and never echoed, and each problem at its file:line:col.
#include <gtest/gtest.h>

#include <cstdlib>

#include "secpilot/config/daemon_config.hpp"

namespace secpilot::config {
namespace {

using namespace std::chrono_literals;

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines)
    out += line + "\n";
  return out;
}

ConfigCheck check(const std::string& yaml) {
  return check_daemon_config(yaml, "/etc/secpilot/c.yaml");
}

class ModelConfig : public ::testing::Test {
 protected:
  ModelConfig() { ::setenv("SECPILOT_TEST_MODEL_KEY", "sk-test-from-env-9d8c7b6a", 1); }
  ~ModelConfig() override { ::unsetenv("SECPILOT_TEST_MODEL_KEY"); }
};

TEST_F(ModelConfig, NoSectionMeansNoModel) {
  EXPECT_FALSE(check("listen: 127.0.0.1:8480\n").config.model);
  EXPECT_FALSE(DaemonConfig::defaults().model);
}

TEST_F(ModelConfig, ReadsEveryKey) {
  const auto result = check(
      "model:\n"
      "  provider: openai\n"
      "  model: gpt-4.1\n"
      "  api_key: \"${SECPILOT_TEST_MODEL_KEY}\"\n"
      "  stream: false\n"
      "  request_timeout_seconds: 90\n"
      "  max_attempts: 3\n"
      "  max_tokens: 1500\n"
      "  temperature: 0.2\n"
      "  parallel_tool_calls: false\n"
      "  loop:\n"
      "    max_rounds: 6\n"
      "    max_tool_calls: 12\n"
      "    max_total_tokens: 50000\n"
      "    time_limit_seconds: 120\n"
      "    max_parallel_calls: 2\n"
      "    max_tool_output_bytes: 8192\n");
  ASSERT_TRUE(result.ok()) << joined(result.problems);
  EXPECT_TRUE(result.warnings.empty()) << joined(result.warnings);
  ASSERT_TRUE(result.config.model);
  const model::ModelOptions& options = *result.config.model;
  EXPECT_EQ(options.provider, model::Provider::openai);
  EXPECT_EQ(options.base_url, "");  // the provider's default
  EXPECT_EQ(options.model, "gpt-4.1");
  EXPECT_EQ(options.api_key, "sk-test-from-env-9d8c7b6a");
  EXPECT_FALSE(options.stream);
  EXPECT_EQ(options.request_timeout, 90s);
  EXPECT_EQ(options.max_attempts, 3);
  EXPECT_EQ(options.max_tokens, 1500);
  EXPECT_EQ(options.temperature, 0.2);
  EXPECT_FALSE(options.parallel_tool_calls);
  EXPECT_EQ(options.loop.max_rounds, 6);
  EXPECT_EQ(options.loop.max_tool_calls, 12);
  EXPECT_EQ(options.loop.max_total_tokens, 50000);
  EXPECT_EQ(options.loop.time_limit, 120s);
  EXPECT_EQ(options.loop.max_parallel_calls, 2);
  EXPECT_EQ(options.loop.max_tool_output_bytes, 8192u);
}

TEST_F(ModelConfig, ReadsAzureDatedDeploymentsAndLocalServers) {
  const auto azure = check(
      "model:\n"
      "  provider: Azure\n"
      "  base_url: https://acme.openai.azure.com\n"
      "  deployment: soc-gpt-4o\n"
      "  api_version: 2024-10-21\n"
      "  api_key: \"${SECPILOT_TEST_MODEL_KEY}\"\n");
  ASSERT_TRUE(azure.ok()) << joined(azure.problems);
  EXPECT_EQ(azure.config.model->deployment, "soc-gpt-4o");
  EXPECT_EQ(azure.config.model->api_version, "2024-10-21");

  const auto llama = check("model: { provider: llamacpp, model: local }\n");
  ASSERT_TRUE(llama.ok()) << joined(llama.problems);
  EXPECT_EQ(llama.config.model->provider, model::Provider::llama_cpp);
  EXPECT_TRUE(llama.config.model->api_key.empty());
}

TEST_F(ModelConfig, ReportsEachProblemWhereItIs) {
  const auto result = check(
      "model:\n"
      "  provider: azur\n"
      "  modle: gpt-4.1\n"
      "  temperature: 3\n"
      "  loop: { max_rounds: 0 }\n");
  EXPECT_EQ(joined(result.problems),
            "/etc/secpilot/c.yaml:2:13: error: unknown provider 'azur' for model.provider — did "
            "you mean 'azure'? The choices are openai, azure, ollama, llama.cpp or vllm\n"
            "/etc/secpilot/c.yaml:3:3: error: unknown key 'modle' in model — did you mean "
            "'model'?\n"
            "/etc/secpilot/c.yaml:4:16: error: model.temperature is 3, out of range — use 0 to "
            "2\n"
            "/etc/secpilot/c.yaml:5:23: error: model.loop.max_rounds is 0, out of range — use 1 "
            "to 100\n");
  EXPECT_FALSE(result.config.model);
}

TEST_F(ModelConfig, ChecksTheProviderShapeOnceTheValuesAreRight) {
  const auto result = check(
      "model:\n"
      "  provider: azure\n"
      "  base_url: https://acme.openai.azure.com\n"
      "  model: soc-gpt-4o\n");
  EXPECT_EQ(joined(result.problems),
            "/etc/secpilot/c.yaml:1:1: error: model.api_key: provider azure needs an API key — "
            "write api_key: \"${AZURE_OPENAI_API_KEY}\" and export the variable\n"
            "/etc/secpilot/c.yaml:3:13: error: model.base_url: for Azure OpenAI's v1 API write "
            "base_url: https://<resource>.openai.azure.com/openai/v1 — or give deployment: and "
            "api_version: to use a dated deployment URL\n");
}

TEST_F(ModelConfig, NeedsAProvider) {
  const auto result = check("model:\n  model: gpt-4.1\n");
  EXPECT_EQ(joined(result.problems),
            "/etc/secpilot/c.yaml:1:1: error: model has no provider — add provider: openai, "
            "azure, ollama, llama.cpp or vllm\n");
}

TEST_F(ModelConfig, AnUnsetVariableIsNamedAndAKeyNeverEchoed) {
  ::unsetenv("SECPILOT_TEST_MODEL_KEY");
  const auto unset = check(
      "model: { provider: openai, model: gpt-4.1, api_key: \"${SECPILOT_TEST_MODEL_KEY}\" }\n");
  ASSERT_EQ(unset.problems.size(), 1u) << joined(unset.problems);
  EXPECT_EQ(unset.problems[0],
            "/etc/secpilot/c.yaml:1:53: error: model.api_key: environment variable "
            "SECPILOT_TEST_MODEL_KEY is not set — export it, or write "
            "${SECPILOT_TEST_MODEL_KEY:-default}");

  const auto literal =
      check("model: { provider: openai, model: gpt-4.1, api_key: sk-live-abcdef123456 }\n");
  ASSERT_TRUE(literal.ok()) << joined(literal.problems);
  ASSERT_EQ(literal.warnings.size(), 1u);
  EXPECT_NE(literal.warnings[0].find("model.api_key is written into the file"), std::string::npos);
  EXPECT_EQ(literal.warnings[0].find("sk-live-abcdef123456"), std::string::npos);
}

TEST_F(ModelConfig, WarnsAboutPlainHttpToAnotherMachine) {
  const auto result =
      check("model: { provider: vllm, base_url: \"http://10.0.0.5:8000/v1\", model: qwen }\n");
  ASSERT_TRUE(result.ok()) << joined(result.problems);
  ASSERT_EQ(result.warnings.size(), 1u);
  EXPECT_EQ(result.warnings[0].rfind("/etc/secpilot/c.yaml:1:36: warning: model.base_url: the "
                                     "model endpoint is reached over plain http://",
                                     0),
            0u)
      << result.warnings[0];
}

}  // namespace
}  // namespace secpilot::config
