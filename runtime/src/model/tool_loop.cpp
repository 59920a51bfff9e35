// One run: ask the model, answer every tool call it makes (a tool message per tool_call_id, in
// order, even for calls that could not run), repeat. The limits are checked before anything
// costly: before each request, and before running the calls a reply asks for.
#include "secpilot/model/tool_loop.hpp"

#include <algorithm>
#include <array>
#include <exception>
#include <set>

#include <boost/json/parse.hpp>

#include "model/bounded_parallel.hpp"
#include "model/loop_report.hpp"
#include "model/tool_envelope.hpp"
#include "secpilot/model/function_names.hpp"

namespace secpilot::model {
namespace {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kShownRawArguments = 200;
constexpr std::size_t kListedTools = 20;

class Loop {
 public:
  Loop(const ChatModel& model, const LoopInput& input, ToolExecutor& executor,
       const LoopOptions& options)
      : model_(model),
        input_(input),
        executor_(executor),
        options_(options),
        limits_(options.limits) {}

  Expected<LoopResult> run();

 private:
  std::string redact(std::string_view text) const {
    return options_.redact ? options_.redact(text) : std::string(text);
  }
  Clock::time_point now() const { return options_.now ? options_.now() : Clock::now(); }
  bool cancelled() const { return options_.cancelled && options_.cancelled->load(); }

  Outcome prepare();
  // Records the calls of `completion`; sets `record.outcome` for those that cannot run.
  std::vector<std::size_t> record_calls(const ChatCompletion& completion);
  void run_calls(std::vector<std::size_t> runnable);
  void answer_calls(std::size_t first);
  LoopResult finish(const ChatCompletion& completion);  // the model answered
  LoopResult stop(LoopStop why);                        // a limit or cancellation

  const ChatModel& model_;
  const LoopInput& input_;
  ToolExecutor& executor_;
  const LoopOptions& options_;
  const LoopLimits& limits_;

  FunctionNames names_;
  ChatRequest request_;
  LoopResult result_;
  Clock::time_point start_;
  Clock::time_point deadline_;
  int calls_run_ = 0;
  int calls_refused_ = 0;
  std::optional<std::string> last_text_;
};

Outcome Loop::prepare() {
  if (input_.user_prompt.find_first_not_of(" \t\r\n") == std::string::npos)
    return make_error(Status::invalid_input, "the prompt is empty — ask a question");
  std::set<std::string, std::less<>> seen;
  for (const ToolSpec& tool : input_.tools) {
    if (!seen.insert(tool.name).second)
      return make_error(Status::invalid_input,
                        "the tool '" + tool.name + "' is offered twice — offer each tool once");
    request_.tools.push_back({names_.add(tool.name), redact(tool.description), tool.parameters});
  }
  std::string system = redact(input_.system_prompt);
  if (!system.empty()) system += "\n\n";
  request_.messages.push_back(ChatMessage::system(system + std::string(detail::kEnvelopeNotice)));
  for (ChatMessage message : input_.history) {
    if (message.content) message.content = redact(*message.content);
    request_.messages.push_back(std::move(message));
  }
  request_.messages.push_back(ChatMessage::user(redact(input_.user_prompt)));
  return Done{};
}

Expected<LoopResult> Loop::run() {
  if (auto ready = prepare(); !ready) return std::move(ready).error();
  start_ = now();
  deadline_ = start_ + limits_.time_limit;
  for (;;) {
    if (cancelled()) return stop(LoopStop::cancelled);
    const auto before = now();
    if (before >= deadline_) return stop(LoopStop::time_limit);
    ++result_.rounds;
    CallControl control;
    control.deadline = Clock::now() + (deadline_ - before);  // the model's clock is the real one
    control.cancelled = options_.cancelled;
    control.on_text = options_.on_text;
    auto completion = model_.complete(request_, control);
    if (!completion) {
      Error error = std::move(completion).error();
      if (error.status == Status::cancelled) return stop(LoopStop::cancelled);
      if (error.status == Status::timeout && now() >= deadline_) return stop(LoopStop::time_limit);
      error.message = "round " + std::to_string(result_.rounds) +
                      (calls_run_ > 0 ? " (after " + std::to_string(calls_run_) + " tool calls)"
                                      : std::string()) +
                      ": " + error.message;
      return error;
    }
    if (completion->usage) {
      result_.usage.prompt_tokens += completion->usage->prompt_tokens;
      result_.usage.completion_tokens += completion->usage->completion_tokens;
      result_.usage.total_tokens += completion->usage->total_tokens;
    }
    last_text_ = completion->content;
    request_.messages.push_back(
        ChatMessage::assistant(completion->content, completion->tool_calls));

    if (completion->tool_calls.empty()) return finish(*completion);

    const std::size_t first = result_.calls.size();
    const std::vector<std::size_t> runnable = record_calls(*completion);
    if (limits_.max_total_tokens > 0 && result_.usage.total_tokens >= limits_.max_total_tokens)
      return stop(LoopStop::token_limit);
    if (result_.rounds >= limits_.max_rounds) return stop(LoopStop::round_limit);
    if (now() >= deadline_) return stop(LoopStop::time_limit);
    if (cancelled()) return stop(LoopStop::cancelled);

    run_calls(runnable);
    if (calls_refused_ > 0) return stop(LoopStop::tool_call_limit);
    answer_calls(first);
  }
}

std::vector<std::size_t> Loop::record_calls(const ChatCompletion& completion) {
  std::vector<std::size_t> runnable;
  for (const ModelToolCall& call : completion.tool_calls) {
    CallRecord record;
    record.round = result_.rounds;
    record.id = call.id;
    record.function = call.name;
    const auto tool = names_.find(call.name);
    record.tool = tool ? input_.tools[*tool].name : call.name;
    boost::system::error_code ec;
    const bool blank = call.arguments.find_first_not_of(" \t\r\n") == std::string::npos;
    json::value arguments = blank ? json::value(json::object()) : json::parse(call.arguments, ec);
    if (!ec && arguments.is_object()) {
      record.arguments = std::move(arguments);
    } else {
      record.arguments = call.arguments;
      record.outcome = CallOutcome::rejected;
      record.error = "the arguments are not a JSON object" +
                     (ec ? " (" + ec.message() + ")" : std::string()) + ": " +
                     std::string(detail::utf8_prefix(call.arguments, kShownRawArguments)) +
                     " — send the arguments as one JSON object that matches the tool's "
                     "parameters";
    }
    if (!tool) {
      std::string known;
      for (std::size_t i = 0; i < names_.size() && i < kListedTools; ++i)
        known += (i ? ", " : "") + names_.function_name(i);
      record.outcome = CallOutcome::rejected;
      record.error = "there is no tool '" + call.name + "' — call only the tools offered" +
                     (known.empty() ? std::string(" (none are)") : ": " + known);
    }
    if (record.outcome != CallOutcome::rejected) runnable.push_back(result_.calls.size());
    result_.calls.push_back(std::move(record));
  }
  return runnable;
}

void Loop::run_calls(std::vector<std::size_t> runnable) {
  // Calls beyond max_tool_calls stay not_run; the loop stops after this round.
  const auto budget = static_cast<std::size_t>(std::max(0, limits_.max_tool_calls - calls_run_));
  if (runnable.size() > budget) {
    calls_refused_ += static_cast<int>(runnable.size() - budget);
    runnable.resize(budget);
  }
  detail::run_bounded(
      runnable.size(), static_cast<std::size_t>(limits_.max_parallel_calls), [&](std::size_t i) {
        CallRecord& record = result_.calls[runnable[i]];
        ToolResult outcome;
        try {
          outcome = executor_.call({record.id, record.tool, record.arguments.as_object()});
        } catch (const std::exception& e) {
          outcome = ToolResult::failure(std::string("the tool failed: ") + e.what());
        } catch (...) {
          outcome = ToolResult::failure("the tool failed");
        }
        record.outcome = outcome.ok ? CallOutcome::ok : CallOutcome::failed;
        record.output = std::move(outcome.output);
        record.error = redact(outcome.error);
      });
  calls_run_ += static_cast<int>(runnable.size());
}

void Loop::answer_calls(std::size_t first) {
  const std::size_t budget = limits_.max_tool_output_bytes;
  for (std::size_t i = first; i < result_.calls.size(); ++i) {
    const CallRecord& call = result_.calls[i];
    request_.messages.push_back(
        ChatMessage::tool(call.id, call.outcome == CallOutcome::ok
                                       ? detail::wrap_output(call.tool, redact(call.output), budget)
                                       : detail::wrap_error(call.tool, call.error, budget)));
  }
}

LoopResult Loop::finish(const ChatCompletion& completion) {
  const LoopStop why = completion.finish_reason == FinishReason::content_filter
                           ? LoopStop::content_filter
                       : completion.finish_reason == FinishReason::length ? LoopStop::length
                                                                          : LoopStop::answered;
  result_.stop = why;
  result_.answer = why == LoopStop::answered ? completion.content.value_or("")
                                             : detail::cut_answer(why, completion.content);
  if (result_.answer.empty()) result_.answer = "The model ended without an answer.";
  result_.transcript = request_.messages;
  return std::move(result_);
}

LoopResult Loop::stop(LoopStop why) {
  detail::StopState state;
  state.stop = why;
  state.rounds = result_.rounds;
  state.calls_run = calls_run_;
  state.calls_refused = calls_refused_;
  state.tokens = result_.usage.total_tokens;
  state.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(now() - start_);
  state.last_text = last_text_;
  result_.stop = why;
  result_.answer = detail::partial_answer(state, limits_, result_.calls);
  result_.transcript = request_.messages;
  return std::move(result_);
}

}  // namespace

std::string_view call_outcome_name(CallOutcome outcome) noexcept {
  static constexpr std::array<std::string_view, 4> names = {"ok", "failed", "rejected", "not run"};
  return names[static_cast<std::size_t>(outcome)];
}

std::string_view loop_stop_name(LoopStop stop) noexcept {
  static constexpr std::array<std::string_view, 8> names = {
      "answered",        "length",      "content_filter", "round_limit",
      "tool_call_limit", "token_limit", "time_limit",     "cancelled"};
  return names[static_cast<std::size_t>(stop)];
}

std::vector<CallRecord> LoopResult::sources() const {
  std::vector<CallRecord> out;
  for (const CallRecord& call : calls)
    if (call.outcome == CallOutcome::ok) out.push_back(call);
  return out;
}

Expected<LoopResult> run_tool_loop(const ChatModel& model, const LoopInput& input,
                                   ToolExecutor& executor, const LoopOptions& options) {
  return Loop(model, input, executor, options).run();
}

}  // namespace secpilot::model
