// + - * / % over numbers, datetimes and timespans with KQL's rules: long op long stays long
// (integer division truncates), a real makes it real, datetime - datetime is a timespan,
// datetime ± timespan a datetime; division by zero and nulls give null.
#include <cmath>

#include "scalar_nodes.hpp"

namespace log_hunt {
namespace {

using kql::BinaryOp;

bool is_integral_type(Type t) {
  return t == Type::Int || t == Type::Long;
}
bool is_real_type(Type t) {
  return t == Type::Real || t == Type::Decimal;
}
bool is_numeric_type(Type t) {
  return is_integral_type(t) || is_real_type(t);
}

class ArithmeticExpression : public Expression {
 public:
  ArithmeticExpression(BinaryOp op, ExpressionPtr left, ExpressionPtr right)
      : Expression(arithmetic_type(op, left->type(), right->type())),
        op_(op),
        left_(std::move(left)),
        right_(std::move(right)) {}
  const Value& eval(const Row& row) override {
    arithmetic(op_, left_->eval(row), right_->eval(row), result_);
    return result_;
  }

 private:
  BinaryOp op_;
  ExpressionPtr left_, right_;
  Value result_;
};

void integer_op(BinaryOp op, int64_t a, int64_t b, Type type, Value& out) {
  switch (op) {
    case BinaryOp::Add:
      out.set_long(static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b)), type);
      return;
    case BinaryOp::Subtract:
      out.set_long(static_cast<int64_t>(static_cast<uint64_t>(a) - static_cast<uint64_t>(b)), type);
      return;
    case BinaryOp::Multiply:
      out.set_long(static_cast<int64_t>(static_cast<uint64_t>(a) * static_cast<uint64_t>(b)), type);
      return;
    case BinaryOp::Divide:
      if (b == 0 || (a == INT64_MIN && b == -1))
        out.set_null(type);
      else
        out.set_long(a / b, type);
      return;
    case BinaryOp::Modulo:
      if (b == 0 || (a == INT64_MIN && b == -1))
        out.set_null(type);
      else
        out.set_long(a % b, type);
      return;
    default:
      out.set_null(type);
  }
}

void real_op(BinaryOp op, double a, double b, Value& out) {
  switch (op) {
    case BinaryOp::Add:
      out.set_real(a + b);
      return;
    case BinaryOp::Subtract:
      out.set_real(a - b);
      return;
    case BinaryOp::Multiply:
      out.set_real(a * b);
      return;
    case BinaryOp::Divide:
      out.set_real(a / b);
      return;
    case BinaryOp::Modulo:
      out.set_real(std::fmod(a, b));
      return;
    default:
      out.set_null(Type::Real);
  }
}

}  // namespace

Type arithmetic_type(BinaryOp op, Type a, Type b) {
  if (a == Type::Dynamic || b == Type::Dynamic || a == Type::Unknown || b == Type::Unknown)
    return Type::Unknown;
  if (is_numeric_type(a) && is_numeric_type(b))
    return is_real_type(a) || is_real_type(b) ? Type::Real : Type::Long;
  if (a == Type::DateTime && b == Type::DateTime && op == BinaryOp::Subtract) return Type::TimeSpan;
  if (a == Type::DateTime && b == Type::TimeSpan &&
      (op == BinaryOp::Add || op == BinaryOp::Subtract))
    return Type::DateTime;
  if (a == Type::TimeSpan && b == Type::DateTime && op == BinaryOp::Add) return Type::DateTime;
  if (a == Type::TimeSpan && b == Type::TimeSpan)
    return op == BinaryOp::Divide ? Type::Real : Type::TimeSpan;
  if ((a == Type::TimeSpan && is_numeric_type(b)) || (is_numeric_type(a) && b == Type::TimeSpan))
    return Type::TimeSpan;
  return Type::Unknown;
}

void arithmetic(BinaryOp op, const Value& left, const Value& right, Value& out) {
  Value left_scalar, right_scalar;  // only filled for dynamic operands
  if (left.type == Type::Dynamic) left_scalar = unwrap_dynamic(left);
  if (right.type == Type::Dynamic) right_scalar = unwrap_dynamic(right);
  const Value& a = left.type == Type::Dynamic ? left_scalar : left;
  const Value& b = right.type == Type::Dynamic ? right_scalar : right;
  const Type type = arithmetic_type(op, a.type, b.type);
  if (a.is_null || b.is_null || type == Type::Unknown) {
    out.set_null(type == Type::Unknown ? Type::Real : type);
    return;
  }
  if (is_numeric_type(a.type) && is_numeric_type(b.type)) {
    if (type == Type::Long)
      integer_op(op, a.integer, b.integer, Type::Long, out);
    else
      real_op(op, a.as_double(), b.as_double(), out);
    return;
  }
  if (type == Type::DateTime || (type == Type::TimeSpan && a.type == b.type)) {
    integer_op(op, a.integer, b.integer, type, out);
    return;
  }
  if (a.type == Type::DateTime && b.type == Type::DateTime) {
    out.set_long(a.integer - b.integer, Type::TimeSpan);
    return;
  }
  if (type == Type::Real) {  // timespan / timespan
    if (b.integer == 0)
      out.set_null(Type::Real);
    else
      out.set_real(static_cast<double>(a.integer) / static_cast<double>(b.integer));
    return;
  }
  // timespan * number, number * timespan, timespan / number.
  const Value& span = a.type == Type::TimeSpan ? a : b;
  const Value& number = a.type == Type::TimeSpan ? b : a;
  double factor = number.as_double();
  double ticks = static_cast<double>(span.integer);
  if (op == BinaryOp::Multiply) {
    out.set_long(static_cast<int64_t>(std::llround(ticks * factor)), Type::TimeSpan);
  } else if (op == BinaryOp::Divide && a.type == Type::TimeSpan && factor != 0) {
    out.set_long(static_cast<int64_t>(std::llround(ticks / factor)), Type::TimeSpan);
  } else {
    out.set_null(Type::TimeSpan);
  }
}

ExpressionPtr make_arithmetic(BinaryOp op, ExpressionPtr left, ExpressionPtr right) {
  return std::make_unique<ArithmeticExpression>(op, std::move(left), std::move(right));
}

}  // namespace log_hunt
