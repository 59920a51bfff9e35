// Statements: `let` bindings and queries, separated by `;`.
#include "parser/parser.hpp"
#include "text.hpp"

namespace kql::detail {
namespace {

// Words that begin a table-producing expression when they start a let's value.
bool starts_tabular(const Token& token) {
  if (token.kind != TokenKind::Identifier) return false;
  static constexpr std::string_view kWords[] = {"union", "datatable", "materialize", "search",
                                                "range", "print",     "view"};
  for (auto word : kWords)
    if (token.text == word) return true;
  return false;
}

}  // namespace

void Parser::parse_script(Script& script) {
  while (!at(TokenKind::End)) {
    if (accept(TokenKind::Semicolon)) continue;  // empty statement
    const size_t start = pos_;
    try {
      script.statements.push_back(parse_statement());
      if (!at(TokenKind::End) && !at(TokenKind::Semicolon)) {
        const Token& stray = peek();
        std::string hint = "end the statement with ';' or continue the pipeline with '|'";
        if (stray.kind == TokenKind::Identifier)
          hint = "tabular operators follow a '|': write '| " + std::string(stray.text) + " ...'";
        if (stray.kind == TokenKind::RightParen) hint = "remove the extra ')'";
        fail(stray.range, "unexpected " + describe(stray) + " after the end of the statement",
             hint);
      }
    } catch (const SyntaxError&) {
      skip_to_statement_end();
    } catch (const TooDeep&) {
      skip_to_statement_end();
    }
    if (pos_ == start) advance();  // never loop without progress
  }
}

Statement Parser::parse_statement() {
  const Token& first = peek();
  if (at_word("let")) return parse_let();
  if (at_word("set") || at_word("declare") || at_word("alias") || at_word("pattern")) {
    fail(first.range, "'" + std::string(first.text) + "' statements are not supported",
         "remove the statement; only let statements and queries are understood");
  }
  if (first.kind == TokenKind::Identifier && iequals(first.text, "let")) {
    fail(first.range, "'" + std::string(first.text) + "' must be written 'let'",
         "KQL keywords are lower-case");
  }
  Statement statement;
  statement.node = QueryStatement{parse_query()};
  statement.range = range_from(first);
  return statement;
}

Statement Parser::parse_let() {
  const Token& let = advance();
  Statement statement;
  LetStatement binding;
  binding.name = parse_name("a name after 'let'", "write 'let name = value;'", &binding.name_range);
  expect(TokenKind::Assign, "'=' after 'let " + binding.name + "'",
         "write 'let " + binding.name + " = value;'");
  // `let f = (a:string) { ... }` defines a function, which this front end does not model.
  if (at(TokenKind::LeftParen) &&
      ((peek(1).kind == TokenKind::Identifier && peek(2).kind == TokenKind::Colon) ||
       (peek(1).kind == TokenKind::RightParen && peek(2).kind == TokenKind::LeftBrace))) {
    unsupported_functions_.insert(binding.name);
    fail(peek().range,
         "user-defined functions ('let " + binding.name +
             " = (...) { ... }') are "
             "not supported",
         "inline the function's body, or bind a tabular or scalar value with let");
  }
  const Token& value_start = peek();
  const bool bare_name = (value_start.kind == TokenKind::Identifier &&
                          (peek(1).kind == TokenKind::Semicolon || peek(1).kind == TokenKind::End));
  bool tabular = top_level_pipe_ahead() || starts_tabular(value_start) ||
                 (at(TokenKind::LeftParen) && paren_holds_pipe());
  if (bare_name) {
    const std::string name(value_start.text);
    tabular = !scalar_lets_.contains(name) && name != "true" && name != "false" && name != "null";
  }
  if (tabular) {
    binding.tabular = parse_query();
    tabular_lets_.insert(binding.name);
    scalar_lets_.erase(binding.name);
  } else {
    binding.scalar = parse_expression();
    scalar_lets_.insert(binding.name);
    tabular_lets_.erase(binding.name);
  }
  statement.node = std::move(binding);
  statement.range = range_from(let);
  if (!at(TokenKind::Semicolon)) {
    const auto& name = std::get<LetStatement>(statement.node).name;
    if (at(TokenKind::End)) {
      report(peek().range, "the let statement '" + name + "' is not followed by a query",
             "end it with ';' and write the query that uses it on the next line");
    } else {
      report(peek().range,
             "expected ';' after the let statement '" + name + "', found " + describe(peek()),
             "end every let statement with ';'");
    }
  }
  return statement;
}

}  // namespace kql::detail
