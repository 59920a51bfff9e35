// The streaming operators: rows known up front, where, project and its variants, take, count.
#include "operators.hpp"

namespace log_hunt {
namespace {

class RowsSource : public Operator {
 public:
  RowsSource(Schema schema, std::vector<Row> rows) : rows_(std::move(rows)) {
    schema_ = std::move(schema);
  }
  const Row* next() override { return next_ < rows_.size() ? &rows_[next_++] : nullptr; }

 private:
  std::vector<Row> rows_;
  size_t next_ = 0;
};

class FilterOperator : public Operator {
 public:
  FilterOperator(OperatorPtr input, ExpressionPtr predicate)
      : input_(std::move(input)), predicate_(std::move(predicate)) {
    schema_ = input_->schema();
  }
  const Row* next() override {
    while (const Row* row = input_->next())
      if (is_true(predicate_->eval(*row))) return row;
    return nullptr;
  }

 private:
  OperatorPtr input_;
  ExpressionPtr predicate_;
};

class ProjectionOperator : public Operator {
 public:
  ProjectionOperator(OperatorPtr input, std::vector<OutputColumn> columns)
      : input_(std::move(input)) {
    for (auto& output : columns) {
      schema_.push_back(output.column);
      expressions_.push_back(std::move(output.expression));
    }
    row_.resize(schema_.size());
  }
  const Row* next() override {
    const Row* in = input_->next();
    if (!in) return nullptr;
    for (size_t i = 0; i < expressions_.size(); ++i)
      row_[i] = expressions_[i]->eval(*in);
    return &row_;
  }

 private:
  OperatorPtr input_;
  std::vector<ExpressionPtr> expressions_;
  Row row_;
};

class TakeOperator : public Operator {
 public:
  TakeOperator(OperatorPtr input, int64_t count) : input_(std::move(input)), left_(count) {
    schema_ = input_->schema();
  }
  // Stops pulling once satisfied, so the scan below stops reading.
  const Row* next() override {
    if (left_ <= 0) return nullptr;
    --left_;
    return input_->next();
  }

 private:
  OperatorPtr input_;
  int64_t left_;
};

class CountOperator : public Operator {
 public:
  CountOperator(OperatorPtr input, ExecutionContext& context)
      : input_(std::move(input)), context_(context) {
    schema_.push_back({"Count", Type::Long});
  }
  const Row* next() override {
    if (done_) return nullptr;
    done_ = true;
    int64_t count = 0;
    while (input_->next()) {
      ++count;
      context_.on_row();
    }
    row_ = {Value::of_long(count)};
    return &row_;
  }

 private:
  OperatorPtr input_;
  ExecutionContext& context_;
  bool done_ = false;
  Row row_;
};

}  // namespace

OperatorPtr make_rows_source(Schema schema, std::vector<Row> rows) {
  return std::make_unique<RowsSource>(std::move(schema), std::move(rows));
}
OperatorPtr make_filter(OperatorPtr input, ExpressionPtr predicate) {
  return std::make_unique<FilterOperator>(std::move(input), std::move(predicate));
}
OperatorPtr make_projection(OperatorPtr input, std::vector<OutputColumn> columns) {
  return std::make_unique<ProjectionOperator>(std::move(input), std::move(columns));
}
OperatorPtr make_take(OperatorPtr input, int64_t count) {
  return std::make_unique<TakeOperator>(std::move(input), count);
}
OperatorPtr make_count(OperatorPtr input, ExecutionContext& context) {
  return std::make_unique<CountOperator>(std::move(input), context);
}

}  // namespace log_hunt
