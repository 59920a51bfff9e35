// and, or, not and unary minus. `and`/`or` short-circuit: the right side of a cheap test is
// never evaluated for rows the left side already decides.
#include "scalar_nodes.hpp"

namespace log_hunt {
namespace {

class AndExpression : public Expression {
 public:
  AndExpression(ExpressionPtr left, ExpressionPtr right)
      : Expression(Type::Bool), left_(std::move(left)), right_(std::move(right)) {}
  const Value& eval(const Row& row) override {
    result_.set_bool(is_true(left_->eval(row)) && is_true(right_->eval(row)));
    return result_;
  }

 private:
  ExpressionPtr left_, right_;
  Value result_;
};

class OrExpression : public Expression {
 public:
  OrExpression(ExpressionPtr left, ExpressionPtr right)
      : Expression(Type::Bool), left_(std::move(left)), right_(std::move(right)) {}
  const Value& eval(const Row& row) override {
    result_.set_bool(is_true(left_->eval(row)) || is_true(right_->eval(row)));
    return result_;
  }

 private:
  ExpressionPtr left_, right_;
  Value result_;
};

class NotExpression : public Expression {
 public:
  explicit NotExpression(ExpressionPtr operand)
      : Expression(Type::Bool), operand_(std::move(operand)) {}
  const Value& eval(const Row& row) override {
    const Value& value = operand_->eval(row);
    if (value.is_null)
      result_.set_null(Type::Bool);
    else
      result_.set_bool(!is_true(value));
    return result_;
  }

 private:
  ExpressionPtr operand_;
  Value result_;
};

class NegateExpression : public Expression {
 public:
  explicit NegateExpression(ExpressionPtr operand)
      : Expression(operand->type()), operand_(std::move(operand)) {}
  const Value& eval(const Row& row) override {
    Value value = unwrap_dynamic(operand_->eval(row));
    if (value.is_null) {
      result_.set_null(value.type);
    } else if (value.type == Type::Real || value.type == Type::Decimal) {
      result_.set_real(-value.real);
    } else if (value.is_integral() || value.type == Type::TimeSpan) {
      result_.set_long(-value.integer, value.type);
    } else {
      result_.set_null(Type::Unknown);
    }
    return result_;
  }

 private:
  ExpressionPtr operand_;
  Value result_;
};

}  // namespace

ExpressionPtr make_and(ExpressionPtr left, ExpressionPtr right) {
  return std::make_unique<AndExpression>(std::move(left), std::move(right));
}
ExpressionPtr make_or(ExpressionPtr left, ExpressionPtr right) {
  return std::make_unique<OrExpression>(std::move(left), std::move(right));
}
ExpressionPtr make_not(ExpressionPtr operand) {
  return std::make_unique<NotExpression>(std::move(operand));
}
ExpressionPtr make_negate(ExpressionPtr operand) {
  return std::make_unique<NegateExpression>(std::move(operand));
}

}  // namespace log_hunt
