// Operators that reshape values into rows or columns: parse, mv-expand, search, make-series.
#include "parser/parser.hpp"
#include "text.hpp"

namespace kql::detail {

ParseOperator Parser::parse_parse(bool keep_only_matches) {
  ParseOperator parse;
  parse.keep_only_matches = keep_only_matches;
  parse.params = parse_params();
  for (const auto& param : parse.params) {
    if (param.name != "kind") continue;
    if (param.value != "simple" && param.value != "regex" && param.value != "relaxed")
      report(param.range, "'" + param.value + "' is not a parse kind",
             "parse takes kind=simple (the default), kind=regex or kind=relaxed");
    parse.kind = param.value;
  }
  const std::string hint = "write: parse Column with * \"text\" Name:type *";
  parse.source = parse_additive();
  expect_word("with", "after the column to parse", hint);
  bool previous_was_column = false;
  while (!at(TokenKind::Pipe) && !at(TokenKind::Semicolon) && !at(TokenKind::End) &&
         !at(TokenKind::RightParen)) {
    ParsePart part;
    const Token& first = peek();
    if (accept(TokenKind::Star)) {
      part.kind = ParsePart::Kind::Wildcard;
      previous_was_column = false;
    } else if (at(TokenKind::String)) {
      part.kind = ParsePart::Kind::Text;
      part.text = advance().value;
      while (at(TokenKind::String))
        part.text += advance().value;
      previous_was_column = false;
    } else if (at_name()) {
      if (previous_was_column)
        report(first.range, "two columns follow each other in the parse pattern",
               "separate captured columns with a literal string or '*' so the split is defined");
      part.kind = ParsePart::Kind::Column;
      part.text = parse_name("a column name", hint, nullptr);
      if (accept(TokenKind::Colon)) {
        const Token& type = expect(TokenKind::Identifier, "a type after ':'", hint);
        auto parsed = parse_type_name(type.text);
        if (!parsed)
          report(type.range, quote_for_message(type.text) + " is not a KQL type",
                 "use string, long, int, real, bool, datetime, timespan, guid or dynamic");
        part.type = parsed.value_or(ScalarType::String);
        part.type_explicit = true;
      }
      previous_was_column = true;
    } else {
      fail_expected("'*', a string or a column in the parse pattern", hint);
    }
    part.range = range_from(first);
    parse.pattern.push_back(std::move(part));
  }
  if (parse.pattern.empty()) fail_expected("a pattern after 'with'", hint);
  return parse;
}

// Reads `typeof(long)` after `to` in mv-expand.
std::optional<ScalarType> Parser::parse_typeof() {
  expect_word("typeof", "after 'to'", "write 'to typeof(string)'");
  expect(TokenKind::LeftParen, "'(' after 'typeof'", "write 'to typeof(string)'");
  const Token& type = expect(TokenKind::Identifier, "a type name", "e.g. typeof(string)");
  auto parsed = parse_type_name(type.text);
  if (!parsed)
    report(type.range, quote_for_message(type.text) + " is not a KQL type",
           "use string, long, int, real, bool, datetime, timespan, guid or dynamic");
  expect(TokenKind::RightParen, "')' after the type", "write 'to typeof(string)'");
  return parsed;
}

MvExpandOperator Parser::parse_mv_expand() {
  MvExpandOperator expand;
  expand.params = parse_params();
  for (const auto& param : expand.params)
    if (param.name == "with_itemindex") expand.with_itemindex = param.value;
  do {
    MvExpandItem item;
    item.column = parse_named_expr();
    if (accept_word("to")) item.to_type = parse_typeof();
    expand.items.push_back(std::move(item));
  } while (accept(TokenKind::Comma));
  if (accept_word("limit")) expand.limit = parse_additive();
  return expand;
}

SearchOperator Parser::parse_search_body() {
  SearchOperator search;
  search.params = parse_params();
  for (const auto& param : search.params) {
    if (param.name != "kind") continue;
    if (param.value == "case_sensitive") {
      search.case_sensitive = true;
    } else if (param.value != "case_insensitive") {
      report(param.range, "'" + param.value + "' is not a search kind",
             "search takes kind=case_sensitive or kind=case_insensitive");
    }
  }
  if (at_word("in") && peek(1).kind == TokenKind::LeftParen) {
    advance();
    advance();
    do {
      SourceRange range;
      search.tables.push_back(parse_name_pattern(range));
      search.table_ranges.push_back(range);
    } while (accept(TokenKind::Comma));
    expect(TokenKind::RightParen, "')' after the tables to search",
           "write search in (T1, T2) "
           "\"term\"");
  }
  if (at(TokenKind::Pipe) || at(TokenKind::End) || at(TokenKind::Semicolon))
    fail_expected("what to search for", "write search \"term\" or search Column:\"term\"");
  search_mode_ = true;
  try {
    search.predicate = parse_expression();
  } catch (...) {
    search_mode_ = false;
    throw;
  }
  search_mode_ = false;
  return search;
}

MakeSeriesOperator Parser::parse_make_series() {
  MakeSeriesOperator series;
  const std::string hint =
      "write: make-series count() default=0 on Timestamp from ago(7d) to now() step 1h by Col";
  series.params = parse_params();
  do {
    MakeSeriesAggregate aggregate;
    aggregate.aggregate = parse_named_expr();
    if (at_word("default") && peek(1).kind == TokenKind::Assign) {
      advance();
      advance();
      aggregate.default_value = parse_additive();
    }
    series.aggregates.push_back(std::move(aggregate));
  } while (accept(TokenKind::Comma));
  expect_word("on", "and the axis column after the aggregations", hint);
  series.on = parse_additive();
  if (accept_word("from")) series.from = parse_additive();
  if (accept_word("to")) series.to = parse_additive();
  expect_word("step", "and the interval", hint);
  series.step = parse_additive();
  if (accept_word("by")) series.by = parse_named_list(false);
  return series;
}

}  // namespace kql::detail
