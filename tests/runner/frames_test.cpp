// The daemon <-> runner frames: whole messages in any chunking, and garbage refused for good.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

#include "runner/frame_writer.hpp"
#include "runner/frames.hpp"

namespace secpilot::runner {
namespace {

TEST(Frames, MessagesSurviveAnyChunking) {
  const std::string stream = encode_frame(R"({"type":"invoke","id":1,"input":"{\"a\":1}"})") +
                             encode_frame(boost::json::object{{"type", "cancel"}, {"id", 1}});
  for (std::size_t chunk : {1, 3, 7, 1000}) {
    FrameDecoder decoder;
    std::vector<std::string> types;
    for (std::size_t at = 0; at < stream.size(); at += chunk) {
      decoder.feed(std::string_view(stream).substr(at, chunk));
      while (true) {
        auto next = decoder.next();
        ASSERT_TRUE(next) << next.error().message;
        if (!*next) break;
        types.emplace_back((**next).at("type").as_string());
      }
    }
    EXPECT_EQ(types, (std::vector<std::string>{"invoke", "cancel"})) << "chunk " << chunk;
    EXPECT_EQ(decoder.pending_bytes(), 0u);
  }
}

TEST(Frames, AnOversizedLengthIsRefusedBeforeAnyAllocation) {
  FrameDecoder decoder(1024);
  decoder.feed(std::string("\x00\x00\x04\x01{}", 6));
  auto next = decoder.next();
  ASSERT_FALSE(next);
  EXPECT_NE(next.error().message.find("1025 bytes, over the limit of 1024"), std::string::npos);
  // Out of step for good, even if good frames follow.
  decoder.feed(encode_frame(R"({"type":"x"})"));
  EXPECT_FALSE(decoder.next());
}

TEST(Frames, TextThatIsNotAMessageIsRefused) {
  for (const char* text : {"not json", "[1,2]", R"({"id":1})", R"({"type":3})"}) {
    FrameDecoder decoder;
    decoder.feed(encode_frame(std::string_view(text)));
    EXPECT_FALSE(decoder.next()) << text;
  }
}

// The frame writer is a shortcut past boost::json::object: it must make the very same bytes,
// for every byte a string can hold (escapes, control characters, UTF-8, invalid UTF-8).
TEST(Frames, TheFrameWriterMakesWhatTheSerializerMakes) {
  std::string every_byte;
  for (int c = 0; c < 256; ++c)
    every_byte.push_back(static_cast<char>(c));
  const std::string texts[] = {"",
                               "plain",
                               R"({"indicator":"203.0.113.45","tags":["c2"]})",
                               "quote \" backslash \\ slash / tab \t newline \n",
                               "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x92",
                               every_byte,
                               std::string(100'000, 'x') + "\x01" + std::string(3, '"')};
  const std::int64_t numbers[] = {0,
                                  1,
                                  -1,
                                  30000,
                                  std::numeric_limits<std::int64_t>::max(),
                                  std::numeric_limits<std::int64_t>::min()};
  std::string buffer = "left over from the last frame";
  for (const auto& text : texts)
    for (const auto number : numbers) {
      const auto id = static_cast<std::uint64_t>(number) * 7919u;
      FrameWriter writer(buffer);
      writer.string("type", "invoke").number("id", id).string("input", text);
      writer.number("timeoutMs", number).string("key \"\n", text);
      const std::string expected = encode_frame(boost::json::object{{"type", "invoke"},
                                                                    {"id", id},
                                                                    {"input", text},
                                                                    {"timeoutMs", number},
                                                                    {"key \"\n", text}});
      ASSERT_EQ(std::string(writer.finish()), expected) << text.size() << " " << number;
    }
  // An empty object, and what the decoder makes of a written frame (valid UTF-8 this time: the
  // decoder checks it).
  EXPECT_EQ(std::string(FrameWriter(buffer).finish()), encode_frame(boost::json::object{}));
  const std::string text = every_byte.substr(0, 128) + texts[4];
  FrameWriter writer(buffer);
  writer.string("type", "result").number("id", std::uint64_t{42}).string("result", text);
  FrameDecoder decoder;
  decoder.feed(writer.finish());
  auto next = decoder.next();
  ASSERT_TRUE(next && *next);
  EXPECT_EQ(message_number(**next, "id"), 42);
  EXPECT_EQ(message_string(**next, "result"), text);
}

}  // namespace
}  // namespace secpilot::runner
