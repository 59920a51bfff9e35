// Tabular operators: the dispatch after `|`, and the operators made of column lists and sorts.
#include <array>

#include "kql/suggest.hpp"
#include "parser/parser.hpp"
#include "text.hpp"

namespace kql::detail {
namespace {

const std::vector<std::string>& operator_names() {
  static const std::vector<std::string> kNames{"where",
                                               "filter",
                                               "project",
                                               "project-away",
                                               "project-keep",
                                               "project-rename",
                                               "project-reorder",
                                               "extend",
                                               "summarize",
                                               "sort",
                                               "order",
                                               "top",
                                               "take",
                                               "limit",
                                               "join",
                                               "lookup",
                                               "union",
                                               "distinct",
                                               "count",
                                               "parse",
                                               "parse-where",
                                               "mv-expand",
                                               "search",
                                               "make-series",
                                               "evaluate",
                                               "serialize",
                                               "as",
                                               "sample",
                                               "getschema",
                                               "render",
                                               "invoke"};
  return kNames;
}

// Real KQL operators this front end does not model, so the message says "not supported" rather
// than "unknown".
bool is_unsupported_operator(std::string_view name) {
  static constexpr std::array<std::string_view, 14> kNames{
      "top-nested", "top-hitters",  "mv-apply",        "fork",       "facet",       "partition",
      "scan",       "reduce",       "sample-distinct", "make-graph", "graph-match", "find",
      "consume",    "project-smart"};
  for (auto known : kNames)
    if (known == name) return true;
  return false;
}

// What people coming from SQL or Splunk write instead.
std::string foreign_operator_hint(std::string_view name) {
  if (name == "select") return "KQL selects columns with 'project'";
  if (name == "group") return "KQL groups with 'summarize ... by ...'";
  if (name == "stats") return "KQL aggregates with 'summarize count() by ...'";
  if (name == "head") return "KQL keeps the first rows with 'take N'";
  if (name == "rename") return "KQL renames with 'project-rename New = Old'";
  if (name == "eval") return "KQL computes columns with 'extend'";
  if (name == "dedup") return "KQL removes duplicates with 'distinct' or 'summarize arg_max()'";
  return "";
}

}  // namespace

std::string Parser::read_operator_name(SourceRange& range) {
  const Token& first = peek();
  if (first.kind != TokenKind::Identifier) {
    if (first.kind == TokenKind::End || first.kind == TokenKind::Semicolon ||
        first.kind == TokenKind::Pipe)
      fail(first.range, "expected an operator after '|', found " + describe(first),
           "write an operator such as where, project, extend, summarize or take after '|', or "
           "remove the '|'");
    fail(first.range, "expected an operator after '|', found " + describe(first),
         "an operator name such as where, project or summarize follows '|'");
  }
  advance();
  std::string name(first.text);
  // `project-away`, `mv-expand`: hyphenated names are several adjacent tokens.
  while (at(TokenKind::Minus) && previous().range.end() == peek().range.offset &&
         peek(1).kind == TokenKind::Identifier && adjacent(0)) {
    advance();
    name += "-" + std::string(advance().text);
  }
  range = range_from(first);
  return name;
}

Operator Parser::parse_operator() {
  DepthGuard guard(*this);
  Operator op;
  const Token& first = peek();
  const std::string name = read_operator_name(op.name_range);
  if (name == "where" || name == "filter") {
    op.node = parse_where();
  } else if (name == "project") {
    op.node = ProjectOperator{parse_named_list(false)};
  } else if (name == "project-away") {
    op.node = ProjectAwayOperator{parse_pattern_list(false)};
  } else if (name == "project-keep") {
    op.node = ProjectKeepOperator{parse_pattern_list(false)};
  } else if (name == "project-reorder") {
    op.node = ProjectReorderOperator{parse_pattern_list(true)};
  } else if (name == "project-rename") {
    op.node = parse_project_rename();
  } else if (name == "extend") {
    op.node = ExtendOperator{parse_named_list(false)};
  } else if (name == "summarize") {
    op.node = parse_summarize();
  } else if (name == "sort" || name == "order") {
    expect_word("by", "after '" + name + "'", "write '" + name + " by Timestamp desc'");
    op.name_range = range_from(first);
    op.node = parse_sort();
  } else if (name == "top") {
    op.node = parse_top();
  } else if (name == "take" || name == "limit") {
    op.node = TakeOperator{parse_expression()};
  } else if (name == "join") {
    op.node = parse_join();
  } else if (name == "lookup") {
    op.node = parse_lookup();
  } else if (name == "union") {
    op.node = parse_union_body();
  } else if (name == "distinct") {
    op.node = parse_distinct();
  } else if (name == "count") {
    op.node = CountOperator{};
  } else if (name == "parse" || name == "parse-where") {
    op.node = parse_parse(name == "parse-where");
  } else if (name == "mv-expand") {
    op.node = parse_mv_expand();
  } else if (name == "search") {
    op.node = parse_search_body();
  } else if (name == "make-series") {
    op.node = parse_make_series();
  } else if (name == "evaluate") {
    EvaluateOperator evaluate;
    evaluate.params = parse_params();
    evaluate.plugin = parse_expression();
    if (!std::holds_alternative<CallExpr>(evaluate.plugin->node))
      report(evaluate.plugin->range, "evaluate expects a plugin call",
             "write e.g. 'evaluate bag_unpack(AdditionalFields)'");
    op.node = std::move(evaluate);
  } else if (name == "serialize") {
    SerializeOperator serialize;
    if (!at(TokenKind::Pipe) && !at(TokenKind::Semicolon) && !at(TokenKind::End) &&
        !at(TokenKind::RightParen))
      serialize.columns = parse_named_list(false);
    op.node = std::move(serialize);
  } else if (name == "as") {
    op.node = parse_as();
  } else if (name == "sample") {
    op.node = SampleOperator{parse_expression()};
  } else if (name == "getschema") {
    op.node = GetSchemaOperator{};
  } else if (name == "render") {
    op.node = parse_render();
  } else if (name == "invoke") {
    op.node = InvokeOperator{parse_expression()};
  } else if (is_unsupported_operator(name)) {
    fail(op.name_range, "the operator '" + name + "' is not supported by this KQL front end",
         "rewrite the step with where, extend, summarize, join or mv-expand (docs/plugins/kql.md "
         "lists what is supported)");
  } else {
    std::string hint = foreign_operator_hint(to_lower(name));
    if (hint.empty()) {
      auto match = closest_match(name, operator_names());
      hint = match ? "did you mean '" + *match + "'?"
                   : "operators include where, project, extend, summarize, join, sort, top, "
                     "take, distinct, union, parse and mv-expand";
    }
    fail(op.name_range, "unknown operator '" + name + "'", hint);
  }
  op.range = range_from(first);
  return op;
}

WhereOperator Parser::parse_where() {
  if (at(TokenKind::Pipe) || at(TokenKind::End) || at(TokenKind::Semicolon))
    fail_expected("a condition after 'where'", "write e.g. 'where Timestamp > ago(1d)'");
  WhereOperator where{parse_expression()};
  if (at(TokenKind::Assign))
    fail(peek().range, "'=' assigns; it does not compare",
         "compare with '==' (or '=~' to "
         "ignore case)");
  return where;
}

// `name = expr` when a name and '=' lead, else an unnamed expression.
NamedExpr Parser::parse_named_expr() {
  NamedExpr named;
  const Token& first = peek();
  const bool plain_name = at(TokenKind::Identifier) && peek(1).kind == TokenKind::Assign;
  const bool bracketed =
      at_name() && at(TokenKind::LeftBracket) && peek(3).kind == TokenKind::Assign;
  if (plain_name || bracketed) {
    named.name = parse_name("a column name", "", &named.name_range);
    advance();  // '='
  }
  if (at(TokenKind::Comma) || at(TokenKind::Pipe) || at(TokenKind::End) || at(TokenKind::Semicolon))
    fail_expected(named.name.empty() ? "a column or expression"
                                     : "an expression after '" + named.name + " ='",
                  "write Name = expression");
  named.expr = parse_expression();
  named.range = range_from(first);
  return named;
}

std::vector<NamedExpr> Parser::parse_named_list(bool allow_empty) {
  std::vector<NamedExpr> list;
  if (allow_empty && (at(TokenKind::Pipe) || at(TokenKind::End) || at(TokenKind::Semicolon) ||
                      at(TokenKind::RightParen)))
    return list;
  do {
    list.push_back(parse_named_expr());
  } while (accept(TokenKind::Comma));
  return list;
}

std::vector<ColumnPattern> Parser::parse_pattern_list(bool allow_order_words) {
  std::vector<ColumnPattern> list;
  do {
    ColumnPattern pattern;
    pattern.pattern = parse_name_pattern(pattern.range);
    if (allow_order_words &&
        (at_word("asc") || at_word("desc") || at_word("granny-asc") || at_word("granny-desc")))
      advance();
    list.push_back(std::move(pattern));
  } while (accept(TokenKind::Comma));
  return list;
}

ProjectRenameOperator Parser::parse_project_rename() {
  ProjectRenameOperator rename;
  do {
    Rename item;
    item.new_name = parse_name("the new column name", "write project-rename NewName = OldName",
                               &item.new_name_range);
    expect(TokenKind::Assign, "'=' after '" + item.new_name + "'",
           "write project-rename " + item.new_name + " = OldName");
    item.old_name = parse_name("the column to rename", "write project-rename NewName = OldName",
                               &item.old_name_range);
    rename.renames.push_back(std::move(item));
  } while (accept(TokenKind::Comma));
  return rename;
}

SummarizeOperator Parser::parse_summarize() {
  SummarizeOperator summarize;
  summarize.params = parse_params();
  if (!at_word("by")) summarize.aggregates = parse_named_list(true);
  if (accept_word("by")) {
    summarize.by = parse_named_list(false);
  } else if (at(TokenKind::Identifier) && iequals(peek().text, "by")) {
    fail(peek().range, "'" + std::string(peek().text) + "' must be written 'by'",
         "KQL keywords are lower-case");
  }
  if (summarize.aggregates.empty() && summarize.by.empty())
    fail_expected("an aggregation or 'by' after 'summarize'",
                  "write e.g. 'summarize count() by DeviceName'");
  return summarize;
}

SortKey Parser::parse_sort_key() {
  SortKey key;
  const Token& first = peek();
  key.expr = parse_expression();
  if (accept_word("asc")) {
    key.order = SortOrder::Ascending;
    key.order_explicit = true;
  } else if (accept_word("desc")) {
    key.order_explicit = true;
  }
  key.nulls = key.order == SortOrder::Ascending ? NullsOrder::First : NullsOrder::Last;
  if (accept_word("nulls")) {
    key.nulls_explicit = true;
    if (accept_word("first")) {
      key.nulls = NullsOrder::First;
    } else if (accept_word("last")) {
      key.nulls = NullsOrder::Last;
    } else {
      fail_expected("'first' or 'last' after 'nulls'", "write 'nulls first' or 'nulls last'");
    }
  }
  key.range = range_from(first);
  return key;
}

SortOperator Parser::parse_sort() {
  SortOperator sort;
  do {
    sort.keys.push_back(parse_sort_key());
  } while (accept(TokenKind::Comma));
  return sort;
}

TopOperator Parser::parse_top() {
  TopOperator top;
  if (at_word("by")) fail_expected("how many rows after 'top'", "write 'top 10 by Count desc'");
  top.count = parse_additive();
  expect_word("by", "after 'top N'", "write 'top 10 by Count desc'");
  top.by = parse_sort_key();
  return top;
}

DistinctOperator Parser::parse_distinct() {
  DistinctOperator distinct;
  do {
    distinct.columns.push_back(parse_expression());
  } while (accept(TokenKind::Comma));
  return distinct;
}

AsOperator Parser::parse_as() {
  AsOperator as;
  as.params = parse_params();
  as.name = parse_name("a name after 'as'", "write '| as Name'", nullptr);
  return as;
}

RenderOperator Parser::parse_render() {
  RenderOperator render;
  render.chart =
      parse_name("a chart type after 'render'", "write e.g. 'render timechart'", nullptr);
  const size_t start = peek().range.offset;
  skip_to_pipe_or_end();
  const size_t end = previous().range.end();
  if (end > start) render.properties = std::string(text_.substr(start, end - start));
  return render;
}

}  // namespace kql::detail
