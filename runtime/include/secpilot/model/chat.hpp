// A chat with a model that can call functions, in the terms of OpenAI's Chat Completions API
// (the dialect every supported provider speaks), and the interface the function-calling loop
// uses to talk to a model: ChatModel. ChatClient (chat_client.hpp) is the HTTP implementation.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "secpilot/util/expected.hpp"

namespace secpilot::model {

// A function call the model asked for, as it sent it: `arguments` is JSON text that may be
// malformed; nothing here has checked it.
struct ModelToolCall {
  std::string id;  // tool_call_id; synthesised ("call_1", ...) when the provider sent none
  std::string name;
  std::string arguments;

  bool operator==(const ModelToolCall&) const = default;
};

enum class Role { system, user, assistant, tool };
std::string_view role_name(Role role) noexcept;  // "system", "user", "assistant", "tool"

struct ChatMessage {
  Role role = Role::user;
  // Absent only for an assistant message that holds nothing but tool calls (sent as null).
  std::optional<std::string> content;
  std::vector<ModelToolCall> tool_calls;  // assistant
  std::string tool_call_id;               // tool

  static ChatMessage system(std::string text);
  static ChatMessage user(std::string text);
  static ChatMessage assistant(std::optional<std::string> text, std::vector<ModelToolCall> calls);
  static ChatMessage tool(std::string tool_call_id, std::string text);

  bool operator==(const ChatMessage&) const = default;
};

// A message as Chat Completions writes it ({"role", "content", "tool_calls", "tool_call_id"}),
// and back: what a paused conversation is stored as.
boost::json::object to_json(const ChatMessage& message);
// Fails (invalid_input) on anything to_json would not have written.
Expected<ChatMessage> message_from_json(const boost::json::value& value);

// A function the model may call. `name` follows the function-name rules
// (function_names.hpp); `parameters` is a JSON Schema object.
struct FunctionTool {
  std::string name;
  std::string description;
  boost::json::object parameters;
};

enum class ToolChoice { automatic, none, required };  // "auto", "none", "required"

struct ChatRequest {
  std::vector<ChatMessage> messages;
  std::vector<FunctionTool> tools;
  ToolChoice tool_choice = ToolChoice::automatic;  // sent only when there are tools
};

// Why the model stopped. function_call and llama.cpp's "tool" read as tool_calls.
enum class FinishReason { stop, tool_calls, length, content_filter, other, none };
std::string_view finish_reason_name(FinishReason reason) noexcept;  // "stop", ..., "none"
FinishReason finish_reason_from_name(std::string_view name) noexcept;

struct Usage {
  long long prompt_tokens = 0;
  long long completion_tokens = 0;
  long long total_tokens = 0;
};

struct ChatCompletion {
  std::string id;     // the provider's response id
  std::string model;  // the model that answered, as the provider names it
  std::optional<std::string> content;
  std::vector<ModelToolCall> tool_calls;  // in the order the model gave them
  FinishReason finish_reason = FinishReason::none;
  std::string finish_reason_text;  // as sent, for FinishReason::other
  std::optional<Usage> usage;      // absent when the provider reported none
};

// How long one request may take, and how to stop it early.
struct CallControl {
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  std::shared_ptr<const std::atomic<bool>> cancelled;  // optional
  // Optional: text of the answer as it streams in (each piece valid only during the call).
  std::function<void(std::string_view)> on_text;

  bool is_cancelled() const noexcept { return cancelled && cancelled->load(); }
};

// Something that answers chat requests. Implementations are thread-safe.
class ChatModel {
 public:
  virtual ~ChatModel() = default;
  // The model's next message. Errors say what to fix: the key (unauthorized), the model or
  // deployment name (not_found), a content filter (forbidden), rate limits that outlasted the
  // retries (rate_limited), the endpoint (upstream), the deadline (timeout), cancelled.
  virtual Expected<ChatCompletion> complete(const ChatRequest& request,
                                            const CallControl& control) const = 0;
};

}  // namespace secpilot::model
