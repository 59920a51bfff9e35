// join: a hash join. The right side (the sub-query) is read whole into a hash table keyed by
// its join columns, charged to the memory bound; the left side streams past it. Kinds:
// innerunique (KQL's default: one left row per key), inner, leftouter, leftsemi, leftanti,
// rightouter, fullouter, rightsemi, rightanti. A null key matches nothing.
#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "operators.hpp"

namespace log_hunt {
namespace {

using kql::JoinKind;

bool left_only(JoinKind kind) {
  return kind == JoinKind::LeftSemi || kind == JoinKind::LeftAnti;
}
bool right_only(JoinKind kind) {
  return kind == JoinKind::RightSemi || kind == JoinKind::RightAnti;
}
bool emits_unmatched_right(JoinKind kind) {
  return kind == JoinKind::RightOuter || kind == JoinKind::FullOuter ||
         kind == JoinKind::RightAnti || kind == JoinKind::RightSemi;
}

class JoinOperator : public Operator {
 public:
  JoinOperator(OperatorPtr left, OperatorPtr right, JoinSpec spec, ExecutionContext& context)
      : left_(std::move(left)),
        right_(std::move(right)),
        spec_(std::move(spec)),
        context_(context) {
    const Schema& l = left_->schema();
    const Schema& r = right_->schema();
    if (!right_only(spec_.kind))
      for (const auto& column : l)
        schema_.push_back(column);
    if (!left_only(spec_.kind)) {
      for (const auto& column : r) {
        Column renamed = column;
        // A right column whose name the left side already has gets a numeric suffix.
        for (int suffix = 1; !right_only(spec_.kind) && find_column(schema_, renamed.name) >= 0;
             ++suffix)
          renamed.name = column.name + std::to_string(suffix);
        schema_.push_back(renamed);
      }
    }
  }
  ~JoinOperator() override { context_.release(charged_); }

  const Row* next() override {
    if (!built_) build();
    while (true) {
      // Pending matches of the current left row.
      if (match_ < matches_.size()) {
        const size_t index = matches_[match_++];
        compose(current_left_, &entries_[index].row);
        return &row_;
      }
      if (!left_done_) {
        const Row* left = left_->next();
        if (!left) {
          left_done_ = true;
          continue;
        }
        context_.on_row();
        if (!probe(*left)) continue;
        return &row_;
      }
      // After the left side: right rows that never matched (or did, for rightsemi).
      while (emits_unmatched_right(spec_.kind) && unmatched_ < entries_.size()) {
        const Entry& entry = entries_[unmatched_++];
        const bool wanted = spec_.kind == JoinKind::RightSemi ? entry.matched : !entry.matched;
        if (!wanted) continue;
        if (right_only(spec_.kind)) {
          row_ = entry.row;
        } else {
          compose(nullptr, &entry.row);
        }
        return &row_;
      }
      return nullptr;
    }
  }

 private:
  struct Entry {
    Row row;
    bool matched = false;
  };

  static bool key_of(const Row& row, const std::vector<int>& columns, std::string& key) {
    key.clear();
    for (int column : columns) {
      const Value& value = row[static_cast<size_t>(column)];
      if (value.is_null && !value.is_string_like()) return false;
      append_key(value, key);
    }
    return true;
  }

  void build() {
    built_ = true;
    std::string key;
    while (const Row* row = right_->next()) {
      context_.on_row();
      size_t bytes = 64;
      for (const auto& value : *row)
        bytes += approximate_bytes(value);
      charged_ += bytes;
      context_.charge(bytes, "the right side of a join (put the smaller table on the right)");
      entries_.push_back({*row, false});
      if (key_of(*row, spec_.right_keys, key)) table_[key].push_back(entries_.size() - 1);
    }
  }

  // Handles one left row: sets up matches_ (returns false to fetch more) or fills row_.
  bool probe(const Row& left) {
    matches_.clear();
    match_ = 0;
    bool has_key = key_of(left, spec_.left_keys, key_);
    if (has_key && spec_.kind == JoinKind::InnerUnique && !seen_left_keys_.insert(key_).second)
      return false;
    if (has_key) {
      if (auto found = table_.find(key_); found != table_.end()) {
        matches_ = found->second;
        for (size_t index : matches_)
          entries_[index].matched = true;
      }
    }
    switch (spec_.kind) {
      case JoinKind::LeftSemi:
        matches_.clear();
        if (!has_key || table_.find(key_) == table_.end()) return false;
        row_ = left;
        return true;
      case JoinKind::LeftAnti:
        if (has_key && table_.find(key_) != table_.end()) {
          matches_.clear();
          return false;
        }
        row_ = left;
        return true;
      case JoinKind::RightSemi:
      case JoinKind::RightAnti:
        matches_.clear();
        return false;
      case JoinKind::LeftOuter:
      case JoinKind::FullOuter:
        current_left_ = &left_copy_;
        left_copy_ = left;
        if (matches_.empty()) {
          compose(&left_copy_, nullptr);
          return true;
        }
        return false;
      default:
        left_copy_ = left;
        current_left_ = &left_copy_;
        return false;
    }
  }

  void compose(const Row* left, const Row* right) {
    row_.clear();
    const Schema& l = left_->schema();
    const Schema& r = right_->schema();
    for (size_t i = 0; i < l.size(); ++i)
      row_.push_back(left ? (*left)[i] : Value::null_of(l[i].type));
    for (size_t i = 0; i < r.size(); ++i)
      row_.push_back(right ? (*right)[i] : Value::null_of(r[i].type));
  }

  OperatorPtr left_, right_;
  JoinSpec spec_;
  ExecutionContext& context_;
  std::vector<Entry> entries_;
  std::unordered_map<std::string, std::vector<size_t>> table_;
  std::unordered_set<std::string> seen_left_keys_;
  std::vector<size_t> matches_;
  size_t match_ = 0;
  size_t unmatched_ = 0;
  const Row* current_left_ = nullptr;
  Row left_copy_;
  std::string key_;
  Row row_;
  size_t charged_ = 0;
  bool built_ = false;
  bool left_done_ = false;
};

}  // namespace

OperatorPtr make_join(OperatorPtr left, OperatorPtr right, JoinSpec spec,
                      ExecutionContext& context) {
  return std::make_unique<JoinOperator>(std::move(left), std::move(right), std::move(spec),
                                        context);
}

}  // namespace log_hunt
