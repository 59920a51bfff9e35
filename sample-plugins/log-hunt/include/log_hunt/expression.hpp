// A compiled scalar expression, bound to the columns of its input row.
//
// eval() returns a reference that stays valid until the next eval() of the same node: a column
// reference returns the row's own value and a constant its value, so a predicate over columns and
// constants copies nothing. Nodes keep their result in a member, so a compiled query is used by
// one thread at a time.
#pragma once

#include <memory>
#include <vector>

#include "log_hunt/value.hpp"

namespace log_hunt {

class Expression {
 public:
  explicit Expression(Type type) : type_(type) {}
  virtual ~Expression() = default;
  virtual const Value& eval(const Row& row) = 0;
  // The static type, for result columns; Unknown when only the data can tell.
  Type type() const { return type_; }
  virtual bool is_constant() const { return false; }

 protected:
  Type type_;
};

using ExpressionPtr = std::unique_ptr<Expression>;

class ColumnExpression : public Expression {
 public:
  ColumnExpression(int index, Type type) : Expression(type), index_(index) {}
  const Value& eval(const Row& row) override { return row[static_cast<size_t>(index_)]; }
  int index() const { return index_; }

 private:
  int index_;
};

class ConstantExpression : public Expression {
 public:
  explicit ConstantExpression(Value value) : Expression(value.type), value_(std::move(value)) {}
  const Value& eval(const Row&) override { return value_; }
  bool is_constant() const override { return true; }
  const Value& value() const { return value_; }

 private:
  Value value_;
};

// Evaluates a constant sub-tree once (at compile time).
inline Value constant_value(Expression& expression) {
  static const Row kNoRow;
  return expression.eval(kNoRow);
}

}  // namespace log_hunt
