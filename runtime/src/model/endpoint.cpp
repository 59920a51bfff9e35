// Provider names, defaults and the chat-completions URL of each provider. Azure is the odd one:
// its v1 API takes the deployment as `model` under /openai/v1, while the older dated URLs put the
// deployment in the path and require ?api-version=.
#include <algorithm>
#include <array>
#include <string>

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include "secpilot/model/model_options.hpp"
#include "secpilot/util/ascii.hpp"

namespace secpilot::model {
namespace {

namespace urls = boost::urls;

constexpr std::array<std::string_view, 5> kProviderNames = {"openai", "azure", "ollama",
                                                            "llama.cpp", "vllm"};

constexpr std::string_view kAzureV1Example = "https://<resource>.openai.azure.com/openai/v1";
constexpr std::string_view kAzureResourceExample = "https://<resource>.openai.azure.com";

std::string_view example_model(Provider provider) {
  switch (provider) {
    case Provider::ollama:
      return "llama3.1";
    case Provider::llama_cpp:
      return "local";
    case Provider::vllm:
      return "Qwen/Qwen2.5-7B-Instruct";
    case Provider::azure:
      return "<deployment name>";
    case Provider::openai:
      break;
  }
  return "gpt-4.1";
}

std::string_view example_key_variable(Provider provider) {
  return provider == Provider::azure ? "AZURE_OPENAI_API_KEY" : "OPENAI_API_KEY";
}

std::string trimmed_base(const ModelOptions& options) {
  std::string base =
      options.base_url.empty() ? std::string(default_base_url(options.provider)) : options.base_url;
  while (!base.empty() && base.back() == '/')
    base.pop_back();
  return base;
}

bool is_loopback(const urls::url_view& url) {
  if (url.host_type() == urls::host_type::ipv4) return url.host_ipv4_address().is_loopback();
  if (url.host_type() == urls::host_type::ipv6) return url.host_ipv6_address().is_loopback();
  return iequals_ascii(url.host(), "localhost");
}

bool ends_with(std::string_view text, std::string_view tail) {
  return text.size() >= tail.size() && text.substr(text.size() - tail.size()) == tail;
}

// Characters that may stand in a URL path segment or query value without encoding.
bool is_plain_token(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.';
  });
}

// The base URL's problems, if any; `url` is set when it parses.
void check_base_url(const ModelOptions& options, const std::string& base,
                    std::optional<urls::url_view>& url, std::vector<OptionProblem>& problems) {
  const auto add = [&](std::string message) {
    problems.push_back({"base_url", std::move(message)});
  };
  const std::string_view provider = provider_name(options.provider);
  if (base.empty()) {
    add("provider azure needs base_url — write base_url: " + std::string(kAzureV1Example) +
        " (or the resource endpoint " + std::string(kAzureResourceExample) +
        " with deployment: and api_version:)");
    return;
  }
  auto parsed = urls::parse_absolute_uri(base);
  if (!parsed ||
      (parsed->scheme_id() != urls::scheme::http && parsed->scheme_id() != urls::scheme::https) ||
      parsed->host().empty()) {
    add("'" + base + "' is not an http:// or https:// URL — write e.g. base_url: " +
        std::string(options.provider == Provider::azure ? kAzureV1Example
                                                        : default_base_url(options.provider)));
    return;
  }
  if (parsed->has_userinfo() || parsed->has_query()) {
    add("base_url must not carry credentials or a query — put the key in api_key: and, for Azure, "
        "the version in api_version:");
    return;
  }
  if ((options.provider == Provider::openai || options.provider == Provider::azure) &&
      parsed->scheme_id() != urls::scheme::https && !is_loopback(*parsed)) {
    add("provider " + std::string(provider) +
        " must be reached over https:// — the key would cross the network in clear text");
    return;
  }
  url = *parsed;
}

void check_azure(const ModelOptions& options, const urls::url_view& url,
                 std::vector<OptionProblem>& problems) {
  std::string path(url.path());
  while (!path.empty() && path.back() == '/')
    path.pop_back();
  if (options.deployment.empty()) {
    if (!ends_with(path, "/openai/v1"))
      problems.push_back(
          {"base_url", "for Azure OpenAI's v1 API write base_url: " + std::string(kAzureV1Example) +
                           " — or give deployment: and api_version: to use a dated "
                           "deployment URL"});
    if (!options.api_version.empty())
      problems.push_back({"api_version",
                          "api_version is only used with deployment: (dated deployment URLs); the "
                          "v1 API has none — remove it, or add deployment:"});
    return;
  }
  if (!is_plain_token(options.deployment))
    problems.push_back({"deployment",
                        "deployment must be the deployment's name (letters, digits, '-', '_', "
                        "'.') as shown in the Azure portal"});
  if (options.api_version.empty())
    problems.push_back({"api_version",
                        "a dated deployment URL needs api_version — write e.g. api_version: "
                        "2024-10-21"});
  else if (!is_plain_token(options.api_version))
    problems.push_back({"api_version", "api_version must look like 2024-10-21"});
  if (!path.empty() && path != "/openai")
    problems.push_back({"base_url", "with deployment:, base_url is the resource endpoint — write " +
                                        std::string(kAzureResourceExample) +
                                        " (or drop deployment: and api_version: to use the v1 "
                                        "API at " +
                                        std::string(kAzureV1Example) + ")"});
}

}  // namespace

std::string_view provider_name(Provider provider) noexcept {
  return kProviderNames[static_cast<std::size_t>(provider)];
}

std::optional<Provider> provider_from_name(std::string_view name) noexcept {
  for (std::size_t i = 0; i < kProviderNames.size(); ++i)
    if (iequals_ascii(kProviderNames[i], name)) return static_cast<Provider>(i);
  if (iequals_ascii(name, "llamacpp") || iequals_ascii(name, "llama-cpp"))
    return Provider::llama_cpp;
  return std::nullopt;
}

const std::vector<std::string_view>& provider_names() {
  static const std::vector<std::string_view> names(kProviderNames.begin(), kProviderNames.end());
  return names;
}

std::string_view default_base_url(Provider provider) noexcept {
  switch (provider) {
    case Provider::openai:
      return "https://api.openai.com/v1";
    case Provider::ollama:
      return "http://127.0.0.1:11434/v1";
    case Provider::llama_cpp:
      return "http://127.0.0.1:8080/v1";
    case Provider::vllm:
      return "http://127.0.0.1:8000/v1";
    case Provider::azure:
      break;
  }
  return {};
}

std::vector<OptionProblem> validate(const ModelOptions& options) {
  std::vector<OptionProblem> problems;
  const std::string base = trimmed_base(options);
  std::optional<urls::url_view> url;
  check_base_url(options, base, url, problems);
  const bool azure = options.provider == Provider::azure;
  if (azure && url) check_azure(options, *url, problems);
  if (!azure) {
    if (!options.deployment.empty())
      problems.push_back({"deployment",
                          "deployment is only used with provider azure — name the "
                          "model in model: instead"});
    if (!options.api_version.empty())
      problems.push_back({"api_version", "api_version is only used with provider azure"});
  }
  if (options.model.empty() && !(azure && !options.deployment.empty()))
    problems.push_back(
        {"model", std::string(azure ? "model names the deployment for Azure's v1 API"
                                    : "model is "
                                      "missing") +
                      " — write model: " + std::string(example_model(options.provider))});
  if (options.api_key.empty() &&
      (options.provider == Provider::openai || options.provider == Provider::azure))
    problems.push_back({"api_key", "provider " + std::string(provider_name(options.provider)) +
                                       " needs an API key — write api_key: \"${" +
                                       std::string(example_key_variable(options.provider)) +
                                       "}\" and export the variable"});
  if (options.api_key.find_first_of("\r\n") != std::string::npos)
    problems.push_back({"api_key", "api_key contains a line break — check the variable's value"});
  if (options.request_timeout.count() <= 0)
    problems.push_back({"request_timeout_seconds", "request_timeout_seconds must be at least 1"});
  if (options.max_attempts < 1)
    problems.push_back({"max_attempts", "max_attempts must be at least 1 (1 = no retries)"});
  const LoopLimits& loop = options.loop;
  if (loop.max_rounds < 1 || loop.max_tool_calls < 1 || loop.max_parallel_calls < 1 ||
      loop.time_limit.count() < 1 || loop.max_total_tokens < 0 || loop.max_tool_output_bytes < 1)
    problems.push_back(
        {"loop", "every loop limit must be at least 1 (max_total_tokens: 0 for none)"});
  return problems;
}

std::vector<OptionProblem> risks(const ModelOptions& options) {
  std::vector<OptionProblem> found;
  auto url = urls::parse_absolute_uri(trimmed_base(options));
  if (url && url->scheme_id() == urls::scheme::http && !url->host().empty() && !is_loopback(*url))
    found.push_back({"base_url",
                     "the model endpoint is reached over plain http:// on another machine, so "
                     "prompts and tool output" +
                         std::string(options.api_key.empty() ? "" : " (and the key)") +
                         " cross the network in clear text — use https:// or a loopback "
                         "address"});
  return found;
}

Expected<Endpoint> resolve_endpoint(const ModelOptions& options) {
  if (auto problems = validate(options); !problems.empty())
    return make_error(Status::invalid_input,
                      "model." + problems.front().key + ": " + problems.front().message);
  std::string base = trimmed_base(options);
  const auto url = urls::parse_absolute_uri(base).value();
  Endpoint endpoint;
  if (options.provider == Provider::azure && !options.deployment.empty()) {
    if (ends_with(base, "/openai")) base.resize(base.size() - std::string_view("/openai").size());
    endpoint.url = base + "/openai/deployments/" + options.deployment +
                   "/chat/completions?api-version=" + options.api_version;
  } else {
    endpoint.url = base + "/chat/completions";
  }
  if (!options.api_key.empty()) {
    if (options.provider == Provider::azure)
      endpoint.headers.emplace_back("api-key", options.api_key);
    else
      endpoint.headers.emplace_back("Authorization", "Bearer " + options.api_key);
  }
  const bool https = url.scheme_id() == urls::scheme::https;
  const std::string port =
      url.has_port() && !url.port().empty() ? std::string(url.port()) : (https ? "443" : "80");
  const std::string host(url.encoded_host());  // IPv6 keeps its brackets, as the policy wants
  endpoint.egress = net::EgressPolicy({host + ":" + port});
  endpoint.display = endpoint.url;
  return endpoint;
}

}  // namespace secpilot::model
