// summarize: a hash table from the group key (the by-values' byte encoding) to the group's
// by-values and aggregate states. Only groups are kept, never rows; their memory is charged to
// the query's bound. Groups come out in the order they were first seen.
#include <unordered_map>

#include "operators.hpp"

namespace log_hunt {
namespace {

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view text) const noexcept {
    return std::hash<std::string_view>{}(text);
  }
};

class SummarizeOperator : public Operator {
 public:
  SummarizeOperator(OperatorPtr input, std::vector<GroupKey> keys,
                    std::vector<AggregatePtr> aggregates, ExecutionContext& context)
      : input_(std::move(input)), aggregates_(std::move(aggregates)), context_(context) {
    for (auto& key : keys) {
      schema_.push_back(key.column);
      key_expressions_.push_back(std::move(key.expression));
    }
    for (const auto& aggregate : aggregates_)
      for (const auto& column : aggregate->columns())
        schema_.push_back(column);
  }

  ~SummarizeOperator() override { context_.release(charged_); }

  const Row* next() override {
    if (!built_) build();
    if (next_ >= groups_.size()) return nullptr;
    Group& group = groups_[next_++];
    row_ = group.keys;
    for (size_t i = 0; i < aggregates_.size(); ++i)
      aggregates_[i]->emit(*group.states[i], row_);
    return &row_;
  }

 private:
  struct Group {
    Row keys;
    std::vector<std::unique_ptr<AggregateState>> states;
  };

  void build() {
    built_ = true;
    std::string key;
    while (const Row* row = input_->next()) {
      context_.on_row();
      key.clear();
      for (auto& expression : key_expressions_)
        append_key(expression->eval(*row), key);
      auto found = index_.find(std::string_view(key));
      size_t group_index;
      if (found == index_.end()) {
        group_index = groups_.size();
        Group group;
        size_t bytes = key.size() * 2 + 128;
        for (auto& expression : key_expressions_) {
          group.keys.push_back(expression->eval(*row));
          bytes += approximate_bytes(group.keys.back());
        }
        for (auto& aggregate : aggregates_) {
          group.states.push_back(aggregate->make_state());
          bytes += 64;
        }
        charge(bytes);
        groups_.push_back(std::move(group));
        index_.emplace(key, group_index);
      } else {
        group_index = found->second;
      }
      Group& group = groups_[group_index];
      size_t grown = 0;
      for (size_t i = 0; i < aggregates_.size(); ++i)
        grown += aggregates_[i]->update(*group.states[i], *row);
      if (grown) charge(grown);
    }
    // Without `by`, summarize returns one row even for no input.
    if (key_expressions_.empty() && groups_.empty()) {
      Group group;
      for (auto& aggregate : aggregates_)
        group.states.push_back(aggregate->make_state());
      groups_.push_back(std::move(group));
    }
  }

  void charge(size_t bytes) {
    charged_ += bytes;
    context_.charge(bytes, "summarize groups");
  }

  OperatorPtr input_;
  std::vector<ExpressionPtr> key_expressions_;
  std::vector<AggregatePtr> aggregates_;
  ExecutionContext& context_;
  std::unordered_map<std::string, size_t, StringHash, std::equal_to<>> index_;
  std::vector<Group> groups_;
  size_t charged_ = 0;
  bool built_ = false;
  size_t next_ = 0;
  Row row_;
};

}  // namespace

OperatorPtr make_summarize(OperatorPtr input, std::vector<GroupKey> keys,
                           std::vector<AggregatePtr> aggregates, ExecutionContext& context) {
  return std::make_unique<SummarizeOperator>(std::move(input), std::move(keys),
                                             std::move(aggregates), context);
}

}  // namespace log_hunt
