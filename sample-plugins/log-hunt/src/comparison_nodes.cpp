// ==, !=, =~, !~, <, <=, >, >= and between, with KQL's null rule: a comparison with a null is
// null, which a filter reads as false.
#include "scalar_nodes.hpp"

#include "log_hunt/text.hpp"

namespace log_hunt {
namespace {

using kql::BinaryOp;

class ComparisonExpression : public Expression {
 public:
  ComparisonExpression(BinaryOp op, ExpressionPtr left, ExpressionPtr right)
      : Expression(Type::Bool), op_(op), left_(std::move(left)), right_(std::move(right)) {}

  const Value& eval(const Row& row) override {
    const Value& a = left_->eval(row);
    const Value& b = right_->eval(row);
    // The common case first: two strings.
    if (a.is_string_like() && b.is_string_like()) {
      switch (op_) {
        case BinaryOp::Equal:
          result_.set_bool(a.text == b.text);
          return result_;
        case BinaryOp::NotEqual:
          result_.set_bool(a.text != b.text);
          return result_;
        case BinaryOp::EqualCi:
          result_.set_bool(iequals(a.text, b.text));
          return result_;
        case BinaryOp::NotEqualCi:
          result_.set_bool(!iequals(a.text, b.text));
          return result_;
        default:
          break;
      }
    }
    switch (op_) {
      case BinaryOp::Equal:
      case BinaryOp::EqualCi:
      case BinaryOp::NotEqual:
      case BinaryOp::NotEqualCi: {
        const bool either_null =
            (a.is_null && !a.is_string_like()) || (b.is_null && !b.is_string_like());
        if (either_null) {
          result_.set_null(Type::Bool);
          return result_;
        }
        const bool ci = op_ == BinaryOp::EqualCi || op_ == BinaryOp::NotEqualCi;
        const bool equal = values_equal(a, b, ci);
        const bool negated = op_ == BinaryOp::NotEqual || op_ == BinaryOp::NotEqualCi;
        result_.set_bool(negated ? !equal : equal);
        return result_;
      }
      default: {
        bool comparable = false;
        const int order = compare_values(a, b, comparable);
        if (!comparable) {
          result_.set_null(Type::Bool);
          return result_;
        }
        bool holds = false;
        if (op_ == BinaryOp::Less) holds = order < 0;
        if (op_ == BinaryOp::LessOrEqual) holds = order <= 0;
        if (op_ == BinaryOp::Greater) holds = order > 0;
        if (op_ == BinaryOp::GreaterOrEqual) holds = order >= 0;
        result_.set_bool(holds);
        return result_;
      }
    }
  }

 private:
  BinaryOp op_;
  ExpressionPtr left_, right_;
  Value result_;
};

class BetweenExpression : public Expression {
 public:
  BetweenExpression(bool negated, ExpressionPtr value, ExpressionPtr low, ExpressionPtr high)
      : Expression(Type::Bool),
        negated_(negated),
        value_(std::move(value)),
        low_(std::move(low)),
        high_(std::move(high)) {}

  const Value& eval(const Row& row) override {
    const Value& value = value_->eval(row);
    const Value& low = low_->eval(row);
    const Value* high = &high_->eval(row);
    // `Timestamp between (datetime(...) .. 1h)`: the high bound is a length from the low one.
    Value end;
    if (low.type == Type::DateTime && high->type == Type::TimeSpan && !low.is_null &&
        !high->is_null) {
      end = Value::of_datetime(low.integer + high->integer);
      high = &end;
    }
    bool low_ok = false, high_ok = false;
    const int above = compare_values(value, low, low_ok);
    const int below = compare_values(value, *high, high_ok);
    if (!low_ok || !high_ok) {
      result_.set_null(Type::Bool);
      return result_;
    }
    const bool inside = above >= 0 && below <= 0;
    result_.set_bool(negated_ ? !inside : inside);
    return result_;
  }

 private:
  bool negated_;
  ExpressionPtr value_, low_, high_;
  Value result_;
};

}  // namespace

ExpressionPtr make_comparison(BinaryOp op, ExpressionPtr left, ExpressionPtr right) {
  return std::make_unique<ComparisonExpression>(op, std::move(left), std::move(right));
}

ExpressionPtr make_between(bool negated, ExpressionPtr value, ExpressionPtr low,
                           ExpressionPtr high) {
  return std::make_unique<BetweenExpression>(negated, std::move(value), std::move(low),
                                             std::move(high));
}

}  // namespace log_hunt
