#include "model/stream_accumulator.hpp"

#include <boost/json/parse.hpp>

#include "model/wire_format.hpp"

namespace secpilot::model::detail {
namespace {

namespace json = boost::json;

std::string text_of(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->as_string()) : std::string();
}

// An `index` field; `absent` when missing or not a whole number.
long long index_of(const json::object& object, long long absent) {
  const json::value* value = object.if_contains("index");
  if (!value) return absent;
  boost::system::error_code ec;
  const auto index = value->to_number<long long>(ec);
  return ec ? absent : index;
}

}  // namespace

StreamAccumulator::StreamAccumulator(std::function<void(std::string_view)> on_text,
                                     std::size_t max_bytes)
    : on_text_(std::move(on_text)), max_bytes_(max_bytes) {}

Outcome StreamAccumulator::add(const net::SseEvent& event) {
  if (event.data.empty()) return Done{};  // a priming or keep-alive event
  if (event.data == "[DONE]") {
    done_ = true;
    return Done{};
  }
  boost::system::error_code ec;
  const json::value document = json::parse(event.data, ec);
  if (ec || !document.is_object())
    return make_error(Status::upstream,
                      "the model endpoint sent a stream event that is not a "
                      "JSON object: " +
                          event.data.substr(0, 200));
  if (event.event == "error" || document.as_object().contains("error"))
    return make_error(Status::upstream, "the model endpoint reported an error in the stream: " +
                                            error_from_json(document).message);
  any_data_ = true;
  return add_chunk(document.as_object());
}

Outcome StreamAccumulator::add_chunk(const json::object& chunk) {
  if (completion_.id.empty()) completion_.id = text_of(chunk, "id");
  if (completion_.model.empty()) completion_.model = text_of(chunk, "model");
  if (auto usage = parse_usage(chunk.if_contains("usage"))) completion_.usage = usage;
  const json::value* choices = chunk.if_contains("choices");
  if (!choices || !choices->is_array()) return Done{};  // usage or filter results only
  for (const json::value& item : choices->as_array()) {
    if (!item.is_object()) continue;
    const json::object& choice = item.as_object();
    if (index_of(choice, 0) != 0) continue;  // only one choice is ever asked for
    if (const std::string reason = text_of(choice, "finish_reason"); !reason.empty())
      finish_reason_ = reason;
    const json::value* delta = choice.if_contains("delta");
    if (!delta || !delta->is_object()) continue;
    const json::object& fields = delta->as_object();
    for (const std::string_view key : {"content", "refusal"}) {
      const json::value* content = fields.if_contains(key);
      if (!content) continue;
      const auto text = content_text(*content);
      if (!text || text->empty()) continue;
      bytes_ += text->size();
      if (!completion_.content) completion_.content.emplace();
      *completion_.content += *text;
      if (on_text_) on_text_(*text);
    }
    add_tool_delta(fields);
  }
  if (bytes_ > max_bytes_)
    return make_error(
        Status::too_large,
        "the model's answer exceeds " + std::to_string(max_bytes_) + " bytes; stopped reading");
  return Done{};
}

void StreamAccumulator::add_tool_delta(const json::object& delta) {
  const json::value* calls = delta.if_contains("tool_calls");
  if (!calls || !calls->is_array()) return;
  for (const json::value& item : calls->as_array()) {
    if (!item.is_object()) continue;
    const json::object& call = item.as_object();
    const long long index = index_of(call, -1);  // servers that omit it (old Ollama): by id
    const std::string id = text_of(call, "id");
    auto open = open_by_index_.find(index);
    // A new call: a new index, or a new id at an index already in use (Ollama).
    if (open == open_by_index_.end() ||
        (!id.empty() && !completion_.tool_calls[open->second].id.empty() &&
         completion_.tool_calls[open->second].id != id)) {
      completion_.tool_calls.emplace_back();
      open = open_by_index_.insert_or_assign(index, completion_.tool_calls.size() - 1).first;
    }
    ModelToolCall& target = completion_.tool_calls[open->second];
    last_call_ = open->second + 1;
    if (target.id.empty()) target.id = id;
    const json::value* function = call.if_contains("function");
    if (!function || !function->is_object()) continue;
    const std::string name = text_of(function->as_object(), "name");
    if (!name.empty() && name != target.name) target.name += name;
    if (const json::value* arguments = function->as_object().if_contains("arguments")) {
      const std::string piece = arguments_text(*arguments);
      bytes_ += piece.size();
      target.arguments += piece;
    }
  }
}

std::string StreamAccumulator::progress() const {
  if (!any_data_) return "before sending any data";
  if (last_call_ > 0 && !finished()) {
    const ModelToolCall& call = completion_.tool_calls[last_call_ - 1];
    return "in the middle of the tool call '" + call.name + "' (id " +
           (call.id.empty() ? std::string("none") : call.id) + ", " +
           std::to_string(call.arguments.size()) + " bytes of arguments so far)";
  }
  const std::size_t text = completion_.content ? completion_.content->size() : 0;
  if (!finished()) return "in the middle of the answer (" + std::to_string(text) + " bytes so far)";
  return "after the answer, before [DONE]";
}

ChatCompletion StreamAccumulator::take() {
  completion_.finish_reason_text = finish_reason_;
  completion_.finish_reason = finish_reason_from_name(finish_reason_);
  assign_missing_ids(completion_.tool_calls);
  open_by_index_.clear();
  last_call_ = 0;
  return std::move(completion_);
}

}  // namespace secpilot::model::detail
