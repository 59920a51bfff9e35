// Builders of the scalar operator nodes (logic, comparison, arithmetic, string predicates,
// membership, dynamic access); the compiler calls them with already compiled operands.
#pragma once

#include <string>
#include <vector>

#include "kql/ast.hpp"
#include "log_hunt/expression.hpp"

namespace log_hunt {

ExpressionPtr make_and(ExpressionPtr left, ExpressionPtr right);
ExpressionPtr make_or(ExpressionPtr left, ExpressionPtr right);
ExpressionPtr make_not(ExpressionPtr operand);
ExpressionPtr make_negate(ExpressionPtr operand);

// ==, !=, =~, !~, <, <=, >, >=.
ExpressionPtr make_comparison(kql::BinaryOp op, ExpressionPtr left, ExpressionPtr right);
// + - * / %; Type::Unknown result when the operand types do not combine statically.
ExpressionPtr make_arithmetic(kql::BinaryOp op, ExpressionPtr left, ExpressionPtr right);
// has, contains, startswith, endswith, hasprefix, hassuffix and their _cs / negated forms.
ExpressionPtr make_string_predicate(kql::BinaryOp op, ExpressionPtr left, ExpressionPtr right);
// `matches regex`: a constant pattern is compiled once; throws QueryError when it is invalid.
ExpressionPtr make_regex_match(ExpressionPtr left, ExpressionPtr pattern);
// in, !in, in~, !in~, has_any, has_all over constant items (dynamic arrays already flattened).
ExpressionPtr make_membership(kql::InOp op, ExpressionPtr left, std::vector<Value> items);
ExpressionPtr make_between(bool negated, ExpressionPtr value, ExpressionPtr low,
                           ExpressionPtr high);
// dynamic.member and dynamic[index]; a string holding JSON is read as its document.
ExpressionPtr make_member(ExpressionPtr object, std::string member);
ExpressionPtr make_index(ExpressionPtr object, ExpressionPtr index);

// Shared by arithmetic nodes, sum() and avg(): `a op b` with KQL's type rules.
void arithmetic(kql::BinaryOp op, const Value& a, const Value& b, Value& out);
Type arithmetic_type(kql::BinaryOp op, Type a, Type b);

// The JSON document a dynamic value holds, or a string's parsed text; nullptr when neither.
const boost::json::value* as_document(const Value& value, boost::json::value& scratch);

}  // namespace log_hunt
