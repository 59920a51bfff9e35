// distinct: streams each combination of the chosen columns the first time it appears; the set
// of seen combinations is charged to the memory bound.
#include <unordered_set>

#include "operators.hpp"

namespace log_hunt {
namespace {

class DistinctOperator : public Operator {
 public:
  DistinctOperator(OperatorPtr input, std::vector<OutputColumn> columns, ExecutionContext& context)
      : input_(std::move(input)), context_(context) {
    for (auto& column : columns) {
      schema_.push_back(column.column);
      expressions_.push_back(std::move(column.expression));
    }
    row_.resize(schema_.size());
  }
  ~DistinctOperator() override { context_.release(charged_); }

  const Row* next() override {
    while (const Row* in = input_->next()) {
      context_.on_row();
      key_.clear();
      for (size_t i = 0; i < expressions_.size(); ++i) {
        row_[i] = expressions_[i]->eval(*in);
        append_key(row_[i], key_);
      }
      if (seen_.insert(key_).second) {
        const size_t bytes = key_.size() + 64;
        charged_ += bytes;
        context_.charge(bytes, "distinct");
        return &row_;
      }
    }
    return nullptr;
  }

 private:
  OperatorPtr input_;
  ExecutionContext& context_;
  std::vector<ExpressionPtr> expressions_;
  std::unordered_set<std::string> seen_;
  std::string key_;
  Row row_;
  size_t charged_ = 0;
};

}  // namespace

OperatorPtr make_distinct(OperatorPtr input, std::vector<OutputColumn> columns,
                          ExecutionContext& context) {
  return std::make_unique<DistinctOperator>(std::move(input), std::move(columns), context);
}

}  // namespace log_hunt
