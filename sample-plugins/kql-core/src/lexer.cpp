// A hand-written scanner: one pass over the bytes, tracking line and column (in code points).
#include "kql/lexer.hpp"

#include <cmath>
#include <limits>
#include <optional>
#include <string>

#include "kql/literals.hpp"
#include "text.hpp"

namespace kql {
namespace {

bool is_hex_digit(char c) {
  return is_ascii_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int hex_value(char c) {
  if (is_ascii_digit(c)) return c - '0';
  return ascii_lower(c) - 'a' + 10;
}

// Appends code point `cp` as UTF-8.
void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  LexResult run() {
    for (;;) {
      skip_trivia();
      if (at_end()) break;
      scan_token();
    }
    Token end;
    end.kind = TokenKind::End;
    end.range = {pos_, line_, column_, 0};
    result_.tokens.push_back(std::move(end));
    return std::move(result_);
  }

 private:
  bool at_end() const { return pos_ >= text_.size(); }
  char peek(size_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }

  // Moves one byte on; continuation bytes of a UTF-8 sequence do not count as columns.
  void advance() {
    const char c = text_[pos_++];
    if (c == '\n') {
      ++line_;
      column_ = 1;
    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++column_;
    }
  }
  void advance(size_t count) {
    for (size_t i = 0; i < count && !at_end(); ++i)
      advance();
  }

  void skip_trivia() {
    while (!at_end()) {
      const char c = peek();
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') {
        advance();
      } else if (c == '/' && peek(1) == '/') {
        while (!at_end() && peek() != '\n')
          advance();
      } else if (pos_ == 0 && text_.substr(0, 3) == "\xEF\xBB\xBF") {
        pos_ += 3;  // a byte-order mark is not a column
      } else {
        return;
      }
    }
  }

  struct Mark {
    size_t offset;
    uint32_t line;
    uint32_t column;
  };
  Mark mark() const { return {pos_, line_, column_}; }
  SourceRange range_from(const Mark& start) const {
    return {start.offset, start.line, start.column, pos_ - start.offset};
  }

  Token& emit(TokenKind kind, const Mark& start) {
    Token token;
    token.kind = kind;
    token.range = range_from(start);
    token.text = text_.substr(start.offset, pos_ - start.offset);
    result_.tokens.push_back(std::move(token));
    return result_.tokens.back();
  }

  void error(const SourceRange& range, std::string message, std::string hint) {
    result_.diagnostics.push_back(
        {Severity::Error, "syntax", std::move(message), std::move(hint), range});
  }

  void scan_token() {
    const Mark start = mark();
    const char c = peek();
    if (is_identifier_start(c) || (c == '$' && is_identifier_start(peek(1)))) {
      scan_word(start);
    } else if (is_ascii_digit(c) || (c == '.' && is_ascii_digit(peek(1)))) {
      scan_number(start);
    } else if (c == '"' || c == '\'') {
      scan_string(start, false);
    } else if (c == '@' && (peek(1) == '"' || peek(1) == '\'')) {
      advance();
      scan_verbatim(start, false);
    } else if (c == '`' && peek(1) == '`' && peek(2) == '`') {
      scan_multiline(start);
    } else if (c == '!' && is_identifier_start(peek(1))) {
      advance();
      scan_identifier_tail();
      if (text_.substr(start.offset, pos_ - start.offset) == "!in" && peek() == '~') advance();
      emit(TokenKind::Identifier, start);
    } else {
      scan_punctuation(start);
    }
  }

  void scan_identifier_tail() {
    while (!at_end() && is_identifier_char(peek()))
      advance();
  }

  void scan_word(const Mark& start) {
    // h"..." and h@"..." are obfuscated strings, not the identifier h.
    if ((peek() == 'h' || peek() == 'H') && (peek(1) == '"' || peek(1) == '\'')) {
      advance();
      scan_string(start, true);
      return;
    }
    if ((peek() == 'h' || peek() == 'H') && peek(1) == '@' && (peek(2) == '"' || peek(2) == '\'')) {
      advance(2);
      scan_verbatim(start, true);
      return;
    }
    advance();  // first character ('$' or a letter)
    scan_identifier_tail();
    const std::string word = to_lower(text_.substr(start.offset, pos_ - start.offset));
    if (word == "in" && peek() == '~') {
      advance();
    } else if ((word == "datetime" || word == "timespan" || word == "time" || word == "guid") &&
               next_non_space_is_paren()) {
      scan_typed_literal(start, word);
      return;
    }
    emit(TokenKind::Identifier, start);
  }

  bool next_non_space_is_paren() const {
    size_t i = pos_;
    while (i < text_.size() && (text_[i] == ' ' || text_[i] == '\t'))
      ++i;
    return i < text_.size() && text_[i] == '(';
  }

  // `datetime(2024-01-01 10:00)`: the content is not made of ordinary tokens, so it is taken raw
  // up to the closing parenthesis.
  void scan_typed_literal(const Mark& start, const std::string& word) {
    while (peek() != '(')
      advance();
    advance();
    const size_t content_start = pos_;
    while (!at_end() && peek() != ')' && peek() != '\n' && peek() != '|')
      advance();
    if (peek() != ')') {
      Token& token = emit(TokenKind::Invalid, start);
      error(token.range, "the " + word + "(...) literal is not closed",
            "write it on one line and close it with ')', e.g. " +
                std::string(word == "guid"       ? "guid(74be27de-1e4e-49d9-b579-fe0b331d3642)"
                            : word == "datetime" ? "datetime(2024-01-31 10:00)"
                                                 : "timespan(1.02:00:00)"));
      return;
    }
    std::string_view content = text_.substr(content_start, pos_ - content_start);
    advance();  // ')'
    while (!content.empty() && (content.front() == ' ' || content.front() == '\t'))
      content.remove_prefix(1);
    while (!content.empty() && (content.back() == ' ' || content.back() == '\t'))
      content.remove_suffix(1);
    Token& token = emit(TokenKind::TypedLiteral, start);
    token.word = word;
    token.value = std::string(content);
  }

  void scan_number(const Mark& start) {
    if (peek() == '0' && (peek(1) == 'x' || peek(1) == 'X') && is_hex_digit(peek(2))) {
      advance(2);
      uint64_t value = 0;
      bool overflow = false;
      while (is_hex_digit(peek())) {
        overflow = overflow || value > (std::numeric_limits<uint64_t>::max() >> 4);
        value = (value << 4) | static_cast<uint64_t>(hex_value(peek()));
        advance();
      }
      Token& token = emit(TokenKind::Long, start);
      token.integer = static_cast<int64_t>(value);
      if (overflow)
        error(token.range, "the number " + quote_for_message(token.text) + " is too large",
              "a long holds at most 0x7FFFFFFFFFFFFFFF");
      return;
    }
    bool is_real = false;
    while (is_ascii_digit(peek()))
      advance();
    // `1..5` is a range, not the real `1.` followed by `.5`.
    if (peek() == '.' && peek(1) != '.' && !is_identifier_start(peek(1))) {
      is_real = true;
      advance();
      while (is_ascii_digit(peek()))
        advance();
    }
    if ((peek() == 'e' || peek() == 'E') &&
        (is_ascii_digit(peek(1)) ||
         ((peek(1) == '+' || peek(1) == '-') && is_ascii_digit(peek(2))))) {
      is_real = true;
      advance(2);
      while (is_ascii_digit(peek()))
        advance();
    }
    const std::string number(text_.substr(start.offset, pos_ - start.offset));
    if (is_identifier_start(peek())) {
      scan_timespan(start, number);
      return;
    }
    if (is_real) {
      Token& token = emit(TokenKind::Real, start);
      token.real = std::strtod(number.c_str(), nullptr);
      return;
    }
    Token& token = emit(TokenKind::Long, start);
    errno = 0;
    const long long value = std::strtoll(number.c_str(), nullptr, 10);
    if (errno == ERANGE) {
      error(token.range, "the number " + quote_for_message(number) + " does not fit in a long",
            "use a real literal such as " + number + ".0, or a smaller value");
    }
    token.integer = value;
  }

  // A number followed by a unit: `1h`, `30m`, `1.5d`, `100ms`.
  void scan_timespan(const Mark& start, const std::string& number) {
    const size_t unit_start = pos_;
    scan_identifier_tail();
    const std::string unit(text_.substr(unit_start, pos_ - unit_start));
    const auto unit_ticks = timespan_unit_ticks(to_lower(unit));
    if (!unit_ticks) {
      Token& token = emit(TokenKind::Invalid, start);
      error(token.range,
            quote_for_message(token.text) + " is not a number and not a timespan: '" + unit +
                "' is not a time unit",
            "timespans are written like 30s, 15m, 1h, 7d or 100ms (units d, h, m, s, ms, "
            "microsecond, tick)");
      return;
    }
    Token& token = emit(TokenKind::TimeSpan, start);
    const double value = std::strtod(number.c_str(), nullptr);
    const double ticks = value * static_cast<double>(*unit_ticks);
    if (!std::isfinite(ticks) || std::fabs(ticks) > 9.2e18) {
      error(token.range, "the timespan " + quote_for_message(token.text) + " is too long",
            "KQL timespans reach about 10,675,199 days");
      return;
    }
    token.ticks = static_cast<int64_t>(std::llround(ticks));
  }

  // "..." or '...': one line, with backslash escapes.
  void scan_string(const Mark& start, bool obfuscated) {
    const char quote = peek();
    advance();
    std::string value;
    for (;;) {
      if (at_end() || peek() == '\n') {
        Token& token = emit(TokenKind::Invalid, start);
        error(token.range, "the string is not closed before the end of the line",
              std::string("close it with ") + quote +
                  "; a string that spans lines is written ```like this```");
        return;
      }
      const char c = peek();
      if (c == quote) {
        advance();
        break;
      }
      if (c != '\\') {
        value += c;
        advance();
        continue;
      }
      const Mark escape = mark();
      advance();
      if (at_end()) continue;
      const char e = peek();
      advance();
      switch (e) {
        case 'n':
          value += '\n';
          break;
        case 't':
          value += '\t';
          break;
        case 'r':
          value += '\r';
          break;
        case '0':
          value += '\0';
          break;
        case '\\':
        case '"':
        case '\'':
          value += e;
          break;
        case 'u': {
          uint32_t cp = 0;
          int digits = 0;
          while (digits < 4 && is_hex_digit(peek())) {
            cp = (cp << 4) | static_cast<uint32_t>(hex_value(peek()));
            advance();
            ++digits;
          }
          if (digits == 4) {
            append_utf8(value, cp);
            break;
          }
          [[fallthrough]];
        }
        default:
          error(range_from(escape),
                "'\\" + std::string(1, e) + "' is not an escape KQL knows in a string",
                "escape the backslash ('\\\\') or use a verbatim string such as "
                "@\"C:\\Windows\\System32\"");
          value += '\\';
          value += e;
      }
    }
    Token& token = emit(TokenKind::String, start);
    token.value = std::move(value);
    token.obfuscated = obfuscated;
  }

  // @"..." : no escapes, a doubled quote is one quote.
  void scan_verbatim(const Mark& start, bool obfuscated) {
    const char quote = peek();
    advance();
    std::string value;
    for (;;) {
      if (at_end() || peek() == '\n') {
        Token& token = emit(TokenKind::Invalid, start);
        error(token.range, "the verbatim string is not closed before the end of the line",
              std::string("close it with ") + quote + " (write a quote inside it twice)");
        return;
      }
      if (peek() == quote) {
        if (peek(1) == quote) {
          value += quote;
          advance(2);
          continue;
        }
        advance();
        break;
      }
      value += peek();
      advance();
    }
    Token& token = emit(TokenKind::String, start);
    token.value = std::move(value);
    token.obfuscated = obfuscated;
    token.verbatim = true;
  }

  void scan_multiline(const Mark& start) {
    advance(3);
    const size_t content_start = pos_;
    while (!at_end() && !(peek() == '`' && peek(1) == '`' && peek(2) == '`'))
      advance();
    if (at_end()) {
      Token& token = emit(TokenKind::Invalid, start);
      error(token.range, "the multi-line string is not closed", "close it with ```");
      return;
    }
    std::string value(text_.substr(content_start, pos_ - content_start));
    advance(3);
    Token& token = emit(TokenKind::String, start);
    token.value = std::move(value);
    token.verbatim = true;
  }

  void scan_punctuation(const Mark& start) {
    const char c = peek();
    const char next = peek(1);
    auto two = [&](TokenKind kind) {
      advance(2);
      emit(kind, start);
    };
    auto one = [&](TokenKind kind) {
      advance();
      emit(kind, start);
    };
    switch (c) {
      case '|':
        return one(TokenKind::Pipe);
      case ',':
        return one(TokenKind::Comma);
      case ';':
        return one(TokenKind::Semicolon);
      case '(':
        return one(TokenKind::LeftParen);
      case ')':
        return one(TokenKind::RightParen);
      case '[':
        return one(TokenKind::LeftBracket);
      case ']':
        return one(TokenKind::RightBracket);
      case '{':
        return one(TokenKind::LeftBrace);
      case '}':
        return one(TokenKind::RightBrace);
      case ':':
        return one(TokenKind::Colon);
      case '+':
        return one(TokenKind::Plus);
      case '-':
        return one(TokenKind::Minus);
      case '*':
        return one(TokenKind::Star);
      case '/':
        return one(TokenKind::Slash);
      case '%':
        return one(TokenKind::Percent);
      case '.':
        return next == '.' ? two(TokenKind::DotDot) : one(TokenKind::Dot);
      case '=':
        if (next == '=') return two(TokenKind::Equal);
        if (next == '~') return two(TokenKind::EqualTilde);
        if (next == '>') return two(TokenKind::Arrow);
        return one(TokenKind::Assign);
      case '!':
        if (next == '=') return two(TokenKind::NotEqual);
        if (next == '~') return two(TokenKind::BangTilde);
        return one(TokenKind::Bang);
      case '<':
        if (next == '=') return two(TokenKind::LessOrEqual);
        if (next == '>') return two(TokenKind::NotEqual);
        return one(TokenKind::Less);
      case '>':
        return next == '=' ? two(TokenKind::GreaterOrEqual) : one(TokenKind::Greater);
      default:
        break;
    }
    // Not a KQL character: consume the whole UTF-8 sequence so the message shows it.
    advance();
    while (!at_end() && (static_cast<unsigned char>(peek()) & 0xC0) == 0x80)
      advance();
    Token& token = emit(TokenKind::Invalid, start);
    std::string hint = "remove it";
    if (c == '&') hint = "KQL writes 'and' instead of '&&'";
    if (c == '\xE2') hint = "typographic quotes are not string delimiters: use \" or '";
    if (c == '#') hint = "comments start with //";
    error(token.range, "unexpected character " + quote_for_message(token.text), hint);
  }

  std::string_view text_;
  size_t pos_ = 0;
  uint32_t line_ = 1;
  uint32_t column_ = 1;
  LexResult result_;
};

}  // namespace

LexResult lex(std::string_view text) {
  return Lexer(text).run();
}

std::string describe(const Token& token) {
  switch (token.kind) {
    case TokenKind::End:
      return "the end of the query";
    case TokenKind::Identifier:
      return "'" + std::string(token.text) + "'";
    case TokenKind::String:
      return "the string " + quote_for_message(token.text);
    default:
      return quote_for_message(token.text);
  }
}

}  // namespace kql
