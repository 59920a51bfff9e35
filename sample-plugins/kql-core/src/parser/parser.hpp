// The recursive-descent parser, split over parse_*.cpp by grammar area. Internal to kql_core.
//
// Errors: a syntax error is recorded as a diagnostic and then SyntaxError unwinds to the nearest
// recovery point (the current pipeline operator, source or statement), which skips to the next
// `|` or `;` so that one query can report several independent mistakes.
// Depth: every recursive rule takes a DepthGuard; past ParseOptions::max_depth the parser
// reports an error instead of recursing further, so hostile input cannot exhaust the stack (nor
// can destroying or walking the tree it builds).
#ifndef KQL_SRC_PARSER_PARSER_HPP
#define KQL_SRC_PARSER_PARSER_HPP

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "kql/ast.hpp"
#include "kql/parse.hpp"
#include "kql/token.hpp"

namespace kql::detail {

struct SyntaxError {};    // a diagnostic was recorded; unwind to a recovery point
struct TooManyErrors {};  // ParseOptions::max_diagnostics reached; stop
struct TooDeep {};        // nesting limit reached: the rest of the statement is skipped, since
                          // recovering inside it would only meet the same nesting again

class Parser {
 public:
  Parser(std::string_view text, const ParseOptions& options);
  ParseResult run();

  // --- cursor (parser.cpp) ---
  const Token& peek(size_t ahead = 0) const;
  const Token& advance();
  const Token& previous() const { return *previous_; }
  bool at(TokenKind kind) const { return peek().kind == kind; }
  bool at_word(std::string_view word, size_t ahead = 0) const;
  bool accept(TokenKind kind);
  bool accept_word(std::string_view word);
  const Token& expect(TokenKind kind, const std::string& what, const std::string& hint);
  void expect_word(std::string_view word, const std::string& context, const std::string& hint);
  // True when the token after `ahead` starts right where it ends (`project-away`, `Device*`).
  bool adjacent(size_t ahead) const;
  SourceRange range_from(const Token& first) const { return span(first.range, previous().range); }

  // --- diagnostics (parser.cpp) ---
  void report(const SourceRange& range, std::string message, std::string hint);
  [[noreturn]] void fail(const SourceRange& range, std::string message, std::string hint);
  [[noreturn]] void fail_expected(const std::string& what, const std::string& hint);
  void warn(const SourceRange& range, std::string code, std::string message, std::string hint);

  class DepthGuard {
   public:
    explicit DepthGuard(Parser& parser);
    ~DepthGuard() { --parser_.depth_; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;

   private:
    Parser& parser_;
  };
  // For loops that grow a left-deep tree (a + b + c ...): each round adds a level to the tree,
  // so it counts as one level of depth until the loop ends.
  class ChainDepth {
   public:
    explicit ChainDepth(Parser& parser) : parser_(parser) {}
    ~ChainDepth() { parser_.depth_ -= added_; }
    ChainDepth(const ChainDepth&) = delete;
    ChainDepth& operator=(const ChainDepth&) = delete;
    void grow(const SourceRange& where);

   private:
    Parser& parser_;
    size_t added_ = 0;
  };

  // --- recovery (parser.cpp) ---
  void skip_to_pipe_or_end();         // stops before `|`, `;`, an unmatched `)`, or the end
  void skip_to_statement_end();       // stops before `;` or the end
  bool top_level_pipe_ahead() const;  // a `|` before the next `;`, at this nesting level
  bool paren_holds_pipe() const;      // at `(`: a `|` at depth 0 inside these parentheses
  bool argument_holds_pipe() const;   // a `|` at depth 0 before the argument's `,` or `)`
  bool pipe_ahead(int pipe_depth, bool stop_at_comma) const;  // the scan behind all three

  // --- statements (parse_statement.cpp) ---
  void parse_script(Script& script);
  Statement parse_statement();
  Statement parse_let();

  // --- queries and sources (parse_query.cpp) ---
  QueryPtr parse_query();
  void parse_pipeline(Query& query);
  QueryPtr parse_parenthesized_query();
  QueryPtr parse_table_or_subquery(bool allow_wildcard);
  std::string parse_name(const std::string& what, const std::string& hint, SourceRange* range);
  bool at_name() const;
  std::string parse_name_pattern(SourceRange& range);
  std::vector<OperatorParam> parse_params();

  // --- operators (parse_operators.cpp, parse_join_union.cpp, parse_operators_more.cpp) ---
  Operator parse_operator();
  std::string read_operator_name(SourceRange& range);
  WhereOperator parse_where();
  std::vector<NamedExpr> parse_named_list(bool allow_empty);
  NamedExpr parse_named_expr();
  std::vector<ColumnPattern> parse_pattern_list(bool allow_order_words);
  ProjectRenameOperator parse_project_rename();
  SummarizeOperator parse_summarize();
  SortKey parse_sort_key();
  SortOperator parse_sort();
  TopOperator parse_top();
  DistinctOperator parse_distinct();
  JoinOperator parse_join();
  LookupOperator parse_lookup();
  std::vector<JoinKey> parse_join_keys();
  UnionOperator parse_union_body();
  ParseOperator parse_parse(bool keep_only_matches);
  MvExpandOperator parse_mv_expand();
  SearchOperator parse_search_body();
  MakeSeriesOperator parse_make_series();
  RenderOperator parse_render();
  AsOperator parse_as();

  // --- expressions (parse_expression.cpp) ---
  ExprPtr parse_expression();
  ExprPtr parse_or();
  ExprPtr parse_and();
  ExprPtr parse_comparison();
  ExprPtr parse_additive();
  ExprPtr parse_multiplicative();
  ExprPtr parse_unary();
  ExprPtr parse_postfix();
  ExprPtr parse_primary();
  ExprPtr parse_call(const Token& name);
  std::vector<ExprPtr> parse_in_list();

  // --- literals (parse_literal.cpp) ---
  ExprPtr parse_typed_literal(const Token& token);
  ExprPtr parse_string_literal();
  ExprPtr parse_dynamic_literal(const Token& word);
  ExprPtr parse_typed_call_literal(const Token& word);  // long(1), bool(null), ...
  void write_dynamic_value(std::string& json);
  std::optional<ScalarType> parse_typeof();

  // --- state ---
  std::string_view text_;
  ParseOptions options_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  const Token* previous_ = nullptr;
  size_t depth_ = 0;
  bool search_mode_ = false;  // `Col:"x"` is a term search inside `search`
  Diagnostics diagnostics_;
  size_t enclosing_parens_ = 0;  // open parentheses around the query being parsed
  std::unordered_set<std::string> unsupported_functions_;  // lets reported as functions
  std::unordered_set<std::string> scalar_lets_;
  std::unordered_set<std::string> tabular_lets_;
};

template <class Node>
ExprPtr make_expr(const SourceRange& range, Node node) {
  auto expr = std::make_unique<Expr>();
  expr->range = range;
  expr->node = std::move(node);
  return expr;
}

}  // namespace kql::detail

#endif  // KQL_SRC_PARSER_PARSER_HPP
