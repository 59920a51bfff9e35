#include "model/wire_format.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace secpilot::model::detail {
namespace {

namespace json = boost::json;

constexpr std::size_t kMaxMessageLength = 400;

std::string_view tool_choice_name(ToolChoice choice) {
  switch (choice) {
    case ToolChoice::none:
      return "none";
    case ToolChoice::required:
      return "required";
    case ToolChoice::automatic:
      break;
  }
  return "auto";
}

json::object tool_json(const FunctionTool& tool) {
  json::object parameters = tool.parameters;
  if (parameters.empty()) parameters = {{"type", "object"}, {"properties", json::object{}}};
  return {{"type", "function"},
          {"function", json::object{{"name", tool.name},
                                    {"description", tool.description},
                                    {"parameters", std::move(parameters)}}}};
}

std::string cut(std::string text) {
  if (text.size() > kMaxMessageLength) {
    text.resize(kMaxMessageLength);
    text += "...";
  }
  return text;
}

std::string string_or_empty(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  if (!value) return {};
  if (value->is_string()) return std::string(value->as_string());
  if (value->is_int64() || value->is_uint64()) return json::serialize(*value);
  return {};
}

long long number_or_zero(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  if (!value) return 0;
  boost::system::error_code ec;
  const auto number = value->to_number<long long>(ec);
  return ec ? 0 : number;
}

}  // namespace

std::string request_body(const ChatRequest& request, const ModelOptions& options) {
  json::object body;
  if (!options.model.empty()) body["model"] = options.model;
  json::array messages;
  for (const ChatMessage& message : request.messages)
    messages.push_back(to_json(message));
  body["messages"] = std::move(messages);
  if (!request.tools.empty()) {
    json::array tools;
    for (const FunctionTool& tool : request.tools)
      tools.push_back(tool_json(tool));
    body["tools"] = std::move(tools);
    body["tool_choice"] = tool_choice_name(request.tool_choice);
    // llama.cpp's server runs one call per turn unless asked; the others accept the field.
    body["parallel_tool_calls"] = options.parallel_tool_calls;
  }
  body["stream"] = options.stream;
  if (options.stream) body["stream_options"] = json::object{{"include_usage", true}};
  if (options.temperature) body["temperature"] = *options.temperature;
  if (options.max_tokens) {
    // OpenAI's newer models refuse max_tokens; compatible servers know only max_tokens.
    const bool openai_dialect =
        options.provider == Provider::openai || options.provider == Provider::azure;
    body[openai_dialect ? "max_completion_tokens" : "max_tokens"] = *options.max_tokens;
  }
  return json::serialize(body);
}

std::optional<std::string> content_text(const json::value& content) {
  if (content.is_string()) return std::string(content.as_string());
  if (!content.is_array()) return std::nullopt;
  std::string text;
  for (const json::value& part : content.as_array()) {
    if (!part.is_object()) continue;
    if (const json::value* piece = part.as_object().if_contains("text");
        piece && piece->is_string())
      text += piece->as_string();
  }
  return text;
}

std::string arguments_text(const json::value& arguments) {
  if (arguments.is_string()) return std::string(arguments.as_string());
  if (arguments.is_null()) return {};
  return json::serialize(arguments);
}

std::optional<Usage> parse_usage(const json::value* usage) {
  if (!usage || !usage->is_object()) return std::nullopt;
  const json::object& object = usage->as_object();
  Usage out;
  out.prompt_tokens = number_or_zero(object, "prompt_tokens");
  out.completion_tokens = number_or_zero(object, "completion_tokens");
  out.total_tokens = number_or_zero(object, "total_tokens");
  if (out.total_tokens == 0) out.total_tokens = out.prompt_tokens + out.completion_tokens;
  return out;
}

ErrorBody error_from_json(const json::value& document) {
  ErrorBody out;
  if (!document.is_object()) return out;
  const json::object& top = document.as_object();
  const json::value* error = top.if_contains("error");
  if (error && error->is_string()) {
    out.message = cut(std::string(error->as_string()));
    return out;
  }
  const json::object& details = error && error->is_object() ? error->as_object() : top;
  out.message = cut(string_or_empty(details, "message"));
  out.code = string_or_empty(details, "code");
  // Azure nests the reason of a content-filter refusal.
  if (const json::value* inner = details.if_contains("innererror"); inner && inner->is_object()) {
    const std::string inner_code = string_or_empty(inner->as_object(), "code");
    if (out.code.empty()) out.code = inner_code;
  }
  return out;
}

ErrorBody parse_error_body(std::string_view body) {
  boost::system::error_code ec;
  const json::value document = json::parse(body, ec);
  if (ec || !document.is_object()) {
    ErrorBody out;
    out.message = cut(std::string(body));
    return out;
  }
  return error_from_json(document);
}

Expected<ChatCompletion> parse_completion(std::string_view body) {
  boost::system::error_code ec;
  const json::value document = json::parse(body, ec);
  if (ec || !document.is_object())
    return make_error(Status::upstream, "the model endpoint's response is not a JSON object: " +
                                            cut(std::string(body)));
  const json::object& top = document.as_object();
  if (top.contains("error"))
    return make_error(Status::upstream, "the model endpoint answered with an error: " +
                                            error_from_json(document).message);
  const json::value* choices = top.if_contains("choices");
  if (!choices || !choices->is_array() || choices->as_array().empty() ||
      !choices->as_array().front().is_object())
    return make_error(Status::upstream, "the model endpoint's response has no choices");
  const json::object& choice = choices->as_array().front().as_object();

  ChatCompletion completion;
  completion.id = string_or_empty(top, "id");
  completion.model = string_or_empty(top, "model");
  completion.usage = parse_usage(top.if_contains("usage"));
  completion.finish_reason_text = string_or_empty(choice, "finish_reason");
  completion.finish_reason = finish_reason_from_name(completion.finish_reason_text);
  const json::value* message = choice.if_contains("message");
  if (!message || !message->is_object()) return completion;
  const json::object& fields = message->as_object();
  if (const json::value* content = fields.if_contains("content"))
    completion.content = content_text(*content);
  if (!completion.content) {
    if (const json::value* refusal = fields.if_contains("refusal"); refusal && refusal->is_string())
      completion.content = std::string(refusal->as_string());
  }
  if (const json::value* calls = fields.if_contains("tool_calls"); calls && calls->is_array()) {
    for (const json::value& item : calls->as_array()) {
      if (!item.is_object()) continue;
      const json::object& call = item.as_object();
      ModelToolCall out;
      out.id = string_or_empty(call, "id");
      if (const json::value* function = call.if_contains("function");
          function && function->is_object()) {
        out.name = string_or_empty(function->as_object(), "name");
        if (const json::value* arguments = function->as_object().if_contains("arguments"))
          out.arguments = arguments_text(*arguments);
      }
      completion.tool_calls.push_back(std::move(out));
    }
  }
  assign_missing_ids(completion.tool_calls);
  return completion;
}

void assign_missing_ids(std::vector<ModelToolCall>& calls) {
  for (std::size_t i = 0; i < calls.size(); ++i)
    if (calls[i].id.empty()) calls[i].id = "call_" + std::to_string(i + 1);
}

}  // namespace secpilot::model::detail
