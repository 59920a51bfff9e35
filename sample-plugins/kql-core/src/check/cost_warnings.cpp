// Warnings about queries that are valid but slow, expensive or misleading.
#include <set>

#include "check/checker.hpp"
#include "kql/print.hpp"
#include "text.hpp"

namespace kql::detail {
namespace {

// A word `has` can find through the term index: letters and digits only, 3 characters or more.
bool is_token_like(std::string_view text) {
  if (text.size() < 3) return false;
  for (char c : text)
    if (!is_ascii_alpha(c) && !is_ascii_digit(c)) return false;
  return true;
}

// Columns a predicate bounds for every row it keeps: comparisons joined by `and`.
void bounded_columns(const Expr& expr, std::set<std::string>& columns, int depth = 0) {
  if (depth > 200) return;
  if (const auto* binary = std::get_if<BinaryExpr>(&expr.node)) {
    if (binary->op == BinaryOp::And) {
      bounded_columns(*binary->left, columns, depth + 1);
      bounded_columns(*binary->right, columns, depth + 1);
      return;
    }
    const bool comparison = binary->op == BinaryOp::Greater ||
                            binary->op == BinaryOp::GreaterOrEqual ||
                            binary->op == BinaryOp::Less || binary->op == BinaryOp::LessOrEqual ||
                            binary->op == BinaryOp::Equal;
    if (!comparison) return;
    for (const Expr* side : {binary->left.get(), binary->right.get()})
      if (const auto* column = side ? std::get_if<ColumnRef>(&side->node) : nullptr)
        columns.insert(column->name);
    return;
  }
  if (const auto* between = std::get_if<BetweenExpr>(&expr.node); between && !between->negated) {
    if (const auto* column = std::get_if<ColumnRef>(&between->left->node))
      columns.insert(column->name);
  }
}

}  // namespace

void Checker::note_contains(const BinaryExpr& binary) {
  const bool contains = binary.op == BinaryOp::Contains || binary.op == BinaryOp::NotContains ||
                        binary.op == BinaryOp::ContainsCs || binary.op == BinaryOp::NotContainsCs;
  if (!contains) return;
  const auto* literal = std::get_if<Literal>(&binary.right->node);
  if (!literal || literal->type != ScalarType::String || !is_token_like(literal->text)) return;
  const std::string op = binary_op_text(binary.op);
  std::string has_op = op;
  has_op.replace(has_op.find("contains"), 8, "has");
  warning(
      binary.op_range, "contains-vs-has",
      "'" + op + " " + quote_string(literal->text) + "' scans every character of every value; '" +
          has_op + "' finds whole words through the term index and is much faster",
      "write '" + expression_text(*binary.left) + " " + has_op + " " + quote_string(literal->text) +
          "' when you look for the word itself; keep contains only for text inside words");
}

void Checker::apply_time_filter(const Expr& predicate, Relation& relation) {
  if (relation.unfiltered.empty()) return;
  std::set<std::string> columns;
  bounded_columns(predicate, columns);
  std::erase_if(relation.unfiltered, [&](const TimeRequirement& requirement) {
    return columns.contains(requirement.column);
  });
}

void Checker::warn_unfiltered(const std::vector<TimeRequirement>& requirements) {
  for (const auto& requirement : requirements) {
    if (requirement.table == "every table") {
      warning(requirement.range, "no-time-filter",
              "the search reads every table with no time "
              "filter",
              "add a time filter: search in (...) \"term\" | where Timestamp > ago(1d)");
      continue;
    }
    warning(requirement.range, "no-time-filter",
            requirement.table + " is read without a time filter on " + requirement.column,
            "add '| where " + requirement.column +
                " > ago(1d)' (or the window you need) right "
                "after " +
                requirement.table + ": the query reads less and answers faster");
  }
}

void Checker::warn_take_without_order(const Query& query) {
  bool ordered = false;
  for (size_t i = 0; i < query.pipeline.size(); ++i) {
    const Operator& op = query.pipeline[i];
    if (std::holds_alternative<SortOperator>(op.node) ||
        std::holds_alternative<TopOperator>(op.node)) {
      ordered = true;
      continue;
    }
    if (std::holds_alternative<SummarizeOperator>(op.node)) ordered = false;
    if (!std::holds_alternative<TakeOperator>(op.node) || ordered) continue;
    bool sorted_after = false;
    for (size_t j = i + 1; j < query.pipeline.size(); ++j)
      sorted_after = sorted_after || std::holds_alternative<SortOperator>(query.pipeline[j].node);
    if (sorted_after) {
      warning(op.range, "take-without-order",
              "take returns arbitrary rows, so sorting them afterwards does not give the "
              "latest ones",
              "use 'top N by Timestamp desc' instead of 'take N | sort by ...'");
    } else if (options_.wants_latest) {
      warning(op.range, "take-without-order", "take returns arbitrary rows, not the latest ones",
              "use 'top N by Timestamp desc' (or TimeGenerated) to get the most recent rows");
    }
  }
}

}  // namespace kql::detail
