// The bounded function-calling loop: the model is offered tools, asks for calls, gets their
// results, and repeats until it answers or a limit (rounds, tool calls, tokens, time) stops it
// with a partial answer that says so. The loop knows tools only through ToolExecutor, so it can
// run (and be tested) without the skills catalog. docs/model.md describes it.
//
// What the model sees: the system prompt (with a note on how tool results are framed), the
// prompt, the tools' names (mapped to function names), descriptions and JSON Schemas, and each
// tool's output inside an envelope that labels it untrusted data, cut to a budget. Everything the
// host sends passes through `redact` first.
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

#include "secpilot/model/chat.hpp"
#include "secpilot/model/model_options.hpp"
#include "secpilot/util/expected.hpp"

namespace secpilot::model {

// A tool the model may call (to the planner, a skill).
struct ToolSpec {
  std::string name;                // "Plugin.Skill"; advertised as a function name
  std::string description;         // what the model reads to choose it
  boost::json::object parameters;  // JSON Schema of the arguments; empty = no arguments
};

// A call for the executor: the model's arguments, parsed, not yet checked against the schema.
struct ToolCall {
  std::string id;    // the model's tool_call_id
  std::string tool;  // ToolSpec::name
  boost::json::object arguments;
};

struct ToolResult {
  bool ok = true;
  std::string output;  // ok: what the tool returned (JSON text, or plain text)
  std::string error;   // !ok: what went wrong, in words the model can act on

  static ToolResult success(std::string output) { return {true, std::move(output), {}}; }
  static ToolResult failure(std::string error) { return {false, {}, std::move(error)}; }
};

class ToolExecutor {
 public:
  virtual ~ToolExecutor() = default;
  // Checks the arguments against the tool's inputs and runs it; a failure is a result, not an
  // exception (one that escapes is answered as a failure). The calls of one round run
  // concurrently, so this must be thread-safe.
  virtual ToolResult call(const ToolCall& call) = 0;
};

struct LoopInput {
  std::string system_prompt;
  std::vector<ChatMessage> history;  // earlier turns of the session, after the system prompt
  std::string user_prompt;
  std::vector<ToolSpec> tools;  // only these may be called; names must be distinct
};

struct LoopOptions {
  LoopLimits limits;
  // Applied to every text the host sends: prompts, history, tool descriptions and outputs,
  // errors. Unset = sent as is.
  std::function<std::string(std::string_view)> redact;
  std::shared_ptr<const std::atomic<bool>> cancelled;  // optional
  std::function<void(std::string_view)> on_text;       // optional: the answer as it streams
  // The clock the time limit is measured on (tests advance their own).
  std::function<std::chrono::steady_clock::time_point()> now;
};

enum class CallOutcome {
  ok,        // ran; its result went to the model
  failed,    // ran, or was refused by the executor; the error went to the model
  rejected,  // never ran: unknown tool or arguments that are not a JSON object
  not_run,   // never ran: a limit stopped the loop first
};
std::string_view call_outcome_name(CallOutcome outcome) noexcept;  // "ok", "failed", ...

// One call the model asked for, and what became of it.
struct CallRecord {
  int round = 0;  // 1-based
  std::string id;
  std::string tool;              // ToolSpec::name, or the unknown name the model used
  std::string function;          // the name the model used
  boost::json::value arguments;  // parsed; the raw text as a string when it was not JSON
  CallOutcome outcome = CallOutcome::not_run;
  std::string output;  // ok: the tool's output as the tool returned it (before the budget)
  std::string error;   // failed or rejected: the message sent to the model
};

enum class LoopStop {
  answered,        // the model gave its final answer
  length,          // the answer was cut at max_tokens
  content_filter,  // the provider's content filter stopped the answer
  round_limit,     // partial answer from here on
  tool_call_limit,
  token_limit,
  time_limit,
  cancelled,
};
std::string_view loop_stop_name(LoopStop stop) noexcept;  // "answered", "round_limit", ...

struct LoopResult {
  LoopStop stop = LoopStop::answered;
  // The model's answer; for any other stop than answered, a partial answer that begins with why
  // it stopped ("stopped after 8 rounds ...") and lists the calls made.
  std::string answer;
  std::vector<CallRecord> calls;        // every call asked for, in order
  int rounds = 0;                       // requests made to the model
  Usage usage;                          // summed over the rounds, as the endpoint reported it
  std::vector<ChatMessage> transcript;  // the messages as last sent, then the model's last reply

  // The calls the answer (or the partial answer) rests on: those that ran successfully.
  std::vector<CallRecord> sources() const;
};

// Runs the loop. Errors: invalid_input (no prompt, tools with duplicate names), and the model's
// own errors (unauthorized, not_found, forbidden, rate_limited, upstream), prefixed with the
// round they happened in. Limits, cancellation and a deadline that passes during a request are
// not errors: they end in a partial answer.
Expected<LoopResult> run_tool_loop(const ChatModel& model, const LoopInput& input,
                                   ToolExecutor& executor, const LoopOptions& options);

}  // namespace secpilot::model
