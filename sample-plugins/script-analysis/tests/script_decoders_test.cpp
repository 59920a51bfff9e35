// The JavaScript and VBScript decoders.
#include <gtest/gtest.h>

#include "peel.hpp"

namespace script_analysis {
namespace {

using testing::peel;
constexpr Language kJs = Language::JavaScript;
constexpr Language kVbs = Language::VBScript;

TEST(JavaScript, FromCharCodeAndConcatenation) {
  auto peeled = peel("var c = String.fromCharCode(99,0x6d,100) + \" /c\";", kJs);
  EXPECT_EQ(peeled.final_text, "var c = \"cmd /c\";");
  EXPECT_EQ(peel("x(String.fromCharCode.apply(null, [104, 105]))", kJs).final_text, "x(\"hi\")");
}

TEST(JavaScript, UnescapeAndEscapes) {
  EXPECT_EQ(peel("a(unescape('%68%74%u0074p'))", kJs).final_text, "a(\"http\")");
  EXPECT_EQ(peel("a(decodeURIComponent(\"%C3%A9t%C3%A9\"))", kJs).final_text,
            "a(\"\xC3\xA9t\xC3\xA9\")");
  EXPECT_EQ(peel("a(\"\\x57\\u0053cript\")", kJs).final_text, "a(\"WScript\")");
}

TEST(JavaScript, SplitJoinReverseReplace) {
  EXPECT_EQ(peel("u = \"h@t@t@p\".split(\"@\").join(\"\");", kJs).final_text, "u = \"http\";");
  EXPECT_EQ(peel("u = 'lave'.split('').reverse().join('');", kJs).final_text, "u = \"eval\";");
  EXPECT_EQ(peel("u = 'aXbX'.replace('X', '');", kJs).final_text, "u = \"abX\";");
  EXPECT_EQ(peel("u = 'aXbX'.replace(/X/g, '');", kJs).final_text, "u = \"ab\";");
}

TEST(JavaScript, EvalAndFunctionConstructor) {
  EXPECT_EQ(peel("eval(\"WScript.Echo(1)\");", kJs).final_text, "WScript.Echo(1);");
  EXPECT_EQ(peel("new Function('WScript.Echo(2)')();", kJs).final_text, "WScript.Echo(2);");
  EXPECT_EQ(peel("var f = new Function('return 1');", kJs).final_text,
            "var f = new Function('return 1');");  // defined, not run
}

TEST(VBScript, ChrConcatenationAndExecute) {
  auto peeled = peel("Execute Chr(77) & ChrW(&H73) & Chr(103+0) & \"Box 1\"", kVbs);
  EXPECT_EQ(peeled.final_text, "MsgBox 1");
  EXPECT_TRUE(peeled.undid("char_codes"));
  EXPECT_TRUE(peeled.undid("string_concatenation"));
  EXPECT_TRUE(peeled.undid("invoke_expression_unwrap"));
  EXPECT_EQ(peel("ExecuteGlobal(\"x = 1\")", kVbs).final_text, "x = 1");
}

TEST(VBScript, ReplaceAndStrReverse) {
  EXPECT_EQ(peel("o = Replace(\"WsXcript\", \"X\", \"\")", kVbs).final_text, "o = \"Wscript\"");
  EXPECT_EQ(peel("o = StrReverse(\"llehS.tpircSW\")", kVbs).final_text, "o = \"WScript.Shell\"");
  EXPECT_EQ(peel("o = Unescape(\"%57%53\")", kVbs).final_text, "o = \"WS\"");
}

TEST(VBScript, QuotesInsideStringsSurviveTheRoundTrip) {
  EXPECT_EQ(peel("Execute \"MsgBox \"\"hi\"\"\"", kVbs).final_text, "MsgBox \"hi\"");
}

}  // namespace
}  // namespace script_analysis
