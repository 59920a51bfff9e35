// Queries: a source (table, union, search, datatable, print, range, sub-query) and its pipeline.
#include "parser/parser.hpp"
#include "text.hpp"

namespace kql::detail {

bool Parser::at_name() const {
  return at(TokenKind::Identifier) ||
         (at(TokenKind::LeftBracket) && peek(1).kind == TokenKind::String &&
          peek(2).kind == TokenKind::RightBracket);
}

// A plain or bracketed name: `DeviceName`, `['Account Name']`.
std::string Parser::parse_name(const std::string& what, const std::string& hint,
                               SourceRange* range) {
  if (at(TokenKind::Identifier)) {
    const Token& token = advance();
    if (range) *range = token.range;
    return std::string(token.text);
  }
  if (at_name()) {
    const Token& open = advance();
    std::string name = advance().value;
    advance();
    if (range) *range = range_from(open);
    return name;
  }
  if (at(TokenKind::String))
    fail(peek().range, "expected " + what + ", found the string " + quote_for_message(peek().text),
         "names are not quoted; a name with spaces or symbols is written ['like this']");
  fail_expected(what, hint);
}

// A name that may hold `*` wildcards, written without spaces: `Device*`, `*Id`, `Init*Name`.
std::string Parser::parse_name_pattern(SourceRange& range) {
  if (!at(TokenKind::Identifier) && !at(TokenKind::Star)) {
    std::string name = parse_name("a column name", "list column names separated by ','", &range);
    return name;
  }
  const Token& first = advance();
  std::string pattern(first.text);
  while (first.range.offset + pattern.size() == peek().range.offset &&
         (at(TokenKind::Identifier) || at(TokenKind::Star)))
    pattern += advance().text;
  range = range_from(first);
  return pattern;
}

// `name=value` settings before an operator's arguments: `kind=inner`, `hint.strategy=shuffle`.
std::vector<OperatorParam> Parser::parse_params() {
  std::vector<OperatorParam> params;
  for (;;) {
    // A dotted name (hint.strategy) is several tokens; a setting is name [. name]* = value.
    size_t ahead = 0;
    if (peek(ahead).kind != TokenKind::Identifier) break;
    ++ahead;
    while (peek(ahead).kind == TokenKind::Dot && peek(ahead + 1).kind == TokenKind::Identifier)
      ahead += 2;
    if (peek(ahead).kind != TokenKind::Assign) break;
    // `summarize n = count()` also looks like this: only known setting names are settings.
    const std::string_view first = peek().text;
    const bool known = first == "kind" || first == "hint" || first == "withsource" ||
                       first == "isfuzzy" || first == "bagexpansion" || first == "with_itemindex" ||
                       first == "flags" || first == "decodeblocks" || first == "with_source";
    if (!known) break;
    OperatorParam param;
    const Token& start = peek();
    while (!at(TokenKind::Assign))
      param.name += advance().text;
    advance();
    const Token& value = peek();
    if (value.kind == TokenKind::Identifier || value.kind == TokenKind::Long ||
        value.kind == TokenKind::Real) {
      param.value = std::string(advance().text);
    } else if (value.kind == TokenKind::String) {
      param.value = advance().value;
    } else {
      fail_expected("a value for '" + param.name + "'", "write " + param.name + "=value");
    }
    param.range = range_from(start);
    params.push_back(std::move(param));
  }
  return params;
}

QueryPtr Parser::parse_query() {
  DepthGuard guard(*this);
  auto query = std::make_unique<Query>();
  const Token& first = peek();
  try {
    if (at_word("union")) {
      advance();
      query->source = UnionSource{parse_union_body()};
    } else if (at_word("search")) {
      advance();
      query->source = SearchSource{parse_search_body()};
    } else if (at_word("datatable")) {
      advance();
      DatatableSource table;
      expect(TokenKind::LeftParen, "'(' after 'datatable'",
             "write datatable(Name:string, Count:long) [\"a\", 1]");
      do {
        DatatableColumn column;
        column.name = parse_name("a column name", "write Name:type", &column.range);
        expect(TokenKind::Colon, "':' and a type after the column '" + column.name + "'",
               "write " + column.name + ":string");
        const Token& type = expect(TokenKind::Identifier, "a type name", "e.g. string or long");
        auto parsed = parse_type_name(type.text);
        if (!parsed)
          report(type.range, quote_for_message(type.text) + " is not a KQL type",
                 "use bool, int, long, real, decimal, string, datetime, timespan, guid or "
                 "dynamic");
        column.type = parsed.value_or(ScalarType::String);
        table.columns.push_back(std::move(column));
      } while (accept(TokenKind::Comma));
      expect(TokenKind::RightParen, "')' after the datatable's columns", "close the list");
      expect(TokenKind::LeftBracket, "'[' and the values", "write [\"a\", 1, \"b\", 2]");
      if (!at(TokenKind::RightBracket)) {
        do {
          if (at(TokenKind::RightBracket)) break;  // a trailing comma is allowed
          table.values.push_back(parse_expression());
        } while (accept(TokenKind::Comma));
      }
      const Token& close = expect(TokenKind::RightBracket, "']' after the values",
                                  "separate values with ',' and close the list with ']'");
      if (!table.columns.empty() && table.values.size() % table.columns.size() != 0)
        report(close.range,
               "the datatable has " + std::to_string(table.values.size()) + " values for " +
                   std::to_string(table.columns.size()) + " columns",
               "give each row one value per column");
      query->source = std::move(table);
    } else if (at_word("print")) {
      advance();
      query->source = PrintSource{parse_named_list(false)};
    } else if (at_word("range")) {
      advance();
      RangeSource range;
      range.column =
          parse_name("the range's column name", "write range x from 1 to 10 step 1", nullptr);
      expect_word("from", "after the range's column", "write range x from 1 to 10 step 1");
      range.from = parse_additive();
      expect_word("to", "after 'from ...'", "write range x from 1 to 10 step 1");
      range.to = parse_additive();
      expect_word("step", "after 'to ...'", "write range x from 1 to 10 step 1");
      range.step = parse_additive();
      query->source = std::move(range);
    } else if (at_word("materialize") && peek(1).kind == TokenKind::LeftParen) {
      advance();
      query->source = SubquerySource{parse_parenthesized_query(), true};
    } else if (at(TokenKind::LeftParen)) {
      query->source = SubquerySource{parse_parenthesized_query(), false};
    } else if (at_word("find") || at_word("externaldata") || at_word("evaluate") ||
               at_word("cluster") || at_word("database") || at_word("table")) {
      fail(first.range, "'" + std::string(first.text) + "' is not supported as a query source",
           "start the query with a table name, union, search, datatable, print or range");
    } else if (at_name()) {
      SourceRange range;
      std::string name = parse_name_pattern(range);
      if (at(TokenKind::LeftParen) && unsupported_functions_.contains(name))
        throw SyntaxError{};  // its definition was already reported
      if (at(TokenKind::LeftParen))
        fail(peek().range, "'" + name + "(...)' cannot start a query",
             "start the query with a table name (functions with parameters are not supported)");
      query->source = TableSource{std::move(name)};
    } else if (at(TokenKind::Pipe)) {
      fail(first.range, "the query has no table before its first '|'",
           "start with a table, e.g. 'DeviceProcessEvents | where ...'");
    } else {
      fail_expected("a table name or a query", "start with a table, e.g. 'SigninLogs | take 10'");
    }
  } catch (const SyntaxError&) {
    skip_to_pipe_or_end();
    query->source = TableSource{};
  }
  query->source_range = range_from(first);
  parse_pipeline(*query);
  query->range = range_from(first);
  return query;
}

void Parser::parse_pipeline(Query& query) {
  while (at(TokenKind::Pipe)) {
    advance();
    const size_t start = pos_;
    try {
      query.pipeline.push_back(parse_operator());
      if (!at(TokenKind::Pipe) && !at(TokenKind::Semicolon) && !at(TokenKind::End) &&
          !at(TokenKind::RightParen)) {
        const Token& stray = peek();
        std::string hint = "start the next operator with '|'";
        if (stray.kind == TokenKind::Assign) hint = "compare with '==', not '='";
        if (stray.kind == TokenKind::Identifier && (stray.text == "&&" || stray.text == "AND"))
          hint = "combine conditions with 'and'";
        fail(stray.range,
             "unexpected " + describe(stray) + " after the operator '" +
                 std::string(tokens_[start].text) + "'",
             hint);
      }
    } catch (const SyntaxError&) {
      skip_to_pipe_or_end();
    }
  }
}

QueryPtr Parser::parse_parenthesized_query() {
  expect(TokenKind::LeftParen, "'('", "write the sub-query in parentheses");
  ++enclosing_parens_;
  QueryPtr inner;
  try {
    inner = parse_query();
  } catch (...) {
    --enclosing_parens_;
    throw;
  }
  --enclosing_parens_;
  expect(TokenKind::RightParen, "')' to close the sub-query", "add ')'");
  return inner;
}

// A join's or union's right side: `(sub-query)` or a bare table / let name.
QueryPtr Parser::parse_table_or_subquery(bool allow_wildcard) {
  if (at(TokenKind::LeftParen)) return parse_parenthesized_query();
  auto query = std::make_unique<Query>();
  const Token& first = peek();
  SourceRange range;
  std::string name = allow_wildcard ? parse_name_pattern(range)
                                    : parse_name("a table name or a sub-query in parentheses",
                                                 "write (Table | where ...)", &range);
  query->source = TableSource{std::move(name)};
  query->source_range = range;
  query->range = range_from(first);
  return query;
}

}  // namespace kql::detail
