// Which language model the LLM planner talks to, and the bounds of its function-calling loop: the
// `model:` section of the daemon's config (docs/configuration.md, "model"; docs/model.md).
// Every provider speaks OpenAI's Chat Completions dialect; they differ in the URL and the header
// that carries the key, which resolve_endpoint() works out.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "secpilot/net/http_client.hpp"
#include "secpilot/util/expected.hpp"

namespace secpilot::model {

enum class Provider { openai, azure, ollama, llama_cpp, vllm };

// "openai", "azure", "ollama", "llama.cpp", "vllm": how the config writes them.
std::string_view provider_name(Provider provider) noexcept;
// Case-insensitive; "llamacpp" and "llama-cpp" are accepted for llama.cpp.
std::optional<Provider> provider_from_name(std::string_view name) noexcept;
// The names above, in declaration order, for messages and the config's choices.
const std::vector<std::string_view>& provider_names();

// Where a provider listens when base_url is not given; empty for Azure, whose URL names the
// customer's resource.
std::string_view default_base_url(Provider provider) noexcept;

// The bounds of one run of the function-calling loop. Reaching any of them ends the run with a
// partial answer that says which one stopped it.
struct LoopLimits {
  int max_rounds = 8;                    // requests to the model
  int max_tool_calls = 24;               // tool calls run, over all rounds
  long long max_total_tokens = 100'000;  // usage.total_tokens summed over the rounds; 0 = no limit
  std::chrono::seconds time_limit{180};  // wall clock for the whole run
  int max_parallel_calls = 4;            // calls of one round that run at the same time
  std::size_t max_tool_output_bytes = 16 * 1024;  // one tool's output as the model sees it

  bool operator==(const LoopLimits&) const = default;
};

struct ModelOptions {
  Provider provider = Provider::openai;
  // Up to and including the API version segment, e.g. "https://api.openai.com/v1",
  // "https://acme.openai.azure.com/openai/v1", "http://127.0.0.1:11434/v1". For an Azure dated
  // deployment, the resource endpoint: "https://acme.openai.azure.com". Empty: the provider's
  // default. A trailing '/' is ignored.
  std::string base_url;
  std::string model;        // the model's name; for Azure's v1 API the deployment's name
  std::string deployment;   // Azure dated deployment URLs only (then api_version is required)
  std::string api_version;  // Azure dated deployment URLs only, e.g. "2024-10-21"
  std::string api_key;      // secret: never logged, echoed or sent anywhere but in the auth header
  bool stream = true;       // server-sent events; false: one JSON response per request
  std::chrono::milliseconds request_timeout{120'000};  // one HTTP attempt
  int max_attempts = 4;  // per request, counting the first: retries on 429, 5xx, lost connections
  std::optional<int> max_tokens;      // per response; unset = the provider's default
  std::optional<double> temperature;  // 0 to 2; unset = the provider's default
  bool parallel_tool_calls = true;    // let the model ask for several calls in one round
  LoopLimits loop;

  bool operator==(const ModelOptions&) const = default;
};

// A problem with one option: the config key it concerns ("base_url", "api_version", ...) and
// "what is wrong — how to fix it". The key's value is never quoted when it may be secret.
struct OptionProblem {
  std::string key;
  std::string message;
};
// Every problem at once; empty when the options can be used.
std::vector<OptionProblem> validate(const ModelOptions& options);
// Valid but risky choices: a plain http:// endpoint on another machine.
std::vector<OptionProblem> risks(const ModelOptions& options);

// The request line and credentials for chat completions, as resolve_endpoint() builds them.
struct Endpoint {
  std::string url;           // ".../chat/completions", with ?api-version= for Azure dated
  net::Headers headers;      // the auth header when there is a key: Authorization or api-key
  net::EgressPolicy egress;  // the endpoint's host and port, nothing else
  std::string display;       // the URL for messages (it never carries the key)
};

// Fails (invalid_input) with the first problem validate() finds.
Expected<Endpoint> resolve_endpoint(const ModelOptions& options);

}  // namespace secpilot::model
