// The tokens the lexer produces for the parser.
#ifndef KQL_TOKEN_HPP
#define KQL_TOKEN_HPP

#include <cstdint>
#include <string>
#include <string_view>

#include "kql/source_range.hpp"

namespace kql {

enum class TokenKind {
  End,
  Identifier,    // names and keywords alike; also `$left`, `!has`, `in~`, `!in~`
  String,        // value: the decoded text
  Long,          // integer
  Real,          // real
  TimeSpan,      // ticks: `1h`, `30m`, `1.5d`
  TypedLiteral,  // `datetime(...)`, `timespan(...)`, `time(...)`, `guid(...)`: word + raw content
  Pipe,
  Comma,
  Semicolon,
  LeftParen,
  RightParen,
  LeftBracket,
  RightBracket,
  LeftBrace,
  RightBrace,
  Dot,
  DotDot,
  Colon,
  Assign,          // =
  Equal,           // ==
  NotEqual,        // != or <>
  Less,            // <
  LessOrEqual,     // <=
  Greater,         // >
  GreaterOrEqual,  // >=
  EqualTilde,      // =~
  BangTilde,       // !~
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  Arrow,  // =>
  Bang,   // a lone `!`, which KQL does not have (not() is a function)
  Invalid,
};

struct Token {
  TokenKind kind = TokenKind::End;
  SourceRange range;
  std::string_view text;  // the token as written
  std::string value;      // String: decoded; TypedLiteral: the content between the parentheses
  std::string word;       // TypedLiteral: datetime, timespan, time or guid (lower case)
  int64_t integer = 0;
  double real = 0;
  int64_t ticks = 0;
  bool obfuscated = false;  // h"..."
  bool verbatim = false;    // @"..." (kept so messages can suggest it)
};

// For messages: `'|'`, `end of query`, `identifier 'where'`, ...
std::string describe(const Token& token);

}  // namespace kql

#endif  // KQL_TOKEN_HPP
