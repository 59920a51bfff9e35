// The daemon <-> runner frames: whole messages in any chunking, and garbage refused for good.
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace secpilot::runner
