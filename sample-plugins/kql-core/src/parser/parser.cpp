// The parser's cursor, diagnostics and error recovery, and the kql::parse entry point.
#include "parser/parser.hpp"

#include <algorithm>

#include "kql/lexer.hpp"
#include "text.hpp"

namespace kql {
namespace detail {

Parser::Parser(std::string_view text, const ParseOptions& options)
    : text_(text), options_(options) {
  LexResult lexed = lex(text);
  // Invalid tokens stay: the lexer reported them, and an expression reads one as a placeholder
  // value so that parsing goes on around it (report() drops a second error at the same place).
  tokens_ = std::move(lexed.tokens);
  diagnostics_ = std::move(lexed.diagnostics);
  previous_ = &tokens_.front();
}

ParseResult Parser::run() {
  ParseResult result;
  try {
    if (diagnostics_.size() >= options_.max_diagnostics) throw TooManyErrors{};
    parse_script(result.ast);
  } catch (const TooManyErrors&) {
    // keep what was parsed; the last diagnostic says why parsing stopped
  }
  result.diagnostics = std::move(diagnostics_);
  std::stable_sort(
      result.diagnostics.begin(), result.diagnostics.end(),
      [](const Diagnostic& a, const Diagnostic& b) { return a.range.offset < b.range.offset; });
  return result;
}

const Token& Parser::peek(size_t ahead) const {
  const size_t index = pos_ + ahead;
  return index < tokens_.size() ? tokens_[index] : tokens_.back();
}

const Token& Parser::advance() {
  const Token& token = tokens_[pos_];
  if (token.kind != TokenKind::End) ++pos_;
  previous_ = &token;
  return token;
}

bool Parser::at_word(std::string_view word, size_t ahead) const {
  const Token& token = peek(ahead);
  return token.kind == TokenKind::Identifier && token.text == word;
}

bool Parser::accept(TokenKind kind) {
  if (!at(kind)) return false;
  advance();
  return true;
}

bool Parser::accept_word(std::string_view word) {
  if (!at_word(word)) return false;
  advance();
  return true;
}

const Token& Parser::expect(TokenKind kind, const std::string& what, const std::string& hint) {
  if (!at(kind)) fail_expected(what, hint);
  return advance();
}

void Parser::expect_word(std::string_view word, const std::string& context,
                         const std::string& hint) {
  if (at_word(word)) {
    advance();
    return;
  }
  // A keyword in the wrong case is the likeliest slip: KQL's keywords are lower-case.
  if (peek().kind == TokenKind::Identifier && iequals(peek().text, word))
    fail(peek().range,
         "'" + std::string(peek().text) + "' must be written '" + std::string(word) +
             "': KQL keywords are case-sensitive",
         "write '" + std::string(word) + "'");
  fail_expected("'" + std::string(word) + "' " + context, hint);
}

bool Parser::adjacent(size_t ahead) const {
  const Token& first = peek(ahead);
  const Token& second = peek(ahead + 1);
  return second.kind != TokenKind::End && first.range.end() == second.range.offset;
}

void Parser::report(const SourceRange& range, std::string message, std::string hint) {
  if (diagnostics_.size() >= options_.max_diagnostics) throw TooManyErrors{};
  // One mistake often trips two rules at the same place: keep the first explanation.
  for (const auto& existing : diagnostics_)
    if (existing.range.offset == range.offset && existing.severity == Severity::Error) return;
  diagnostics_.push_back({Severity::Error, "syntax", std::move(message), std::move(hint), range});
  if (diagnostics_.size() >= options_.max_diagnostics) {
    diagnostics_.back().hint += (diagnostics_.back().hint.empty() ? "" : "; ") +
                                std::string("further errors were not reported");
    throw TooManyErrors{};
  }
}

void Parser::fail(const SourceRange& range, std::string message, std::string hint) {
  report(range, std::move(message), std::move(hint));
  throw SyntaxError{};
}

void Parser::fail_expected(const std::string& what, const std::string& hint) {
  fail(peek().range, "expected " + what + ", found " + describe(peek()), hint);
}

void Parser::warn(const SourceRange& range, std::string code, std::string message,
                  std::string hint) {
  diagnostics_.push_back(
      {Severity::Warning, std::move(code), std::move(message), std::move(hint), range});
}

Parser::DepthGuard::DepthGuard(Parser& parser) : parser_(parser) {
  if (++parser_.depth_ > parser_.options_.max_depth) {
    --parser_.depth_;
    parser_.report(parser_.peek().range,
                   "the query is nested too deeply (more than " +
                       std::to_string(parser_.options_.max_depth) +
                       " levels of parentheses, operators or sub-queries)",
                   "simplify the expression or move parts into let statements");
    throw TooDeep{};
  }
}

void Parser::ChainDepth::grow(const SourceRange& where) {
  if (parser_.depth_ + 1 > parser_.options_.max_depth) {
    parser_.report(where,
                   "the expression is nested or chained too deeply (more than " +
                       std::to_string(parser_.options_.max_depth) + " levels)",
                   "split it over several let statements or extend columns");
    throw TooDeep{};
  }
  ++parser_.depth_;
  ++added_;
}

void Parser::skip_to_pipe_or_end() {
  int depth = 0;
  while (!at(TokenKind::End)) {
    const TokenKind kind = peek().kind;
    if (depth == 0 && (kind == TokenKind::Pipe || kind == TokenKind::Semicolon)) return;
    if (kind == TokenKind::LeftParen || kind == TokenKind::LeftBracket ||
        kind == TokenKind::LeftBrace) {
      ++depth;
    } else if (kind == TokenKind::RightParen || kind == TokenKind::RightBracket ||
               kind == TokenKind::RightBrace) {
      // An unmatched closer ends the enclosing sub-query; at the top level it is debris of the
      // broken operator, skipped with it.
      if (depth == 0 && enclosing_parens_ > 0) return;
      if (depth > 0) --depth;
    } else if (kind == TokenKind::Semicolon) {
      return;  // a statement ends even inside unbalanced parentheses
    }
    advance();
  }
}

void Parser::skip_to_statement_end() {
  while (!at(TokenKind::End) && !at(TokenKind::Semicolon))
    advance();
}

// Looks ahead for a `|` at `pipe_depth` (0: this nesting level; 1: inside the parenthesis at
// the cursor), stopping at the end of that level, at `;`, and, when asked, at a `,` of that level.
bool Parser::pipe_ahead(int pipe_depth, bool stop_at_comma) const {
  int depth = 0;
  for (size_t i = pos_; i < tokens_.size(); ++i) {
    switch (tokens_[i].kind) {
      case TokenKind::LeftParen:
      case TokenKind::LeftBracket:
      case TokenKind::LeftBrace:
        ++depth;
        break;
      case TokenKind::RightParen:
      case TokenKind::RightBracket:
      case TokenKind::RightBrace:
        if (--depth < pipe_depth) return false;
        break;
      case TokenKind::Comma:
        if (stop_at_comma && depth == pipe_depth) return false;
        break;
      case TokenKind::Pipe:
        if (depth == pipe_depth) return true;
        break;
      case TokenKind::Semicolon:
      case TokenKind::End:
        return false;
      default:
        break;
    }
  }
  return false;
}

bool Parser::top_level_pipe_ahead() const {
  return pipe_ahead(0, false);
}

bool Parser::argument_holds_pipe() const {
  return pipe_ahead(0, true);
}

bool Parser::paren_holds_pipe() const {
  return pipe_ahead(1, false);
}

}  // namespace detail

ParseResult parse(std::string_view text, const ParseOptions& options) {
  return detail::Parser(text, options).run();
}

}  // namespace kql
