// Decoded bytes to text: UTF-16LE (PowerShell's encodings), the text-or-binary test, and the
// display form every result uses.
#include <gtest/gtest.h>

#include "script_analysis/text_encoding.hpp"

namespace script_analysis {
namespace {

std::string utf16le(std::u16string_view text) {
  std::string out;
  for (char16_t unit : text) {
    out.push_back(static_cast<char>(unit & 0xff));
    out.push_back(static_cast<char>(unit >> 8));
  }
  return out;
}

TEST(TextEncoding, Utf16LittleEndianToUtf8) {
  EXPECT_EQ(utf16le_to_utf8(utf16le(u"IEX 'é'")), "IEX '\xC3\xA9'");
  EXPECT_EQ(utf16le_to_utf8(utf16le(u"\xFEFFhi")), "hi");                    // BOM dropped
  EXPECT_EQ(utf16le_to_utf8(utf16le(u"\xD83D\xDE00")), "\xF0\x9F\x98\x80");  // surrogate pair
  EXPECT_EQ(utf16le_to_utf8(std::string("a\0b", 3)), "a\xEF\xBF\xBD");       // odd last byte
}

TEST(TextEncoding, RecognisesUtf16LeText) {
  EXPECT_TRUE(looks_like_utf16le(utf16le(u"Write-Host hello")));
  EXPECT_FALSE(looks_like_utf16le("Write-Host hello"));
  EXPECT_FALSE(looks_like_utf16le(std::string("\x01\x02\x03", 3)));
}

TEST(TextEncoding, BytesAsTextRefusesBinary) {
  EXPECT_EQ(bytes_as_text("curl http://example.com"), "curl http://example.com");
  EXPECT_EQ(bytes_as_text(utf16le(u"iex $x")), "iex $x");
  EXPECT_FALSE(bytes_as_text(std::string("MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0", 16)));
  EXPECT_FALSE(bytes_as_text("\xff\xfe\xfd"));  // not UTF-8
  EXPECT_FALSE(bytes_as_text(" ;,- +"));        // no letter or digit at all
}

TEST(TextEncoding, DisplayTextIsValidUtf8CutOnACharacterBoundary) {
  bool truncated = true;
  EXPECT_EQ(display_text("a\x01"
                         "b\xff"
                         "c\n",
                         100, &truncated),
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD"
            "c\n");
  EXPECT_FALSE(truncated);
  EXPECT_EQ(display_text("ab\xC3\xA9", 3, &truncated), "ab");  // é does not fit whole
  EXPECT_TRUE(truncated);
}

}  // namespace
}  // namespace script_analysis
