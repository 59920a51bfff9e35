// Renders syntax back to KQL text: for messages and explanations.
#ifndef KQL_PRINT_HPP
#define KQL_PRINT_HPP

#include <string>
#include <string_view>

#include "kql/ast.hpp"

namespace kql {

std::string to_kql(const Expr& expr);
std::string to_kql(const Literal& literal);
std::string binary_op_text(BinaryOp op);        // "==", "has", "!contains_cs", "matches regex", ...
std::string in_op_text(InOp op);                // "in", "!in", "in~", "!in~", "has_any", "has_all"
std::string join_kind_text(JoinKind kind);      // "innerunique", "leftouter", ...
std::string operator_name(const Operator& op);  // "where", "project-away", "sort", ...
// A string literal in KQL syntax: "text" with escapes.
std::string quote_string(std::string_view text);

}  // namespace kql

#endif  // KQL_PRINT_HPP
