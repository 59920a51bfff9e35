// extend / serialize: the input row plus computed columns, each of which may read the ones
// computed before it in the same operator (`extend a = 1, b = a + 1`). A name that exists is
// replaced in place.
#include "operators.hpp"

namespace log_hunt {
namespace {

class ExtendOperator : public Operator {
 public:
  ExtendOperator(OperatorPtr input, Schema schema,
                 std::vector<std::pair<size_t, ExpressionPtr>> columns)
      : input_(std::move(input)), columns_(std::move(columns)) {
    schema_ = std::move(schema);
  }
  const Row* next() override {
    const Row* in = input_->next();
    if (!in) return nullptr;
    row_ = *in;
    row_.resize(schema_.size());
    for (auto& [target, expression] : columns_) {
      // Evaluate before assigning: the expression may read the column it replaces.
      Value value = expression->eval(row_);
      row_[target] = std::move(value);
    }
    return &row_;
  }

 private:
  OperatorPtr input_;
  std::vector<std::pair<size_t, ExpressionPtr>> columns_;
  Row row_;
};

}  // namespace

OperatorPtr make_extend(OperatorPtr input, Schema schema,
                        std::vector<std::pair<size_t, ExpressionPtr>> columns) {
  return std::make_unique<ExtendOperator>(std::move(input), std::move(schema), std::move(columns));
}

}  // namespace log_hunt
