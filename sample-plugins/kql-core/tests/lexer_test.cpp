// The lexer: token kinds, decoded literal values and exact positions.
#include <gtest/gtest.h>

#include "kql/ast.hpp"
#include "kql/lexer.hpp"

namespace kql {
namespace {

std::vector<Token> tokens_of(std::string_view text) {
  LexResult result = lex(text);
  EXPECT_TRUE(result.diagnostics.empty()) << text << ": " << result.diagnostics.front().message;
  return result.tokens;
}

TEST(Lexer, PositionsCountBytesForOffsetsAndCharactersForColumns) {
  const auto tokens = tokens_of("DeviceInfo\n  | where  Name == \"é\" | take 5");
  ASSERT_EQ(tokens.size(), 10u);  // DeviceInfo | where Name == "é" | take 5 <end>
  EXPECT_EQ(tokens[0].kind, TokenKind::Identifier);
  EXPECT_EQ(tokens[0].range.offset, 0u);
  EXPECT_EQ(tokens[0].range.length, 10u);
  EXPECT_EQ(tokens[1].kind, TokenKind::Pipe);
  EXPECT_EQ(tokens[1].range.line, 2u);
  EXPECT_EQ(tokens[1].range.column, 3u);
  EXPECT_EQ(tokens[1].range.offset, 13u);
  EXPECT_EQ(tokens[2].text, "where");
  EXPECT_EQ(tokens[2].range.column, 5u);
  EXPECT_EQ(tokens[5].kind, TokenKind::String);
  EXPECT_EQ(tokens[5].value, "é");
  EXPECT_EQ(tokens[5].range.length, 4u);  // quote, two UTF-8 bytes, quote
  // After the two-byte é the next column is one character further, not two.
  EXPECT_EQ(tokens[6].range.column, tokens[5].range.column + 3 + 1);
  EXPECT_EQ(tokens[9].kind, TokenKind::End);
}

TEST(Lexer, CommentsAreSkippedUpToTheEndOfTheLine) {
  const auto tokens = tokens_of("T // all of it | where x\n// another\n| count");
  ASSERT_EQ(tokens.size(), 4u);
  EXPECT_EQ(tokens[1].kind, TokenKind::Pipe);
  EXPECT_EQ(tokens[1].range.line, 3u);
  EXPECT_EQ(tokens[1].range.column, 1u);
  EXPECT_EQ(tokens[2].text, "count");
}

TEST(Lexer, StringForms) {
  const auto tokens = tokens_of(
      R"("a\"b\\c\n" 'it''s' @"C:\Windows\System32" @'say ''hi''' h"secret" H@"C:\x" ```multi
line```)");
  ASSERT_EQ(tokens.size(), 9u);
  EXPECT_EQ(tokens[0].value, "a\"b\\c\n");
  EXPECT_EQ(tokens[1].value, "it");  // 'it' then 's' : adjacent single-quoted strings
  EXPECT_EQ(tokens[2].value, "s");
  EXPECT_EQ(tokens[3].value, "C:\\Windows\\System32");
  EXPECT_TRUE(tokens[3].verbatim);
  EXPECT_EQ(tokens[4].value, "say 'hi'");
  EXPECT_EQ(tokens[5].value, "secret");
  EXPECT_TRUE(tokens[5].obfuscated);
  EXPECT_EQ(tokens[6].value, "C:\\x");
  EXPECT_TRUE(tokens[6].obfuscated);
  EXPECT_EQ(tokens[7].value, "multi\nline");
}

TEST(Lexer, UnicodeEscapeBecomesUtf8) {
  const auto tokens = tokens_of(R"("caf\u00e9")");
  EXPECT_EQ(tokens[0].value, "caf\xC3\xA9");
}

TEST(Lexer, Numbers) {
  const auto tokens = tokens_of("42 1.5 2e3 0x1F .5");
  EXPECT_EQ(tokens[0].kind, TokenKind::Long);
  EXPECT_EQ(tokens[0].integer, 42);
  EXPECT_EQ(tokens[1].kind, TokenKind::Real);
  EXPECT_DOUBLE_EQ(tokens[1].real, 1.5);
  EXPECT_EQ(tokens[2].kind, TokenKind::Real);
  EXPECT_DOUBLE_EQ(tokens[2].real, 2000.0);
  EXPECT_EQ(tokens[3].kind, TokenKind::Long);
  EXPECT_EQ(tokens[3].integer, 31);
  EXPECT_EQ(tokens[4].kind, TokenKind::Real);
}

TEST(Lexer, TimespanLiteralsInTicks) {
  const auto tokens = tokens_of("1h 30m 7d 100ms 1.5h 2days 10s 5microseconds 3tick");
  const int64_t second = kTicksPerSecond;
  const std::vector<int64_t> expected{3600 * second,
                                      1800 * second,
                                      7 * 86400 * second,
                                      second / 10,
                                      5400 * second,
                                      2 * 86400 * second,
                                      10 * second,
                                      50,
                                      3};
  ASSERT_EQ(tokens.size(), expected.size() + 1);
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(tokens[i].kind, TokenKind::TimeSpan) << tokens[i].text;
    EXPECT_EQ(tokens[i].ticks, expected[i]) << tokens[i].text;
  }
}

TEST(Lexer, RangeDotsAfterANumberAreNotADecimalPoint) {
  const auto tokens = tokens_of("(1..5)");
  ASSERT_EQ(tokens.size(), 6u);
  EXPECT_EQ(tokens[1].kind, TokenKind::Long);
  EXPECT_EQ(tokens[2].kind, TokenKind::DotDot);
  EXPECT_EQ(tokens[3].integer, 5);
}

TEST(Lexer, TypedLiteralsKeepTheirRawContent) {
  const auto tokens = tokens_of(
      "datetime(2024-01-31 10:00:00) timespan(1.02:00:00) guid(74be27de-1e4e-49d9-"
      "b579-fe0b331d3642) datetime");
  EXPECT_EQ(tokens[0].kind, TokenKind::TypedLiteral);
  EXPECT_EQ(tokens[0].word, "datetime");
  EXPECT_EQ(tokens[0].value, "2024-01-31 10:00:00");
  EXPECT_EQ(tokens[1].word, "timespan");
  EXPECT_EQ(tokens[1].value, "1.02:00:00");
  EXPECT_EQ(tokens[2].word, "guid");
  // `datetime` not followed by '(' is a name (a type in parse patterns and datatables).
  EXPECT_EQ(tokens[3].kind, TokenKind::Identifier);
}

TEST(Lexer, OperatorSpellings) {
  const auto tokens = tokens_of("!has !in~ in~ =~ !~ <> != == <= >= => .. $left !contains_cs");
  const std::vector<std::pair<TokenKind, std::string_view>> expected{
      {TokenKind::Identifier, "!has"},  {TokenKind::Identifier, "!in~"},
      {TokenKind::Identifier, "in~"},   {TokenKind::EqualTilde, "=~"},
      {TokenKind::BangTilde, "!~"},     {TokenKind::NotEqual, "<>"},
      {TokenKind::NotEqual, "!="},      {TokenKind::Equal, "=="},
      {TokenKind::LessOrEqual, "<="},   {TokenKind::GreaterOrEqual, ">="},
      {TokenKind::Arrow, "=>"},         {TokenKind::DotDot, ".."},
      {TokenKind::Identifier, "$left"}, {TokenKind::Identifier, "!contains_cs"}};
  ASSERT_EQ(tokens.size(), expected.size() + 1);
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(tokens[i].kind, expected[i].first) << i;
    EXPECT_EQ(tokens[i].text, expected[i].second) << i;
  }
}

TEST(Lexer, UnterminatedStringIsReportedWhereItStarts) {
  const LexResult result = lex("T\n| where x == \"abc\n| take 1");
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.diagnostics[0].range.line, 2u);
  EXPECT_EQ(result.diagnostics[0].range.column, 14u);
  EXPECT_NE(result.diagnostics[0].message.find("not closed"), std::string::npos);
  // The next line still lexes.
  EXPECT_EQ(result.tokens[result.tokens.size() - 4].kind, TokenKind::Pipe);
}

TEST(Lexer, UnknownEscapeSuggestsAVerbatimString) {
  const LexResult result = lex(R"("C:\Windows")");
  ASSERT_EQ(result.diagnostics.size(), 1u);
  EXPECT_EQ(result.diagnostics[0].range.column, 4u);
  EXPECT_NE(result.diagnostics[0].hint.find("@\""), std::string::npos);
}

TEST(Lexer, BadTimespanUnitAndStrayCharacters) {
  const LexResult result = lex("ago(5q) # x && y");
  ASSERT_EQ(result.diagnostics.size(), 4u);  // 5q, #, &, &
  EXPECT_NE(result.diagnostics[0].message.find("'q' is not a time unit"), std::string::npos);
  EXPECT_EQ(result.diagnostics[0].range.column, 5u);
  EXPECT_NE(result.diagnostics[1].hint.find("//"), std::string::npos);
  EXPECT_NE(result.diagnostics[2].hint.find("'and'"), std::string::npos);
}

}  // namespace
}  // namespace kql
