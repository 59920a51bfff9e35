// The loop's limits, cancellation and input checks, against a model replayed from memory: each
// limit ends the run with a partial answer that says which one, never a silent loop.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "model/loop_test_support.hpp"

namespace secpilot::model {
namespace {

using testing::answers;
using testing::asks_for;
using testing::ScriptedModel;
using testing::ThreatIntelTools;

ModelToolCall ip_call(std::string id, const std::string& ip) {
  return {std::move(id), "ti__ip_reputation", "{\"ip\":\"" + ip + "\"}"};
}

class ToolLoopLimits : public ::testing::Test {
 protected:
  Expected<LoopResult> run(std::string prompt = "Check these addresses") {
    LoopInput input;
    input.user_prompt = std::move(prompt);
    input.tools = testing::threat_intel_tools();
    return run_tool_loop(model_, input, tools_, options_);
  }

  ScriptedModel model_;
  ThreatIntelTools tools_;
  LoopOptions options_;
};

TEST_F(ToolLoopLimits, TheToolCallLimitRunsWhatFitsAndSaysWhatDidNot) {
  options_.limits.max_tool_calls = 2;
  model_.then(asks_for(
      {ip_call("c1", "203.0.113.1"), ip_call("c2", "203.0.113.2"), ip_call("c3", "203.0.113.3")}));
  auto result = run();
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->stop, LoopStop::tool_call_limit);
  EXPECT_EQ(tools_.calls().size(), 2u);
  EXPECT_EQ(result->calls[2].outcome, CallOutcome::not_run);
  EXPECT_TRUE(result->answer.starts_with(
      "stopped after 2 tool calls: the limit (model.loop.max_tool_calls = 2) was reached and 1 "
      "more were not run"))
      << result->answer;
  EXPECT_EQ(result->sources().size(), 2u);
}

TEST_F(ToolLoopLimits, TheTokenLimitStopsBeforeRunningMoreCalls) {
  options_.limits.max_total_tokens = 1000;
  model_.then(asks_for({ip_call("c1", "203.0.113.1")}, 600));
  model_.then(asks_for({ip_call("c2", "203.0.113.2")}, 600));
  auto result = run();
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->stop, LoopStop::token_limit);
  EXPECT_EQ(result->usage.total_tokens, 1200);
  EXPECT_EQ(tools_.calls().size(), 1u);
  EXPECT_TRUE(
      result->answer.starts_with("stopped after 1200 tokens: the limit "
                                 "(model.loop.max_total_tokens = 1000) was reached"))
      << result->answer;
}

TEST_F(ToolLoopLimits, TheTimeLimitIsCheckedBeforeEachRequest) {
  // A clock that only moves when a tool runs: 100 s per call.
  auto clock = std::make_shared<std::chrono::steady_clock::time_point>();
  options_.now = [clock] { return *clock; };
  tools_.on_call = [clock](const ToolCall&) { *clock += std::chrono::seconds(100); };
  options_.limits.time_limit = std::chrono::seconds(150);
  model_.then(asks_for({ip_call("c1", "203.0.113.1")}));
  model_.then(asks_for({ip_call("c2", "203.0.113.2")}));
  model_.then(answers("never asked"));
  auto result = run();
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->stop, LoopStop::time_limit);
  EXPECT_EQ(model_.requests().size(), 2u);
  EXPECT_TRUE(
      result->answer.starts_with("stopped after 200 seconds: the limit "
                                 "(model.loop.time_limit_seconds = 150) was reached"))
      << result->answer;
}

TEST_F(ToolLoopLimits, CancellationStopsTheRunBetweenRounds) {
  auto cancelled = std::make_shared<std::atomic<bool>>(false);
  options_.cancelled = cancelled;
  tools_.on_call = [cancelled](const ToolCall&) { cancelled->store(true); };
  model_.then(asks_for({ip_call("c1", "203.0.113.1")}));
  auto result = run();
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->stop, LoopStop::cancelled);
  EXPECT_EQ(model_.requests().size(), 1u);
  EXPECT_TRUE(result->answer.starts_with("stopped: the request was cancelled"));
}

TEST_F(ToolLoopLimits, EveryCallIsAnsweredInOrderWhateverBecameOfIt) {
  model_.then(asks_for({ip_call("ok", "203.0.113.7"),
                        {"unknown", "ti__whois", "{}"},
                        {"broken", "ti__ip_reputation", "{\"ip\":"},
                        {"refused", "ti__ip_reputation", "{\"ip\":5}"}}));
  model_.then(answers("done"));
  auto result = run();
  ASSERT_TRUE(result) << result.error().message;
  const auto sent = model_.requests().at(1).messages;
  ASSERT_EQ(sent.size(), 7u);  // system, user, assistant, four tool messages
  EXPECT_EQ(sent[2].role, Role::assistant);
  const std::vector<std::string> ids = {"ok", "unknown", "broken", "refused"};
  for (std::size_t i = 0; i < ids.size(); ++i) {
    EXPECT_EQ(sent[3 + i].role, Role::tool);
    EXPECT_EQ(sent[3 + i].tool_call_id, ids[i]);
  }
  EXPECT_EQ(result->calls[0].outcome, CallOutcome::ok);
  EXPECT_EQ(result->calls[1].outcome, CallOutcome::rejected);
  EXPECT_EQ(result->calls[2].outcome, CallOutcome::rejected);
  EXPECT_EQ(result->calls[3].outcome, CallOutcome::failed);  // the executor validates
  EXPECT_EQ(result->calls[3].error, "/ip: expected string");
  EXPECT_EQ(result->sources().size(), 1u);
}

TEST_F(ToolLoopLimits, AnAnswerCutAtMaxTokensSaysSo) {
  model_.then(answers("The address is", FinishReason::length));
  auto result = run();
  ASSERT_TRUE(result);
  EXPECT_EQ(result->stop, LoopStop::length);
  EXPECT_TRUE(result->answer.starts_with("The address is\n\n[the answer was cut short"));
}

TEST_F(ToolLoopLimits, AModelErrorNamesTheRoundAndTheCallsBehindIt) {
  model_.then(asks_for({ip_call("c1", "203.0.113.1")}));
  model_.then(make_error(Status::unauthorized, "the model endpoint refused the API key"));
  auto result = run();
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().status, Status::unauthorized);
  EXPECT_EQ(result.error().message,
            "round 2 (after 1 tool calls): the model endpoint refused the API key");
}

TEST_F(ToolLoopLimits, RefusesAnEmptyPromptAndToolsOfferedTwice) {
  EXPECT_EQ(run("  ").error().status, Status::invalid_input);
  LoopInput input;
  input.user_prompt = "hi";
  input.tools = testing::threat_intel_tools();
  input.tools.push_back(input.tools.front());
  auto twice = run_tool_loop(model_, input, tools_, options_);
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().message,
            "the tool 'ti.ip_reputation' is offered twice — offer each tool once");
  EXPECT_TRUE(model_.requests().empty());
}

TEST_F(ToolLoopLimits, HistoryComesBetweenTheSystemPromptAndThePrompt) {
  model_.then(answers("the second one"));
  LoopInput input;
  input.system_prompt = "sys";
  input.history = {ChatMessage::user("look up 203.0.113.1 and 203.0.113.2"),
                   ChatMessage::assistant("both unknown", {})};
  input.user_prompt = "which was the second IP?";
  ASSERT_TRUE(run_tool_loop(model_, input, tools_, options_));
  const auto sent = model_.requests().at(0).messages;
  ASSERT_EQ(sent.size(), 4u);
  EXPECT_EQ(sent[1].content, "look up 203.0.113.1 and 203.0.113.2");
  EXPECT_EQ(sent[3].content, "which was the second IP?");
}

}  // namespace
}  // namespace secpilot::model
