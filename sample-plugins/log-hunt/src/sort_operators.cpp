// sort/order by (all rows, buffered and charged to the memory bound) and top N by (a bounded
// heap of N rows, so `top 10` over a million rows keeps ten).
#include <algorithm>
#include <queue>

#include "operators.hpp"

namespace log_hunt {
namespace {

struct Keyed {
  Row keys;
  Row row;
  uint64_t sequence = 0;  // arrival order: equal keys keep it (a stable sort)
};

size_t row_bytes(const Row& row) {
  size_t bytes = 32;
  for (const auto& value : row)
    bytes += approximate_bytes(value);
  return bytes;
}

class KeyOrder {
 public:
  explicit KeyOrder(const std::vector<SortKey>* keys) : keys_(keys) {}
  // True when `a` comes before `b`.
  bool operator()(const Keyed& a, const Keyed& b) const {
    for (size_t i = 0; i < keys_->size(); ++i) {
      const SortKey& key = (*keys_)[i];
      const Value& x = a.keys[i];
      const Value& y = b.keys[i];
      const bool x_null = x.is_null && !x.is_string_like();
      const bool y_null = y.is_null && !y.is_string_like();
      if (x_null || y_null) {
        if (x_null == y_null) continue;
        return x_null == key.nulls_first;
      }
      bool comparable = false;
      int order = compare_values(x, y, comparable);
      if (!comparable || order == 0) continue;
      return key.descending ? order > 0 : order < 0;
    }
    return a.sequence < b.sequence;
  }

 private:
  const std::vector<SortKey>* keys_;
};

class SortOperator : public Operator {
 public:
  SortOperator(OperatorPtr input, std::vector<SortKey> keys, int64_t limit,
               ExecutionContext& context)
      : input_(std::move(input)), keys_(std::move(keys)), limit_(limit), context_(context) {
    schema_ = input_->schema();
  }
  ~SortOperator() override { context_.release(charged_); }

  const Row* next() override {
    if (!built_) build();
    return next_ < rows_.size() ? &rows_[next_++].row : nullptr;
  }

 private:
  Keyed keyed(const Row& row, uint64_t sequence) {
    Keyed item;
    item.sequence = sequence;
    for (auto& key : keys_)
      item.keys.push_back(key.expression->eval(row));
    item.row = row;
    return item;
  }

  void build() {
    built_ = true;
    KeyOrder order(&keys_);
    uint64_t sequence = 0;
    if (limit_ < 0) {
      while (const Row* row = input_->next()) {
        context_.on_row();
        rows_.push_back(keyed(*row, sequence++));
        const size_t bytes = row_bytes(rows_.back().row) + row_bytes(rows_.back().keys);
        charged_ += bytes;
        context_.charge(bytes, "sort");
      }
      std::sort(rows_.begin(), rows_.end(), order);
      return;
    }
    // top N: a max-heap by `order` keeps the N best; the worst kept is on top.
    std::priority_queue<Keyed, std::vector<Keyed>, KeyOrder> heap(order);
    const size_t limit = static_cast<size_t>(limit_);
    while (const Row* row = input_->next()) {
      context_.on_row();
      if (limit == 0) continue;
      Keyed item;
      item.sequence = sequence++;
      for (auto& key : keys_)
        item.keys.push_back(key.expression->eval(*row));
      if (heap.size() == limit && !order(item, heap.top())) continue;
      item.row = *row;
      if (heap.size() == limit) {
        heap.pop();
      } else {
        const size_t bytes = row_bytes(item.row) + row_bytes(item.keys);
        charged_ += bytes;
        context_.charge(bytes, "top");
      }
      heap.push(std::move(item));
    }
    while (!heap.empty()) {
      rows_.push_back(heap.top());
      heap.pop();
    }
    std::reverse(rows_.begin(), rows_.end());
  }

  OperatorPtr input_;
  std::vector<SortKey> keys_;
  int64_t limit_;  // -1: sort everything
  ExecutionContext& context_;
  std::vector<Keyed> rows_;
  size_t charged_ = 0;
  bool built_ = false;
  size_t next_ = 0;
};

}  // namespace

OperatorPtr make_sort(OperatorPtr input, std::vector<SortKey> keys, ExecutionContext& context) {
  return std::make_unique<SortOperator>(std::move(input), std::move(keys), -1, context);
}

OperatorPtr make_top(OperatorPtr input, int64_t count, std::vector<SortKey> keys,
                     ExecutionContext& context) {
  return std::make_unique<SortOperator>(std::move(input), std::move(keys), count < 0 ? 0 : count,
                                        context);
}

}  // namespace log_hunt
