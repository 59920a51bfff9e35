// Factories of the tabular operators; the compiler wires them into a pipeline.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "aggregates.hpp"
#include "kql/ast.hpp"
#include "log_hunt/execution_context.hpp"
#include "log_hunt/expression.hpp"
#include "log_hunt/operator.hpp"

namespace log_hunt {

// Rows known up front: datatable, print, range, a materialised sub-result.
OperatorPtr make_rows_source(Schema schema, std::vector<Row> rows);

OperatorPtr make_filter(OperatorPtr input, ExpressionPtr predicate);

// project, extend, project-away, project-rename, project-reorder and project-keep are all "each
// output column is an expression over the input row".
struct OutputColumn {
  Column column;
  ExpressionPtr expression;
};
OperatorPtr make_projection(OperatorPtr input, std::vector<OutputColumn> columns);

// extend: `schema` is the input's plus new columns; each pair is (target index, expression over
// the row as built so far).
OperatorPtr make_extend(OperatorPtr input, Schema schema,
                        std::vector<std::pair<size_t, ExpressionPtr>> columns);

OperatorPtr make_take(OperatorPtr input, int64_t count);
OperatorPtr make_count(OperatorPtr input, ExecutionContext& context);

struct GroupKey {
  Column column;
  ExpressionPtr expression;
};
OperatorPtr make_summarize(OperatorPtr input, std::vector<GroupKey> keys,
                           std::vector<AggregatePtr> aggregates, ExecutionContext& context);

struct SortKey {
  ExpressionPtr expression;
  bool descending = true;
  bool nulls_first = false;
};
OperatorPtr make_sort(OperatorPtr input, std::vector<SortKey> keys, ExecutionContext& context);
OperatorPtr make_top(OperatorPtr input, int64_t count, std::vector<SortKey> keys,
                     ExecutionContext& context);

// distinct over the given columns of the input (indices); output is those columns.
OperatorPtr make_distinct(OperatorPtr input, std::vector<OutputColumn> columns,
                          ExecutionContext& context);

struct JoinSpec {
  kql::JoinKind kind = kql::JoinKind::InnerUnique;
  std::vector<int> left_keys;  // input column indices
  std::vector<int> right_keys;
};
// Hash join: the right side is read whole into a table, the left side streams past it.
OperatorPtr make_join(OperatorPtr left, OperatorPtr right, JoinSpec spec,
                      ExecutionContext& context);

// Legs one after the other; columns unified by name, in order of first appearance.
OperatorPtr make_union(std::vector<OperatorPtr> legs, std::vector<std::string> leg_names,
                       std::string with_source);

// parse / parse-where: `pattern` alternates literal texts, `*` and captures, as written;
// `regex_texts` (kind=regex) reads the texts as regular expression fragments.
OperatorPtr make_parse(OperatorPtr input, ExpressionPtr source, std::vector<kql::ParsePart> pattern,
                       bool keep_only_matches, bool regex_texts);

struct ExpandItem {
  Column column;        // output column (replaces the input column of that name, if any)
  ExpressionPtr array;  // the dynamic to expand
  std::optional<Type> to_type;
};
OperatorPtr make_mv_expand(OperatorPtr input, std::vector<ExpandItem> items, std::string item_index,
                           int64_t limit);

}  // namespace log_hunt
