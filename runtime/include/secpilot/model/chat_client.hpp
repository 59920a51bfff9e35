// The chat client for OpenAI-compatible endpoints (OpenAI, Azure OpenAI v1 and dated deployment
// URLs, Ollama, llama.cpp's server, vLLM), over the host's HTTP client: TLS verified, and no
// host reachable but the endpoint's. Streams server-sent events or reads one JSON response, and
// retries 429, 5xx and lost connections with exponential backoff, honouring Retry-After, within
// the caller's deadline.
#pragma once

#include <chrono>
#include <functional>
#include <memory>

#include "secpilot/model/chat.hpp"
#include "secpilot/model/model_options.hpp"
#include "secpilot/net/http_client.hpp"

namespace secpilot::model {

// Waits `delay` before a retry; returns false when `control` was cancelled meanwhile. The default
// sleeps in short slices, checking the cancel flag; tests substitute one that only records.
using RetryWait = std::function<bool(std::chrono::milliseconds delay, const CallControl& control)>;

class ChatClient final : public ChatModel {
 public:
  // `http` must outlive the client. Throws std::invalid_argument with the first problem when the
  // options are not usable (validate(options) lists them all).
  ChatClient(const net::HttpClient& http, ModelOptions options, RetryWait wait = {});

  Expected<ChatCompletion> complete(const ChatRequest& request,
                                    const CallControl& control) const override;

  const ModelOptions& options() const noexcept { return options_; }
  const Endpoint& endpoint() const noexcept { return endpoint_; }

 private:
  const net::HttpClient& http_;
  ModelOptions options_;
  Endpoint endpoint_;
  RetryWait wait_;
};

// A chat client that owns its HTTP client (built from `http`), for a daemon that shares the model
// between its planner and its GPT skills. Throws as both constructors do.
std::shared_ptr<const ChatModel> make_chat_client(net::HttpClientOptions http,
                                                  ModelOptions options);

}  // namespace secpilot::model
