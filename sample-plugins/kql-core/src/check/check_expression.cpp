// Types of scalar expressions: column and let resolution, functions, operators.
#include <array>

#include "check/checker.hpp"
#include "kql/print.hpp"
#include "kql/suggest.hpp"

namespace kql::detail {
namespace {

std::string type_text(ScalarType type) {
  return std::string(type_name(type));
}

// "a string", "an int": for messages.
std::string a_type(ScalarType type) {
  const std::string name = type_text(type);
  return (type == ScalarType::Int ? "an " : "a ") + name;
}

bool is_string_operator(BinaryOp op) {
  switch (op) {
    case BinaryOp::Has:
    case BinaryOp::NotHas:
    case BinaryOp::HasCs:
    case BinaryOp::NotHasCs:
    case BinaryOp::HasPrefix:
    case BinaryOp::NotHasPrefix:
    case BinaryOp::HasPrefixCs:
    case BinaryOp::NotHasPrefixCs:
    case BinaryOp::HasSuffix:
    case BinaryOp::NotHasSuffix:
    case BinaryOp::HasSuffixCs:
    case BinaryOp::NotHasSuffixCs:
    case BinaryOp::Contains:
    case BinaryOp::NotContains:
    case BinaryOp::ContainsCs:
    case BinaryOp::NotContainsCs:
    case BinaryOp::StartsWith:
    case BinaryOp::NotStartsWith:
    case BinaryOp::StartsWithCs:
    case BinaryOp::NotStartsWithCs:
    case BinaryOp::EndsWith:
    case BinaryOp::NotEndsWith:
    case BinaryOp::EndsWithCs:
    case BinaryOp::NotEndsWithCs:
    case BinaryOp::MatchesRegex:
    case BinaryOp::Like:
    case BinaryOp::NotLike:
      return true;
    default:
      return false;
  }
}

bool is_comparison(BinaryOp op) {
  return op == BinaryOp::Equal || op == BinaryOp::NotEqual || op == BinaryOp::Less ||
         op == BinaryOp::LessOrEqual || op == BinaryOp::Greater || op == BinaryOp::GreaterOrEqual;
}

bool is_time(ScalarType type) {
  return type == ScalarType::DateTime || type == ScalarType::TimeSpan;
}

// The hint for an argument code that did not fit.
std::string argument_hint(char code) {
  switch (code) {
    case 't':
      return "write a timespan such as 1d, 12h or 30m";
    case 'd':
      return "give a datetime, e.g. Timestamp, now() or datetime(2024-01-31); convert text with "
             "todatetime(...)";
    case 's':
      return "give text; convert other values with tostring(...)";
    case 'n':
    case 'i':
      return "give a number; convert text with tolong(...) or todouble(...)";
    case 'b':
      return "give a condition, e.g. Column == \"value\"";
    case 'y':
      return "give a dynamic value; parse JSON text with parse_json(...) first";
    case 'o':
    case 'r':
      return "give a number, datetime or timespan";
    default:
      return "";
  }
}

bool fits(char code, ScalarType type) {
  if (is_unknownish(type)) return true;
  switch (code) {
    case 's':
      return type == ScalarType::String || type == ScalarType::Guid;
    case 'n':
      return is_numeric(type);
    case 'i':
      return type == ScalarType::Int || type == ScalarType::Long;
    case 't':
      return type == ScalarType::TimeSpan;
    case 'd':
      return type == ScalarType::DateTime;
    case 'b':
      return type == ScalarType::Bool;
    case 'y':
      return false;
    case 'o':
      return is_numeric(type) || is_time(type);
    case 'r':
      return is_numeric(type) || type == ScalarType::TimeSpan;
    default:
      return true;
  }
}

// Usage examples for the functions people most often get wrong.
std::string usage(std::string_view function) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 12> kUsage{{
      {"ago", "ago(1d)"},
      {"bin", "bin(Timestamp, 1h)"},
      {"iff", "iff(condition, value_if_true, value_if_false)"},
      {"iif", "iif(condition, value_if_true, value_if_false)"},
      {"datetime_diff", "datetime_diff('minute', EndTime, StartTime)"},
      {"substring", "substring(text, start, length)"},
      {"extract", "extract(@\"(\\d+)\", 1, text)"},
      {"split", "split(text, \",\")"},
      {"strcat", "strcat(a, \" \", b)"},
      {"format_datetime", "format_datetime(Timestamp, 'yyyy-MM-dd')"},
      {"ipv4_is_in_range", "ipv4_is_in_range(RemoteIP, \"10.0.0.0/8\")"},
      {"count", "count()"},
  }};
  for (const auto& [name, example] : kUsage)
    if (name == function) return "e.g. " + std::string(example);
  return "";
}

}  // namespace

void Checker::expect_bool(const Expr& expr, ScalarType type, const std::string& what) {
  if (type == ScalarType::Bool || is_unknownish(type)) return;
  const std::string text = expression_text(expr);
  error(expr.range, "type-mismatch",
        "the " + what + " condition '" + text + "' is " + a_type(type) + ", not true/false",
        type == ScalarType::String
            ? "compare it, e.g. " + text + " == \"value\" or isnotempty(" + text + ")"
            : "compare it with a value, e.g. " + text + " > 0");
}

ScalarType Checker::type_of(const Expr& expr, const Scope& scope) {
  DepthGuard guard(*this);
  if (guard.too_deep()) {
    error(expr.range, "too-deep", "the expression is nested too deeply to check", "simplify it");
    return ScalarType::Unknown;
  }
  return std::visit(
      [&](const auto& node) -> ScalarType {
        using Node = std::decay_t<decltype(node)>;
        if constexpr (std::is_same_v<Node, Literal>) {
          return node.type;
        } else if constexpr (std::is_same_v<Node, ColumnRef>) {
          return column_type(node, expr, scope);
        } else if constexpr (std::is_same_v<Node, StarExpr>) {
          error(expr.range, "syntax", "'*' (all columns) is not a value here",
                "'*' works in 'where * has \"term\"' and in arg_max(Timestamp, *)");
          return ScalarType::Unknown;
        } else if constexpr (std::is_same_v<Node, CallExpr>) {
          return call_type(node, expr, scope);
        } else if constexpr (std::is_same_v<Node, UnaryExpr>) {
          const ScalarType type =
              node.operand ? type_of(*node.operand, scope) : ScalarType::Unknown;
          if (!is_unknownish(type) && !is_numeric(type) && type != ScalarType::TimeSpan)
            error(expr.range, "type-mismatch",
                  "a sign applies to numbers and timespans, not to " + a_type(type),
                  "remove the sign");
          return type;
        } else if constexpr (std::is_same_v<Node, BinaryExpr>) {
          return binary_type(node, expr, scope);
        } else if constexpr (std::is_same_v<Node, InExpr>) {
          return in_type(node, scope);
        } else if constexpr (std::is_same_v<Node, BetweenExpr>) {
          const ScalarType left = type_of(*node.left, scope);
          const ScalarType low = type_of(*node.low, scope);
          const ScalarType high = type_of(*node.high, scope);
          if (!is_unknownish(left) && !is_numeric(left) && !is_time(left))
            error(node.left->range, "type-mismatch",
                  "between needs a number, datetime or timespan, but '" +
                      expression_text(*node.left) + "' is " + a_type(left),
                  "compare text with ==, has or in");
          // `Timestamp between (start .. 1h)`: a timespan upper bound counts from the start.
          const bool offset = left == ScalarType::DateTime && high == ScalarType::TimeSpan;
          for (const auto& [bound, type] :
               {std::pair{node.low.get(), low}, std::pair{node.high.get(), high}}) {
            if (offset && bound == node.high.get()) continue;
            if (!comparable(left, type))
              error(bound->range, "type-mismatch",
                    "the bound '" + expression_text(*bound) + "' is " + a_type(type) + " but '" +
                        expression_text(*node.left) + "' is " + a_type(left),
                    left == ScalarType::DateTime ? "write the bounds as datetimes, e.g. ago(2d) .. "
                                                   "ago(1d)"
                                                 : "give bounds of the same type");
          }
          return ScalarType::Bool;
        } else if constexpr (std::is_same_v<Node, MemberExpr>) {
          const ScalarType object = type_of(*node.object, scope);
          if (!is_unknownish(object))
            error(node.member_range, "type-mismatch",
                  "'." + node.member + "' reads a property of a dynamic value, but '" +
                      expression_text(*node.object) + "' is " + a_type(object),
                  object == ScalarType::String
                      ? "parse the JSON text first: parse_json(" + expression_text(*node.object) +
                            ")." + node.member
                      : "only dynamic values have properties");
          return ScalarType::Dynamic;
        } else if constexpr (std::is_same_v<Node, IndexExpr>) {
          const ScalarType object = type_of(*node.object, scope);
          const ScalarType index = type_of(*node.index, scope);
          if (!is_unknownish(object))
            error(expr.range, "type-mismatch",
                  "'[...]' indexes a dynamic array or bag, but '" + expression_text(*node.object) +
                      "' is " + a_type(object),
                  object == ScalarType::String ? "parse the JSON text first: parse_json(" +
                                                     expression_text(*node.object) + ")[...]"
                                               : "only dynamic values can be indexed");
          if (!is_unknownish(index) && index != ScalarType::String && !is_numeric(index))
            error(node.index->range, "type-mismatch", "an index is a key (text) or a position",
                  "write Column[\"key\"] or Column[0]");
          return ScalarType::Dynamic;
        } else {  // SubqueryExpr
          if (node.query) check_query(*node.query);
          return ScalarType::Unknown;
        }
      },
      expr.node);
}

ScalarType Checker::column_type(const ColumnRef& column, const Expr& expr, const Scope& scope) {
  if (scope.row)
    if (const Column* found = scope.row->find(column.name)) return found->type;
  if (auto let = scalar_lets_.find(column.name); let != scalar_lets_.end()) return let->second;
  if (tabular_lets_.contains(column.name) || catalogue_.find(column.name)) {
    error(expr.range, "not-a-value", "'" + column.name + "' is a table, not a value",
          "use it as a query source, or test membership with 'Column in (" + column.name +
              " | project Column)'");
    return ScalarType::Unknown;
  }
  if (scope.row && scope.row->open) return ScalarType::Unknown;
  std::vector<std::string> lets;
  for (const auto& [name, unused] : scalar_lets_)
    lets.push_back(name);
  if (!scope.row) {
    auto match = closest_match(column.name, lets);
    error(
        expr.range, "unknown-name",
        "'" + column.name + "' is not defined" + (match ? ". Did you mean '" + *match + "'?" : ""),
        match ? "write '" + *match + "'"
              : "a let statement sees only the lets above it, not table columns");
    return ScalarType::Unknown;
  }
  unknown_column(column.name, expr.range, *scope.row, scope.dropped, lets);
  return ScalarType::Unknown;
}

void Checker::check_argument(const FunctionSignature& function, size_t index, ScalarType type,
                             const Expr& arg) {
  if (function.params.empty()) return;
  const char code = function.params[std::min(index, function.params.size() - 1)];
  if (fits(code, type)) return;
  error(arg.range, "type-mismatch",
        std::string(function.name) + "() needs " +
            (code == 't'   ? std::string("a timespan")
             : code == 'd' ? std::string("a datetime")
             : code == 's' ? std::string("text")
             : code == 'b' ? std::string("a condition")
             : code == 'y' ? std::string("a dynamic value")
                           : std::string("a number")) +
            " as argument " + std::to_string(index + 1) + ", but '" + expression_text(arg) +
            "' is " + a_type(type),
        function.name == "ago" ? "write ago(1d), ago(12h) or ago(30m)" : argument_hint(code));
}

ScalarType Checker::call_type(const CallExpr& call, const Expr& expr, const Scope& scope) {
  const FunctionSignature* function = find_function(call.name);
  Scope args_scope = scope;
  if (!function) {
    if (tabular_lets_.contains(call.name) || catalogue_.find(call.name)) {
      error(call.name_range, "unknown-function", "'" + call.name + "' is a table, not a function",
            "remove the parentheses to use the table");
    } else {
      auto match = closest_match(call.name, function_names());
      error(call.name_range, "unknown-function",
            "unknown function '" + call.name + "'" +
                (match ? ". Did you mean '" + *match + "'?" : ""),
            match ? "write " + *match + "(...)"
                  : "check the name; KQL function names are lower-case with underscores");
    }
    for (const auto& arg : call.args)
      if (arg && !std::holds_alternative<StarExpr>(arg->node)) type_of(*arg, args_scope);
    return ScalarType::Unknown;
  }
  if (function->kind == FunctionKind::Aggregate) {
    if (!scope.aggregates_allowed)
      error(call.name_range, "aggregate-outside-summarize",
            call.name + "() is an aggregation: it works only in summarize or make-series",
            "compute it with '| summarize " + call.name + "(...) by ...'");
    args_scope.aggregates_allowed = false;  // no aggregation inside an aggregation
  }
  const int count = static_cast<int>(call.args.size());
  if (count < function->min_args || (function->max_args >= 0 && count > function->max_args)) {
    std::string expected = function->min_args == function->max_args
                               ? std::to_string(function->min_args) +
                                     (function->min_args == 1 ? " argument" : " arguments")
                           : function->max_args < 0
                               ? "at least " + std::to_string(function->min_args) + " arguments"
                               : std::to_string(function->min_args) + " to " +
                                     std::to_string(function->max_args) + " arguments";
    std::string hint = usage(call.name);
    error(expr.range, "argument-count",
          call.name + "() takes " + expected + ", not " + std::to_string(count),
          hint.empty() ? "see the function's reference" : hint);
  }
  std::vector<ScalarType> types;
  for (size_t i = 0; i < call.args.size(); ++i) {
    const Expr* arg = call.args[i].get();
    if (!arg) {
      types.push_back(ScalarType::Unknown);
      continue;
    }
    const bool star = std::holds_alternative<StarExpr>(arg->node);
    const bool star_allowed = call.name == "arg_max" || call.name == "arg_min" ||
                              call.name == "take_any" || call.name == "any" ||
                              call.name == "hash" || call.name == "pack_all";
    if (star && star_allowed && i > 0) {
      types.push_back(ScalarType::Unknown);
      continue;
    }
    if (function->params == "x" || (function->params.size() > i && function->params[i] == 'x')) {
      types.push_back(ScalarType::Unknown);  // typeof(long): a type name, not a column
      continue;
    }
    const ScalarType type = type_of(*arg, args_scope);
    types.push_back(type);
    if (call.name == "case") {  // case(p1, v1, p2, v2, ..., else): predicates at even places
      if (i % 2 == 0 && i + 1 < call.args.size()) expect_bool(*arg, type, "case");
      continue;
    }
    check_argument(*function, i, type, *arg);
  }
  // bin(Timestamp, 1h): a date or duration is binned by a timespan.
  if ((call.name == "bin" || call.name == "floor") && types.size() == 2 && is_time(types[0]) &&
      !is_unknownish(types[1]) && types[1] != ScalarType::TimeSpan)
    error(call.args[1]->range, "type-mismatch",
          call.name + "() of a " + type_text(types[0]) + " needs a timespan bin size, not " +
              a_type(types[1]),
          "e.g. bin(Timestamp, 1h)");
  const std::string_view rule = function->result;
  auto arg = [&](size_t i) { return i < types.size() ? types[i] : ScalarType::Unknown; };
  if (rule == "arg0") return arg(0);
  if (rule == "arg1") return arg(1);
  if (rule == "case") return arg(1);
  if (rule == "unknown") return ScalarType::Unknown;
  if (rule == "iff") return comparable(arg(1), arg(2)).value_or(arg(1));
  if (rule == "avg") return is_time(arg(0)) ? arg(0) : ScalarType::Real;
  if (call.name == "extract" && call.args.size() == 4) {  // extract(re, 1, text, typeof(long))
    if (const auto* type_call = std::get_if<CallExpr>(&call.args[3]->node);
        type_call && type_call->name == "typeof" && type_call->args.size() == 1)
      if (const auto* name = std::get_if<ColumnRef>(&type_call->args[0]->node))
        return parse_type_name(name->name).value_or(ScalarType::Unknown);
  }
  return parse_type_name(rule).value_or(ScalarType::Unknown);
}

ScalarType Checker::binary_type(const BinaryExpr& binary, const Expr& expr, const Scope& scope) {
  if (!binary.left || !binary.right) return ScalarType::Unknown;
  const BinaryOp op = binary.op;
  if (op == BinaryOp::And || op == BinaryOp::Or) {
    const std::string word = op == BinaryOp::And ? "and" : "or";
    expect_bool(*binary.left, type_of(*binary.left, scope), "'" + word + "'");
    expect_bool(*binary.right, type_of(*binary.right, scope), "'" + word + "'");
    return ScalarType::Bool;
  }
  if (is_string_operator(op)) {
    const std::string op_text = binary_op_text(op);
    if (std::holds_alternative<StarExpr>(binary.left->node)) {
      warning(binary.left->range, "search-star",
              "'* " + op_text + "' searches every column of every row",
              "name the column: e.g. ProcessCommandLine " + op_text + " ...");
    } else {
      const ScalarType left = type_of(*binary.left, scope);
      if (!is_stringish(left))
        error(binary.left->range, "type-mismatch",
              "'" + op_text + "' works on text, but '" + expression_text(*binary.left) + "' is " +
                  a_type(left),
              is_numeric(left) ? "compare numbers with == or in (...), or convert: tostring(" +
                                     expression_text(*binary.left) + ") " + op_text + " ..."
                               : "convert it: tostring(" + expression_text(*binary.left) + ")");
    }
    const ScalarType right = type_of(*binary.right, scope);
    if (!is_stringish(right) && !is_numeric(right))
      error(binary.right->range, "type-mismatch",
            "'" + op_text + "' looks for text, but '" + expression_text(*binary.right) + "' is " +
                a_type(right),
            "quote the value: \"...\"");
    note_contains(binary);
    return ScalarType::Bool;
  }
  const ScalarType left = type_of(*binary.left, scope);
  const ScalarType right = type_of(*binary.right, scope);
  const std::string text = expression_text(expr);
  if (op == BinaryOp::EqualCi || op == BinaryOp::NotEqualCi) {
    for (const auto& [side, type] :
         {std::pair{binary.left.get(), left}, std::pair{binary.right.get(), right}})
      if (!is_stringish(type))
        error(side->range, "type-mismatch",
              "'" + binary_op_text(op) + "' compares text, but '" + expression_text(*side) +
                  "' is " + a_type(type),
              "use == or != for numbers, dates and booleans");
    return ScalarType::Bool;
  }
  if (is_comparison(op)) {
    if (!comparable(left, right)) {
      std::string hint = "compare values of the same type, or convert one side";
      if ((left == ScalarType::DateTime && right == ScalarType::String) ||
          (left == ScalarType::String && right == ScalarType::DateTime))
        hint = "write the date as datetime(2024-01-31) or convert it with todatetime(\"...\")";
      else if (left == ScalarType::DateTime && right == ScalarType::TimeSpan)
        hint = "compare with a point in time, e.g. " + expression_text(*binary.left) + " " +
               binary_op_text(op) + " ago(" + expression_text(*binary.right) + ")";
      else if ((left == ScalarType::String && is_numeric(right)) ||
               (is_numeric(left) && right == ScalarType::String))
        hint = left == ScalarType::String
                   ? "quote the number: " + expression_text(*binary.left) + " " +
                         binary_op_text(op) + " \"" + expression_text(*binary.right) + "\""
                   : "convert the text: tolong(...), or quote nothing";
      error(expr.range, "type-mismatch",
            "'" + text + "' compares " + a_type(left) + " with " + a_type(right), hint);
    }
    return ScalarType::Bool;
  }
  // Arithmetic.
  if (is_unknownish(left) || is_unknownish(right)) {
    const ScalarType known = is_unknownish(left) ? right : left;
    return is_unknownish(known) ? ScalarType::Unknown : known;
  }
  const bool numbers = is_numeric(left) && is_numeric(right);
  const ScalarType number_result =
      (left == ScalarType::Real || right == ScalarType::Real)         ? ScalarType::Real
      : (left == ScalarType::Decimal || right == ScalarType::Decimal) ? ScalarType::Decimal
      : (left == ScalarType::Int && right == ScalarType::Int)         ? ScalarType::Int
                                                                      : ScalarType::Long;
  switch (op) {
    case BinaryOp::Add:
      if (numbers) return number_result;
      if (left == ScalarType::DateTime && right == ScalarType::TimeSpan) return left;
      if (left == ScalarType::TimeSpan && right == ScalarType::DateTime) return right;
      if (left == ScalarType::TimeSpan && right == ScalarType::TimeSpan) return left;
      break;
    case BinaryOp::Subtract:
      if (numbers) return number_result;
      if (left == ScalarType::DateTime && right == ScalarType::DateTime)
        return ScalarType::TimeSpan;
      if (left == ScalarType::DateTime && right == ScalarType::TimeSpan) return left;
      if (left == ScalarType::TimeSpan && right == ScalarType::TimeSpan) return left;
      break;
    case BinaryOp::Multiply:
      if (numbers) return number_result;
      if (left == ScalarType::TimeSpan && is_numeric(right)) return left;
      if (is_numeric(left) && right == ScalarType::TimeSpan) return right;
      break;
    case BinaryOp::Divide:
      if (numbers) return number_result;
      if (left == ScalarType::TimeSpan && right == ScalarType::TimeSpan) return ScalarType::Real;
      if (left == ScalarType::TimeSpan && is_numeric(right)) return left;
      break;
    case BinaryOp::Modulo:
      if (numbers) return number_result;
      if (left == ScalarType::TimeSpan && right == ScalarType::TimeSpan) return left;
      break;
    default:
      break;
  }
  error(expr.range, "type-mismatch",
        "'" + binary_op_text(op) + "' cannot combine " + a_type(left) + " and " + a_type(right),
        left == ScalarType::String && right == ScalarType::String && op == BinaryOp::Add
            ? "join text with strcat(a, b)"
            : "convert one side so both are numbers, or use datetime and timespan arithmetic");
  return ScalarType::Unknown;
}

ScalarType Checker::in_type(const InExpr& in, const Scope& scope) {
  if (!in.left) return ScalarType::Bool;
  const ScalarType left = type_of(*in.left, scope);
  const bool text_only = in.op == InOp::InCi || in.op == InOp::NotInCi || in.op == InOp::HasAny ||
                         in.op == InOp::HasAll;
  const std::string op_text = in_op_text(in.op);
  if (text_only && !is_stringish(left))
    error(in.left->range, "type-mismatch",
          "'" + op_text + "' works on text, but '" + expression_text(*in.left) + "' is " +
              a_type(left),
          "use 'in' for numbers, or convert: tostring(" + expression_text(*in.left) + ")");
  // A one-column table's values: a tabular let, a table or a sub-query.
  auto check_relation = [&](const Relation& relation, const Expr& item) {
    if (relation.schema.open || relation.schema.columns.empty()) return;
    if (relation.schema.columns.size() > 1) {
      error(item.range, "in-table-columns",
            "'" + op_text + "' needs a table with one column, but '" + expression_text(item) +
                "' has " + std::to_string(relation.schema.columns.size()),
            "project one column: (" + expression_text(item) + " | project Column)");
      return;
    }
    const ScalarType type = relation.schema.columns.front().type;
    if (!comparable(left, type))
      error(item.range, "type-mismatch",
            "'" + op_text + "' compares " + a_type(left) + " with values of type " +
                std::string(type_name(type)),
            "compare values of the same type");
  };
  for (const auto& item : in.items) {
    if (!item) continue;
    if (const auto* name = std::get_if<ColumnRef>(&item->node);
        name && !(scope.row && scope.row->find(name->name)) && !scalar_lets_.contains(name->name)) {
      if (auto let = tabular_lets_.find(name->name); let != tabular_lets_.end()) {
        check_relation(let->second, *item);
        continue;
      }
      if (catalogue_.find(name->name)) {
        error(item->range, "in-table-columns",
              "'" + name->name + "' is a whole table; '" + op_text + "' needs one column",
              "write (" + name->name + " | project Column)");
        continue;
      }
    }
    if (const auto* sub = std::get_if<SubqueryExpr>(&item->node)) {
      if (sub->query) check_relation(check_query(*sub->query), *item);
      continue;
    }
    const ScalarType type = type_of(*item, scope);
    if (type == ScalarType::Dynamic || is_unknownish(left)) continue;
    if (text_only ? !(is_stringish(type) || is_numeric(type)) : !comparable(left, type))
      error(item->range, "type-mismatch",
            "'" + expression_text(*in.left) + " " + op_text + " (...)' compares " + a_type(left) +
                " with " + a_type(type) + " '" + expression_text(*item) + "'",
            left == ScalarType::String && is_numeric(type) ? "quote the values: \"...\""
                                                           : "list values of the same type");
  }
  return ScalarType::Bool;
}

bool Checker::contains_aggregate(const Expr& expr) const {
  return std::visit(
      [&](const auto& node) -> bool {
        using Node = std::decay_t<decltype(node)>;
        if constexpr (std::is_same_v<Node, CallExpr>) {
          const FunctionSignature* function = find_function(node.name);
          if (function && function->kind == FunctionKind::Aggregate) return true;
          for (const auto& arg : node.args)
            if (arg && contains_aggregate(*arg)) return true;
          return false;
        } else if constexpr (std::is_same_v<Node, UnaryExpr>) {
          return node.operand && contains_aggregate(*node.operand);
        } else if constexpr (std::is_same_v<Node, BinaryExpr>) {
          return (node.left && contains_aggregate(*node.left)) ||
                 (node.right && contains_aggregate(*node.right));
        } else if constexpr (std::is_same_v<Node, MemberExpr>) {
          return node.object && contains_aggregate(*node.object);
        } else if constexpr (std::is_same_v<Node, IndexExpr>) {
          return node.object && contains_aggregate(*node.object);
        } else {
          return false;
        }
      },
      expr.node);
}

}  // namespace kql::detail
