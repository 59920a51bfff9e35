#include "secpilot/model/chat.hpp"

#include <array>
#include <utility>

namespace secpilot::model {
namespace {

constexpr std::array<std::string_view, 4> kRoleNames = {"system", "user", "assistant", "tool"};
constexpr std::array<std::string_view, 6> kFinishNames = {"stop",           "tool_calls", "length",
                                                          "content_filter", "other",      "none"};

}  // namespace

std::string_view role_name(Role role) noexcept {
  return kRoleNames[static_cast<std::size_t>(role)];
}

ChatMessage ChatMessage::system(std::string text) {
  return {Role::system, std::move(text), {}, {}};
}

ChatMessage ChatMessage::user(std::string text) {
  return {Role::user, std::move(text), {}, {}};
}

ChatMessage ChatMessage::assistant(std::optional<std::string> text,
                                   std::vector<ModelToolCall> calls) {
  return {Role::assistant, std::move(text), std::move(calls), {}};
}

ChatMessage ChatMessage::tool(std::string tool_call_id, std::string text) {
  return {Role::tool, std::move(text), {}, std::move(tool_call_id)};
}

std::string_view finish_reason_name(FinishReason reason) noexcept {
  return kFinishNames[static_cast<std::size_t>(reason)];
}

FinishReason finish_reason_from_name(std::string_view name) noexcept {
  if (name == "stop") return FinishReason::stop;
  // "function_call" is the legacy name; llama.cpp's documentation shows "tool".
  if (name == "tool_calls" || name == "function_call" || name == "tool")
    return FinishReason::tool_calls;
  if (name == "length") return FinishReason::length;
  if (name == "content_filter") return FinishReason::content_filter;
  return name.empty() ? FinishReason::none : FinishReason::other;
}

}  // namespace secpilot::model
