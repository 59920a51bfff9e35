#include "secpilot/model/chat.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include <boost/json/array.hpp>

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

boost::json::object to_json(const ChatMessage& message) {
  boost::json::object out;
  out["role"] = role_name(message.role);
  if (message.content)
    out["content"] = *message.content;
  else
    out["content"] = nullptr;
  if (!message.tool_calls.empty()) {
    boost::json::array calls;
    for (const ModelToolCall& call : message.tool_calls)
      calls.push_back(boost::json::object{
          {"id", call.id},
          {"type", "function"},
          {"function", boost::json::object{{"name", call.name}, {"arguments", call.arguments}}}});
    out["tool_calls"] = std::move(calls);
  }
  if (message.role == Role::tool) out["tool_call_id"] = message.tool_call_id;
  return out;
}

Expected<ChatMessage> message_from_json(const boost::json::value& value) {
  const auto bad = [](std::string what) {
    return make_error(Status::invalid_input, "not a chat message: " + std::move(what));
  };
  const auto* object = value.if_object();
  if (!object) return bad("not a JSON object");
  const auto* role = object->if_contains("role");
  if (!role || !role->is_string()) return bad("no role");
  ChatMessage message;
  const auto name = std::find(kRoleNames.begin(), kRoleNames.end(), role->get_string());
  if (name == kRoleNames.end())
    return bad("unknown role '" + std::string(role->get_string()) + "'");
  message.role = static_cast<Role>(name - kRoleNames.begin());
  if (const auto* content = object->if_contains("content"); content && content->is_string())
    message.content = std::string(content->get_string());
  else if (content && !content->is_null())
    return bad("content is neither text nor null");
  if (const auto* calls = object->if_contains("tool_calls")) {
    if (!calls->is_array()) return bad("tool_calls is not a list");
    for (const auto& call : calls->get_array()) {
      const auto* function = call.is_object() ? call.get_object().if_contains("function") : nullptr;
      const auto* id = call.is_object() ? call.get_object().if_contains("id") : nullptr;
      if (!function || !function->is_object() || !id || !id->is_string())
        return bad("a tool call without id or function");
      const auto& f = function->get_object();
      const auto* fname = f.if_contains("name");
      const auto* arguments = f.if_contains("arguments");
      if (!fname || !fname->is_string() || !arguments || !arguments->is_string())
        return bad("a tool call without name or arguments");
      message.tool_calls.push_back({std::string(id->get_string()), std::string(fname->get_string()),
                                    std::string(arguments->get_string())});
    }
  }
  if (const auto* id = object->if_contains("tool_call_id"); id && id->is_string())
    message.tool_call_id = std::string(id->get_string());
  if (message.role == Role::tool && message.tool_call_id.empty())
    return bad("a tool message without tool_call_id");
  return message;
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
