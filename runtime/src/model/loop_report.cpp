#include "model/loop_report.hpp"

#include <boost/json/serialize.hpp>

#include "model/tool_envelope.hpp"

namespace secpilot::model::detail {
namespace {

constexpr std::size_t kShownArguments = 200;

std::string why(const StopState& state, const LoopLimits& limits) {
  const std::string before = " before the model gave a final answer.";
  switch (state.stop) {
    case LoopStop::round_limit:
      return "stopped after " + std::to_string(state.rounds) +
             " rounds: the limit (model.loop.max_rounds = " + std::to_string(limits.max_rounds) +
             ") was reached" + before;
    case LoopStop::tool_call_limit:
      return "stopped after " + std::to_string(state.calls_run) +
             " tool calls: the limit (model.loop.max_tool_calls = " +
             std::to_string(limits.max_tool_calls) + ") was reached and " +
             std::to_string(state.calls_refused) + " more were not run," + before;
    case LoopStop::token_limit:
      return "stopped after " + std::to_string(state.tokens) +
             " tokens: the limit (model.loop.max_total_tokens = " +
             std::to_string(limits.max_total_tokens) + ") was reached" + before;
    case LoopStop::time_limit:
      return "stopped after " + std::to_string(state.elapsed.count() / 1000) +
             " seconds: the limit (model.loop.time_limit_seconds = " +
             std::to_string(limits.time_limit.count()) + ") was reached" + before;
    case LoopStop::cancelled:
      return "stopped: the request was cancelled" + before;
    default:
      return "stopped" + before;
  }
}

std::string shown_arguments(const boost::json::value& arguments) {
  std::string text = arguments.is_string() ? std::string(arguments.as_string())
                                           : boost::json::serialize(arguments);
  if (text.size() > kShownArguments) text = std::string(utf8_prefix(text, kShownArguments)) + "...";
  return text;
}

}  // namespace

std::string partial_answer(const StopState& state, const LoopLimits& limits,
                           const std::vector<CallRecord>& calls) {
  std::string out = why(state, limits);
  if (calls.empty()) {
    out += "\n\nNo tool was called.";
  } else {
    out += "\n\nTool calls (" + std::to_string(calls.size()) + "):";
    for (const CallRecord& call : calls) {
      out += "\n- " + call.tool + " " + shown_arguments(call.arguments) + " [" + call.id +
             ", round " + std::to_string(call.round) +
             "]: " + std::string(call_outcome_name(call.outcome));
      if (!call.error.empty()) out += ": " + call.error;
    }
  }
  if (state.last_text && !state.last_text->empty())
    out += "\n\nThe model's last message: " + *state.last_text;
  return out;
}

std::string cut_answer(LoopStop stop, const std::optional<std::string>& text) {
  const std::string said = text.value_or("");
  if (stop == LoopStop::content_filter)
    return "The model provider's content filter stopped the answer." +
           (said.empty() ? std::string() : "\n\nWhat came before it:\n" + said);
  if (stop == LoopStop::length)
    return said +
           "\n\n[the answer was cut short: the model reached its limit for one response "
           "(model.max_tokens)]";
  return said;
}

}  // namespace secpilot::model::detail
