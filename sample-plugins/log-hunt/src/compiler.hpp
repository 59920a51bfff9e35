// Turns kql_core's syntax tree into a pipeline of operators bound to the store's tables.
//
// Two passes per query: backwards, which columns each stage needs (so a scan reads only those,
// see column_needs.hpp); forwards, the operators with their expressions bound to the schema of
// their input. Leading `where`s move into the table scan. `let` statements are kept by name:
// scalar ones as values (evaluated once), tabular ones as syntax compiled at each use, so each
// use reads only what it needs.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "column_needs.hpp"
#include "kql/ast.hpp"
#include "log_hunt/execution_context.hpp"
#include "log_hunt/expression.hpp"
#include "log_hunt/log_store.hpp"
#include "log_hunt/operator.hpp"
#include "operators.hpp"

namespace log_hunt {

class Compiler {
 public:
  Compiler(const LogStore& store, ExecutionContext& context);

  void add_let(const kql::LetStatement& let);
  OperatorPtr compile_query(const kql::Query& query, const ColumnNeeds& needs_at_end);

  // Tables read so far, in first-use order.
  const std::vector<std::string>& tables_used() const { return tables_used_; }

  // Scalar expressions over `schema` (an empty schema for constant contexts).
  ExpressionPtr compile_expression(const kql::Expr& expr, const Schema& schema);

 private:
  OperatorPtr compile_source(const kql::Query& query, const ColumnNeeds& needs,
                             std::vector<const kql::Expr*> pushed_predicates);
  OperatorPtr compile_table(const std::string& name, const kql::SourceRange& range,
                            const ColumnNeeds& needs,
                            const std::vector<const kql::Expr*>& pushed_predicates);
  OperatorPtr compile_operator(OperatorPtr input, const kql::Operator& op,
                               const ColumnNeeds& needs_after);

  OperatorPtr compile_summarize(OperatorPtr input, const kql::SummarizeOperator& op);
  OperatorPtr compile_join(OperatorPtr input, const kql::QueryPtr& right,
                           const std::vector<kql::JoinKey>& on, kql::JoinKind kind, bool lookup,
                           const ColumnNeeds& needs_after, const kql::SourceRange& range);
  OperatorPtr compile_union(std::vector<OperatorPtr> first, std::vector<std::string> first_names,
                            const kql::UnionOperator& op, const ColumnNeeds& needs);
  OperatorPtr compile_datatable(const kql::DatatableSource& source);
  OperatorPtr compile_print(const kql::PrintSource& source);
  OperatorPtr compile_range(const kql::RangeSource& source);

  // Compiled sub-pieces of expressions.
  ExpressionPtr compile_call(const kql::CallExpr& call, const kql::Expr& expr,
                             const Schema& schema);
  std::vector<Value> membership_items(const std::vector<kql::ExprPtr>& items, const Schema& schema);
  Value constant(const kql::Expr& expr, const char* what);
  int64_t constant_count(const kql::Expr& expr, const char* what);
  // Runs a sub-query now and returns its rows (for `in (T | ...)`, toscalar()).
  std::vector<Row> run_subquery(const kql::Query& query, Schema* schema = nullptr);

  // Table names matching a `Device*` pattern among stored tables and tabular lets.
  std::vector<std::string> expand_wildcard(const std::string& pattern) const;

  const LogStore& store_;
  ExecutionContext& context_;
  std::map<std::string, Value> scalar_lets_;
  std::map<std::string, const kql::Query*> tabular_lets_;
  std::vector<std::string> tables_used_;
  int depth_ = 0;  // nesting of tabular lets and sub-queries, to stop runaway recursion
};

bool glob_match(std::string_view pattern, std::string_view name);

}  // namespace log_hunt
