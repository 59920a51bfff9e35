// Base64 as droppers write it: both alphabets, optional padding, wrapped lines.
#include <gtest/gtest.h>

#include "script_analysis/base64.hpp"

namespace script_analysis {
namespace {

TEST(Base64, DecodesStandardAndUrlSafeAlphabets) {
  EXPECT_EQ(decode_base64("aGVsbG8gd29ybGQ="), "hello world");
  EXPECT_EQ(decode_base64("-_-_"), decode_base64("+/+/"));
}

TEST(Base64, PaddingIsOptionalAndWhitespaceIgnored) {
  EXPECT_EQ(decode_base64("aGVsbG8"), "hello");
  EXPECT_EQ(decode_base64("aGVs\r\nbG8g\n d29y bGQ="), "hello world");
}

TEST(Base64, RejectsWhatNoEncoderWrites) {
  EXPECT_FALSE(decode_base64("aGVsbG8*"));      // a stray character
  EXPECT_FALSE(decode_base64("aGVsbG8=aGVs"));  // data after padding
  EXPECT_FALSE(decode_base64("aGVsb"));         // 4n + 1 symbols
}

TEST(Base64, EncodeRoundTripsEveryByte) {
  std::string bytes;
  for (int i = 0; i < 256; ++i)
    bytes.push_back(static_cast<char>(i));
  for (size_t length = 0; length < 8; ++length)
    EXPECT_EQ(decode_base64(encode_base64(bytes.substr(0, length))), bytes.substr(0, length));
  EXPECT_EQ(decode_base64(encode_base64(bytes)), bytes);
}

}  // namespace
}  // namespace script_analysis
