// Server-sent events and streamed chat chunks, fed in pieces of every size: what arrives over TCP
// is never aligned with lines or events.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "model/stream_accumulator.hpp"
#include "net/sse_parser.hpp"

namespace secpilot::model::detail {
namespace {

using net::SseEvent;
using net::SseParser;

std::vector<SseEvent> parse_in_pieces(std::string_view bytes, std::size_t piece) {
  SseParser parser;
  std::vector<SseEvent> events;
  const auto collect = [&](const SseEvent& event) {
    events.push_back(event);
    return true;
  };
  for (std::size_t at = 0; at < bytes.size(); at += piece)
    EXPECT_TRUE(parser.feed(bytes.substr(at, piece), collect));
  EXPECT_TRUE(parser.finish(collect));
  return events;
}

TEST(SseParser, SplitsEventsTheSameWayWhateverThePieceSize) {
  const std::string stream =
      ": keep-alive\r\n\r\n"
      "event: message\r\ndata: {\"a\":1}\r\n\r\n"
      "data: first line\ndata: second line\n\n"
      "id: 7\rretry: 1000\rdata:no space\r\r"
      "data: [DONE]\n\n";
  for (const std::size_t piece : {std::size_t{1}, std::size_t{2}, std::size_t{5}, stream.size()}) {
    const auto events = parse_in_pieces(stream, piece);
    ASSERT_EQ(events.size(), 4u) << "piece size " << piece;
    EXPECT_EQ(events[0].event, "message");
    EXPECT_EQ(events[0].data, "{\"a\":1}");
    EXPECT_EQ(events[1].data, "first line\nsecond line");
    EXPECT_EQ(events[2].data, "no space");
    EXPECT_EQ(events[3].data, "[DONE]");
  }
}

TEST(SseParser, DispatchesALastEventThatLacksItsBlankLine) {
  const auto events = parse_in_pieces("data: {\"x\":2}\n\ndata: [DONE]\n", 3);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].data, "[DONE]");
}

// What a client resumes from (Last-Event-ID): the id of the last event, with data or without (a
// priming event is an id and no data), kept until another id replaces it.
TEST(SseParser, KeepsTheLastEventIdFromOneEventToTheNext) {
  SseParser parser;
  std::vector<std::string> ids;
  const auto collect = [&](const SseEvent&) {
    ids.push_back(parser.last_event_id());
    return true;
  };
  EXPECT_EQ(parser.last_event_id(), "");
  EXPECT_TRUE(parser.feed("id: s1_0\ndata:\n\n", collect));
  EXPECT_EQ(parser.last_event_id(), "s1_0") << "a priming event sets it";
  EXPECT_TRUE(parser.feed("data: a\n\nid: s1_2\ndata: b\n\nid\n", collect));
  EXPECT_TRUE(parser.feed("data: c\n\n", collect));
  EXPECT_EQ(ids, (std::vector<std::string>{"s1_0", "s1_0", "s1_2", ""}))
      << "an empty id: line resets it";
}

TEST(SseParser, StopsAtALineLongerThanItsLimit) {
  SseParser parser(16);
  EXPECT_FALSE(parser.feed("data: " + std::string(32, 'x'), [](const SseEvent&) { return true; }));
  EXPECT_TRUE(parser.overflowed());
}

// Feeds chunk documents as events.
ChatCompletion accumulate(const std::vector<std::string>& chunks) {
  StreamAccumulator accumulator;
  for (const std::string& chunk : chunks) {
    auto added = accumulator.add({"", chunk});
    EXPECT_TRUE(added) << added.error().message;
  }
  return accumulator.take();
}

TEST(StreamAccumulator, TellsApartCallsThatReuseIndexZeroByTheirIds) {
  const auto completion = accumulate({
      R"({"choices":[{"index":0,"delta":{"tool_calls":[{"id":"call_a","index":0,"type":"function","function":{"name":"f","arguments":"{\"n\":1}"}}]}}]})",
      R"({"choices":[{"index":0,"delta":{"tool_calls":[{"id":"call_b","index":0,"type":"function","function":{"name":"f","arguments":"{\"n\":2}"}}]}}]})",
      R"({"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]})",
  });
  ASSERT_EQ(completion.tool_calls.size(), 2u);
  EXPECT_EQ(completion.tool_calls[0], (ModelToolCall{"call_a", "f", R"({"n":1})"}));
  EXPECT_EQ(completion.tool_calls[1], (ModelToolCall{"call_b", "f", R"({"n":2})"}));
  EXPECT_EQ(completion.finish_reason, FinishReason::tool_calls);
}

TEST(StreamAccumulator, AppendsFragmentsWithoutAnIdToTheCallOpenAtTheirIndex) {
  const auto completion = accumulate({
      R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_a","function":{"name":"f","arguments":""}}]}}]})",
      R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_b","function":{"name":"g","arguments":"[1"}}]}}]})",
      R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{}"}}]}}]})",
      R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":",2]"}}]}}]})",
  });
  ASSERT_EQ(completion.tool_calls.size(), 2u);
  EXPECT_EQ(completion.tool_calls[0].arguments, "{}");
  EXPECT_EQ(completion.tool_calls[1].arguments, "[1,2]");
}

TEST(StreamAccumulator, GivesIdsToCallsThatCameWithoutAndReadsObjectArguments) {
  const auto completion = accumulate({
      R"({"choices":[{"index":0,"delta":{"tool_calls":[{"function":{"name":"f","arguments":{"n":1}}}]},"finish_reason":"stop"}]})",
  });
  ASSERT_EQ(completion.tool_calls.size(), 1u);
  EXPECT_EQ(completion.tool_calls[0].id, "call_1");
  EXPECT_EQ(completion.tool_calls[0].arguments, R"({"n":1})");
  // Older Ollama builds end a tool-calling turn with "stop": the calls still count.
  EXPECT_EQ(completion.finish_reason, FinishReason::stop);
}

TEST(StreamAccumulator, ReadsTextUsageAndIgnoresChunksWithoutChoices) {
  std::string streamed;
  StreamAccumulator accumulator([&](std::string_view text) { streamed += text; });
  for (
      const char* chunk : {
          R"({"choices":[],"id":"","model":"","prompt_filter_results":[]})",
          R"({"id":"c1","model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"}}]})",
          R"({"id":"c1","model":"m","choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":"stop"}]})",
          R"({"id":"c1","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}})",
      })
    ASSERT_TRUE(accumulator.add({"", chunk}));
  ASSERT_TRUE(accumulator.add({"", "[DONE]"}));
  EXPECT_TRUE(accumulator.done());
  const auto completion = accumulator.take();
  EXPECT_EQ(completion.id, "c1");
  EXPECT_EQ(completion.content, "Hello");
  EXPECT_EQ(streamed, "Hello");
  ASSERT_TRUE(completion.usage);
  EXPECT_EQ(completion.usage->total_tokens, 7);
}

TEST(StreamAccumulator, ReportsAnErrorEventAndAChunkThatIsNotJson) {
  StreamAccumulator accumulator;
  auto error = accumulator.add(
      {"", R"({"error":{"message":"The server had an error","type":"server_error"}})"});
  ASSERT_FALSE(error);
  EXPECT_NE(error.error().message.find("The server had an error"), std::string::npos);
  auto garbage = accumulator.add({"", "{not json"});
  ASSERT_FALSE(garbage);
  EXPECT_EQ(garbage.error().status, Status::upstream);
}

TEST(StreamAccumulator, SaysWhereTheStreamStoodWhenItBreaksOff) {
  StreamAccumulator accumulator;
  EXPECT_EQ(accumulator.progress(), "before sending any data");
  ASSERT_TRUE(accumulator.add(
      {"",
       R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_x","function":{"name":"ti__ip_reputation","arguments":"{\"ip\":"}}]}}]})"}));
  EXPECT_EQ(accumulator.progress(),
            "in the middle of the tool call 'ti__ip_reputation' (id call_x, 6 bytes of arguments "
            "so far)");
}

TEST(StreamAccumulator, StopsKeepingAnAnswerBeyondItsLimit) {
  StreamAccumulator accumulator({}, 8);
  auto added =
      accumulator.add({"", R"({"choices":[{"index":0,"delta":{"content":"0123456789"}}]})"});
  ASSERT_FALSE(added);
  EXPECT_EQ(added.error().status, Status::too_large);
}

}  // namespace
}  // namespace secpilot::model::detail
