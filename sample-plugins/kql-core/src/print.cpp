#include "kql/print.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>

#include "kql/literals.hpp"

namespace kql {
namespace {

// Operators bind by precedence; a child that binds looser than its parent is parenthesised.
int precedence(const Expr& expr) {
  if (const auto* binary = std::get_if<BinaryExpr>(&expr.node)) {
    switch (binary->op) {
      case BinaryOp::Or:
        return 1;
      case BinaryOp::And:
        return 2;
      case BinaryOp::Add:
      case BinaryOp::Subtract:
        return 4;
      case BinaryOp::Multiply:
      case BinaryOp::Divide:
      case BinaryOp::Modulo:
        return 5;
      default:
        return 3;
    }
  }
  if (std::holds_alternative<InExpr>(expr.node) || std::holds_alternative<BetweenExpr>(expr.node))
    return 3;
  if (std::holds_alternative<UnaryExpr>(expr.node)) return 6;
  return 7;
}

std::string child(const Expr& expr, int parent) {
  std::string text = to_kql(expr);
  return precedence(expr) < parent ? "(" + text + ")" : text;
}

bool is_plain_name(std::string_view name) {
  if (name.empty() || !(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_'))
    return false;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  return true;
}

std::string name_text(const std::string& name) {
  return is_plain_name(name) ? name : "['" + name + "']";
}

}  // namespace

std::string quote_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out += c;
    }
  }
  return out + "\"";
}

std::string to_kql(const Literal& literal) {
  switch (literal.type) {
    case ScalarType::Bool:
      return literal.is_null ? "bool(null)" : literal.boolean ? "true" : "false";
    case ScalarType::Int:
      return literal.is_null ? "int(null)" : "int(" + std::to_string(literal.integer) + ")";
    case ScalarType::Long:
      return literal.is_null ? "long(null)" : std::to_string(literal.integer);
    case ScalarType::Real:
    case ScalarType::Decimal: {
      if (literal.is_null) return "real(null)";
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, "%.15g", literal.real);
      std::string text = buffer;
      if (text.find_first_of(".en") == std::string::npos) text += ".0";
      return text;
    }
    case ScalarType::String:
      return (literal.obfuscated ? "h" : "") + quote_string(literal.text);
    case ScalarType::DateTime:
      return literal.is_null ? "datetime(null)"
                             : "datetime(" + format_datetime(literal.ticks) + ")";
    case ScalarType::TimeSpan:
      return literal.is_null ? "timespan(null)" : format_timespan_literal(literal.ticks);
    case ScalarType::Guid:
      return literal.is_null ? "guid(null)" : "guid(" + literal.text + ")";
    case ScalarType::Dynamic:
      return literal.is_null ? "dynamic(null)" : "dynamic(" + literal.text + ")";
    case ScalarType::Unknown:
      break;
  }
  return "null";
}

std::string binary_op_text(BinaryOp op) {
  switch (op) {
    case BinaryOp::Or:
      return "or";
    case BinaryOp::And:
      return "and";
    case BinaryOp::Equal:
      return "==";
    case BinaryOp::NotEqual:
      return "!=";
    case BinaryOp::EqualCi:
      return "=~";
    case BinaryOp::NotEqualCi:
      return "!~";
    case BinaryOp::Less:
      return "<";
    case BinaryOp::LessOrEqual:
      return "<=";
    case BinaryOp::Greater:
      return ">";
    case BinaryOp::GreaterOrEqual:
      return ">=";
    case BinaryOp::Add:
      return "+";
    case BinaryOp::Subtract:
      return "-";
    case BinaryOp::Multiply:
      return "*";
    case BinaryOp::Divide:
      return "/";
    case BinaryOp::Modulo:
      return "%";
    case BinaryOp::Has:
      return "has";
    case BinaryOp::NotHas:
      return "!has";
    case BinaryOp::HasCs:
      return "has_cs";
    case BinaryOp::NotHasCs:
      return "!has_cs";
    case BinaryOp::HasPrefix:
      return "hasprefix";
    case BinaryOp::NotHasPrefix:
      return "!hasprefix";
    case BinaryOp::HasPrefixCs:
      return "hasprefix_cs";
    case BinaryOp::NotHasPrefixCs:
      return "!hasprefix_cs";
    case BinaryOp::HasSuffix:
      return "hassuffix";
    case BinaryOp::NotHasSuffix:
      return "!hassuffix";
    case BinaryOp::HasSuffixCs:
      return "hassuffix_cs";
    case BinaryOp::NotHasSuffixCs:
      return "!hassuffix_cs";
    case BinaryOp::Contains:
      return "contains";
    case BinaryOp::NotContains:
      return "!contains";
    case BinaryOp::ContainsCs:
      return "contains_cs";
    case BinaryOp::NotContainsCs:
      return "!contains_cs";
    case BinaryOp::StartsWith:
      return "startswith";
    case BinaryOp::NotStartsWith:
      return "!startswith";
    case BinaryOp::StartsWithCs:
      return "startswith_cs";
    case BinaryOp::NotStartsWithCs:
      return "!startswith_cs";
    case BinaryOp::EndsWith:
      return "endswith";
    case BinaryOp::NotEndsWith:
      return "!endswith";
    case BinaryOp::EndsWithCs:
      return "endswith_cs";
    case BinaryOp::NotEndsWithCs:
      return "!endswith_cs";
    case BinaryOp::MatchesRegex:
      return "matches regex";
    case BinaryOp::Like:
      return "like";
    case BinaryOp::NotLike:
      return "notlike";
  }
  return "?";
}

std::string in_op_text(InOp op) {
  switch (op) {
    case InOp::In:
      return "in";
    case InOp::NotIn:
      return "!in";
    case InOp::InCi:
      return "in~";
    case InOp::NotInCi:
      return "!in~";
    case InOp::HasAny:
      return "has_any";
    case InOp::HasAll:
      return "has_all";
  }
  return "in";
}

std::string join_kind_text(JoinKind kind) {
  switch (kind) {
    case JoinKind::InnerUnique:
      return "innerunique";
    case JoinKind::Inner:
      return "inner";
    case JoinKind::LeftOuter:
      return "leftouter";
    case JoinKind::RightOuter:
      return "rightouter";
    case JoinKind::FullOuter:
      return "fullouter";
    case JoinKind::LeftAnti:
      return "leftanti";
    case JoinKind::RightAnti:
      return "rightanti";
    case JoinKind::LeftSemi:
      return "leftsemi";
    case JoinKind::RightSemi:
      return "rightsemi";
  }
  return "innerunique";
}

std::string operator_name(const Operator& op) {
  return std::visit(
      [](const auto& node) -> std::string {
        using Node = std::decay_t<decltype(node)>;
        if constexpr (std::is_same_v<Node, WhereOperator>)
          return "where";
        else if constexpr (std::is_same_v<Node, ProjectOperator>)
          return "project";
        else if constexpr (std::is_same_v<Node, ProjectAwayOperator>)
          return "project-away";
        else if constexpr (std::is_same_v<Node, ProjectKeepOperator>)
          return "project-keep";
        else if constexpr (std::is_same_v<Node, ProjectRenameOperator>)
          return "project-rename";
        else if constexpr (std::is_same_v<Node, ProjectReorderOperator>)
          return "project-reorder";
        else if constexpr (std::is_same_v<Node, ExtendOperator>)
          return "extend";
        else if constexpr (std::is_same_v<Node, SummarizeOperator>)
          return "summarize";
        else if constexpr (std::is_same_v<Node, SortOperator>)
          return "sort";
        else if constexpr (std::is_same_v<Node, TopOperator>)
          return "top";
        else if constexpr (std::is_same_v<Node, TakeOperator>)
          return "take";
        else if constexpr (std::is_same_v<Node, JoinOperator>)
          return "join";
        else if constexpr (std::is_same_v<Node, LookupOperator>)
          return "lookup";
        else if constexpr (std::is_same_v<Node, UnionOperator>)
          return "union";
        else if constexpr (std::is_same_v<Node, DistinctOperator>)
          return "distinct";
        else if constexpr (std::is_same_v<Node, CountOperator>)
          return "count";
        else if constexpr (std::is_same_v<Node, ParseOperator>)
          return node.keep_only_matches ? "parse-where" : "parse";
        else if constexpr (std::is_same_v<Node, MvExpandOperator>)
          return "mv-expand";
        else if constexpr (std::is_same_v<Node, SearchOperator>)
          return "search";
        else if constexpr (std::is_same_v<Node, MakeSeriesOperator>)
          return "make-series";
        else if constexpr (std::is_same_v<Node, EvaluateOperator>)
          return "evaluate";
        else if constexpr (std::is_same_v<Node, SerializeOperator>)
          return "serialize";
        else if constexpr (std::is_same_v<Node, AsOperator>)
          return "as";
        else if constexpr (std::is_same_v<Node, SampleOperator>)
          return "sample";
        else if constexpr (std::is_same_v<Node, GetSchemaOperator>)
          return "getschema";
        else if constexpr (std::is_same_v<Node, RenderOperator>)
          return "render";
        else
          return "invoke";
      },
      op.node);
}

std::string to_kql(const Expr& expr) {
  return std::visit(
      [&](const auto& node) -> std::string {
        using Node = std::decay_t<decltype(node)>;
        if constexpr (std::is_same_v<Node, Literal>) {
          return to_kql(node);
        } else if constexpr (std::is_same_v<Node, ColumnRef>) {
          return name_text(node.name);
        } else if constexpr (std::is_same_v<Node, StarExpr>) {
          return "*";
        } else if constexpr (std::is_same_v<Node, CallExpr>) {
          std::string text = node.name + "(";
          for (size_t i = 0; i < node.args.size(); ++i)
            text += (i ? ", " : "") + to_kql(*node.args[i]);
          return text + ")";
        } else if constexpr (std::is_same_v<Node, UnaryExpr>) {
          return (node.op == UnaryOp::Negate ? "-" : "+") + child(*node.operand, 6);
        } else if constexpr (std::is_same_v<Node, BinaryExpr>) {
          const int own = precedence(expr);
          // Left-associative: the right child needs parentheses at equal precedence too.
          return child(*node.left, own) + " " + binary_op_text(node.op) + " " +
                 child(*node.right, own + 1);
        } else if constexpr (std::is_same_v<Node, InExpr>) {
          std::string text = child(*node.left, 4) + " " + in_op_text(node.op) + " (";
          for (size_t i = 0; i < node.items.size(); ++i)
            text += (i ? ", " : "") + to_kql(*node.items[i]);
          return text + ")";
        } else if constexpr (std::is_same_v<Node, BetweenExpr>) {
          return child(*node.left, 4) + (node.negated ? " !between (" : " between (") +
                 to_kql(*node.low) + " .. " + to_kql(*node.high) + ")";
        } else if constexpr (std::is_same_v<Node, MemberExpr>) {
          return child(*node.object, 7) + "." + name_text(node.member);
        } else if constexpr (std::is_same_v<Node, IndexExpr>) {
          return child(*node.object, 7) + "[" + to_kql(*node.index) + "]";
        } else {
          return "(sub-query)";
        }
      },
      expr.node);
}

}  // namespace kql
