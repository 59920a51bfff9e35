// The answer text when the loop ends without the model's final answer: which limit stopped it,
// what was called and with what outcome, and the model's last words, so that a limit never looks
// like an answer and never passes silently.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "secpilot/model/tool_loop.hpp"

namespace secpilot::model::detail {

struct StopState {
  LoopStop stop = LoopStop::round_limit;
  int rounds = 0;
  int calls_run = 0;
  int calls_refused = 0;  // asked for beyond max_tool_calls
  long long tokens = 0;
  std::chrono::milliseconds elapsed{0};
  std::optional<std::string> last_text;  // the model's last text, if it said anything
};

// "stopped after 3 rounds: the limit (model.loop.max_rounds) was reached before ...", then the
// calls and the model's last text.
std::string partial_answer(const StopState& state, const LoopLimits& limits,
                           const std::vector<CallRecord>& calls);

// The model's text with a note on why it ends where it does (length, content_filter).
std::string cut_answer(LoopStop stop, const std::optional<std::string>& text);

}  // namespace secpilot::model::detail
