// Compiler: scalar expressions.
#include <boost/json/parse.hpp>

#include "aggregates.hpp"
#include "compiler.hpp"
#include "functions.hpp"
#include "log_hunt/query_error.hpp"
#include "scalar_nodes.hpp"
#include "suggest.hpp"

namespace log_hunt {
namespace {

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

using kql::BinaryOp;

Value literal_value(const kql::Literal& literal) {
  if (literal.is_null)
    return Value::null_of(literal.type == Type::Unknown ? Type::Dynamic : literal.type);
  switch (literal.type) {
    case Type::Bool:
      return Value::of_bool(literal.boolean);
    case Type::Int:
      return Value::of_long(literal.integer, Type::Int);
    case Type::Long:
      return Value::of_long(literal.integer);
    case Type::Real:
    case Type::Decimal:
      return Value::of_real(literal.real);
    case Type::DateTime:
      return Value::of_datetime(literal.ticks);
    case Type::TimeSpan:
      return Value::of_timespan(literal.ticks);
    case Type::Guid: {
      Value v = Value::of_string(literal.text);
      v.type = Type::Guid;
      return v;
    }
    case Type::Dynamic: {
      boost::system::error_code error;
      boost::json::value parsed = boost::json::parse(literal.text, error);
      if (error) parsed = boost::json::string(literal.text);
      return Value::of_json(std::move(parsed));
    }
    case Type::String:
    default:
      return Value::of_string(literal.text);
  }
}

bool is_comparison(BinaryOp op) {
  switch (op) {
    case BinaryOp::Equal:
    case BinaryOp::NotEqual:
    case BinaryOp::EqualCi:
    case BinaryOp::NotEqualCi:
    case BinaryOp::Less:
    case BinaryOp::LessOrEqual:
    case BinaryOp::Greater:
    case BinaryOp::GreaterOrEqual:
      return true;
    default:
      return false;
  }
}

bool is_arithmetic(BinaryOp op) {
  return op == BinaryOp::Add || op == BinaryOp::Subtract || op == BinaryOp::Multiply ||
         op == BinaryOp::Divide || op == BinaryOp::Modulo;
}

std::vector<std::string> column_names(const Schema& schema) {
  std::vector<std::string> names;
  for (const auto& column : schema)
    names.push_back(column.name);
  return names;
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view name) {
  size_t p = 0, n = 0, star = std::string_view::npos, resume = 0;
  while (n < name.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = n;
    } else if (p < pattern.size() && pattern[p] == name[n]) {
      ++p;
      ++n;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      n = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*')
    ++p;
  return p == pattern.size();
}

Value Compiler::constant(const kql::Expr& expr, const char* what) {
  ExpressionPtr compiled = compile_expression(expr, Schema{});
  if (!compiled->is_constant())
    throw QueryError(ErrorKind::InvalidQuery, std::string(what) + " must be a constant",
                     expr.range);
  return constant_value(*compiled);
}

int64_t Compiler::constant_count(const kql::Expr& expr, const char* what) {
  Value value = unwrap_dynamic(constant(expr, what));
  if (!value.is_integral() || value.is_null)
    throw QueryError(ErrorKind::InvalidQuery, std::string(what) + " must be a whole number",
                     expr.range);
  return value.integer;
}

std::vector<Value> Compiler::membership_items(const std::vector<kql::ExprPtr>& items,
                                              const Schema& schema) {
  std::vector<Value> values;
  auto add = [&values](const Value& value) {
    if (value.type == Type::Dynamic && value.json && value.json->is_array()) {
      for (const auto& element : value.json->as_array())
        values.push_back(unwrap_dynamic(Value::of_json(element)));
    } else {
      values.push_back(value);
    }
  };
  for (const auto& item : items) {
    if (!item) continue;
    if (const auto* sub = std::get_if<kql::SubqueryExpr>(&item->node)) {
      for (const Row& row : run_subquery(*sub->query))
        if (!row.empty()) add(row[0]);
      continue;
    }
    if (const auto* ref = std::get_if<kql::ColumnRef>(&item->node)) {
      // A tabular let or a table named in the list: its first column's values.
      if (find_column(schema, ref->name) < 0 && !scalar_lets_.count(ref->name) &&
          (tabular_lets_.count(ref->name) || store_.tables().count(ref->name))) {
        kql::Query query;
        query.source = kql::TableSource{ref->name};
        query.range = item->range;
        for (const Row& row : run_subquery(query))
          if (!row.empty()) add(row[0]);
        continue;
      }
    }
    ExpressionPtr compiled = compile_expression(*item, schema);
    if (!compiled->is_constant())
      throw QueryError(
          ErrorKind::Unsupported,
          "the items of in/has_any must be constants, a let or a sub-query; a column is not "
          "supported there",
          item->range);
    add(constant_value(*compiled));
  }
  return values;
}

ExpressionPtr Compiler::compile_call(const kql::CallExpr& call, const kql::Expr& expr,
                                     const Schema& schema) {
  if (call.name == "typeof" && call.args.size() == 1 && call.args[0]) {
    std::string name;
    if (const auto* ref = std::get_if<kql::ColumnRef>(&call.args[0]->node)) name = ref->name;
    if (const auto* literal = std::get_if<kql::Literal>(&call.args[0]->node)) name = literal->text;
    if (!kql::parse_type_name(name))
      throw QueryError(ErrorKind::InvalidQuery, "typeof() takes a type name such as long or string",
                       expr.range);
    return std::make_unique<ConstantExpression>(Value::of_string(name));
  }
  if (call.name == "toscalar" && call.args.size() == 1 && call.args[0]) {
    if (const auto* sub = std::get_if<kql::SubqueryExpr>(&call.args[0]->node)) {
      auto rows = run_subquery(*sub->query);
      return std::make_unique<ConstantExpression>(
          rows.empty() || rows[0].empty() ? Value::null_of(Type::Dynamic) : rows[0][0]);
    }
    return compile_expression(*call.args[0], schema);
  }
  if (is_aggregate_function(call.name) && !find_function(call.name))
    throw QueryError(ErrorKind::InvalidQuery,
                     call.name + "() is an aggregation: use it in summarize, e.g. `summarize " +
                         call.name + "(...) by Column`",
                     call.name_range.known() ? call.name_range : expr.range);
  Args args;
  for (const auto& arg : call.args) {
    if (!arg) throw QueryError(ErrorKind::InvalidQuery, "missing argument", expr.range);
    args.push_back(compile_expression(*arg, schema));
  }
  try {
    return make_function_call(call.name, std::move(args), FunctionContext{context_.now()});
  } catch (const QueryError& error) {
    if (error.range().known()) throw;
    throw QueryError(error.kind(), error.what(),
                     call.name_range.known() ? call.name_range : expr.range);
  }
}

ExpressionPtr Compiler::compile_expression(const kql::Expr& expr, const Schema& schema) {
  auto sub = [&](const kql::ExprPtr& child) -> ExpressionPtr {
    if (!child) throw QueryError(ErrorKind::InvalidQuery, "incomplete expression", expr.range);
    return compile_expression(*child, schema);
  };
  try {
    return std::visit(
        Overloaded{
            [&](const kql::Literal& literal) -> ExpressionPtr {
              return std::make_unique<ConstantExpression>(literal_value(literal));
            },
            [&](const kql::ColumnRef& ref) -> ExpressionPtr {
              int index = find_column(schema, ref.name);
              if (index >= 0)
                return std::make_unique<ColumnExpression>(index,
                                                          schema[static_cast<size_t>(index)].type);
              if (auto let = scalar_lets_.find(ref.name); let != scalar_lets_.end())
                return std::make_unique<ConstantExpression>(let->second);
              std::vector<std::string> candidates = column_names(schema);
              for (const auto& [name, value] : scalar_lets_)
                candidates.push_back(name);
              throw QueryError(
                  ErrorKind::InvalidQuery,
                  "unknown column or name '" + ref.name + "'" + did_you_mean(ref.name, candidates),
                  expr.range);
            },
            [&](const kql::StarExpr&) -> ExpressionPtr {
              throw QueryError(ErrorKind::Unsupported,
                               "`*` is only supported in arg_max/arg_min and distinct", expr.range);
            },
            [&](const kql::CallExpr& call) -> ExpressionPtr {
              return compile_call(call, expr, schema);
            },
            [&](const kql::UnaryExpr& unary) -> ExpressionPtr {
              ExpressionPtr operand = sub(unary.operand);
              if (unary.op == kql::UnaryOp::Plus) return operand;
              const bool constant = operand->is_constant();
              ExpressionPtr node = make_negate(std::move(operand));
              return constant ? std::make_unique<ConstantExpression>(constant_value(*node))
                              : std::move(node);
            },
            [&](const kql::BinaryExpr& binary) -> ExpressionPtr {
              ExpressionPtr left = sub(binary.left);
              ExpressionPtr right = sub(binary.right);
              const bool constant = left->is_constant() && right->is_constant();
              ExpressionPtr node;
              if (binary.op == BinaryOp::And)
                node = make_and(std::move(left), std::move(right));
              else if (binary.op == BinaryOp::Or)
                node = make_or(std::move(left), std::move(right));
              else if (is_comparison(binary.op))
                node = make_comparison(binary.op, std::move(left), std::move(right));
              else if (is_arithmetic(binary.op))
                node = make_arithmetic(binary.op, std::move(left), std::move(right));
              else if (binary.op == BinaryOp::MatchesRegex)
                node = make_regex_match(std::move(left), std::move(right));
              else if (binary.op == BinaryOp::Like || binary.op == BinaryOp::NotLike)
                throw QueryError(
                    ErrorKind::InvalidQuery,
                    "KQL has no `like`: use contains, startswith, endswith, has or matches regex",
                    binary.op_range.known() ? binary.op_range : expr.range);
              else
                node = make_string_predicate(binary.op, std::move(left), std::move(right));
              return constant ? std::make_unique<ConstantExpression>(constant_value(*node))
                              : std::move(node);
            },
            [&](const kql::InExpr& in) -> ExpressionPtr {
              ExpressionPtr left = sub(in.left);
              return make_membership(in.op, std::move(left), membership_items(in.items, schema));
            },
            [&](const kql::BetweenExpr& between) -> ExpressionPtr {
              return make_between(between.negated, sub(between.left), sub(between.low),
                                  sub(between.high));
            },
            [&](const kql::MemberExpr& member) -> ExpressionPtr {
              // `Bag.Member` on a column whose name has a dot is not possible in KQL, so this is
              // always dynamic access.
              return make_member(sub(member.object), member.member);
            },
            [&](const kql::IndexExpr& index) -> ExpressionPtr {
              return make_index(sub(index.object), sub(index.index));
            },
            [&](const kql::SubqueryExpr& subquery) -> ExpressionPtr {
              auto rows = run_subquery(*subquery.query);
              return std::make_unique<ConstantExpression>(
                  rows.empty() || rows[0].empty() ? Value::null_of(Type::Dynamic) : rows[0][0]);
            },
            [&](const auto&) -> ExpressionPtr {
              throw QueryError(ErrorKind::Unsupported, "this kind of expression is not supported",
                               expr.range);
            },
        },
        expr.node);
  } catch (const QueryError& error) {
    if (error.range().known()) throw;
    throw QueryError(error.kind(), error.what(), expr.range);
  }
}

}  // namespace log_hunt
