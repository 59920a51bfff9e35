// OpenAI Chat Completions JSON: the request body, a non-streamed response, the pieces a streamed
// one shares with it, and error documents. Tolerant of what compatible servers do differently
// (arguments sent as an object, content as a list of parts, an error inside a 200).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "secpilot/model/chat.hpp"
#include "secpilot/model/model_options.hpp"
#include "secpilot/util/expected.hpp"

namespace secpilot::model::detail {

// The body of POST .../chat/completions.
std::string request_body(const ChatRequest& request, const ModelOptions& options);

// A non-streamed response.
Expected<ChatCompletion> parse_completion(std::string_view body);

// Every tool call needs an id to be answered; some servers send none: "call_<position>".
void assign_missing_ids(std::vector<ModelToolCall>& calls);

// `usage` of a response or of a stream's last chunk; nullopt when absent or not an object.
std::optional<Usage> parse_usage(const boost::json::value* usage);

// Text of a `content` field: a string, or the text parts of a list; nullopt for null.
std::optional<std::string> content_text(const boost::json::value& content);

// `function.arguments` as text: a string as is, anything else (Ollama's native form is an
// object) serialised.
std::string arguments_text(const boost::json::value& arguments);

// What an error document says, as far as it can be read: OpenAI and Azure
// {"error":{"message","code","param"}}, Ollama {"error":"..."}, vLLM {"message","code"}.
struct ErrorBody {
  std::string message;  // cut to a readable length; empty when there is none
  std::string code;     // "content_filter", "insufficient_quota", "DeploymentNotFound", ...
};
ErrorBody parse_error_body(std::string_view body);
// The same, from an already parsed document (an error event inside a stream).
ErrorBody error_from_json(const boost::json::value& document);

}  // namespace secpilot::model::detail
