#include "aggregates.hpp"

#include <unordered_set>

#include <boost/json/array.hpp>

#include "log_hunt/query_error.hpp"
#include "scalar_nodes.hpp"

namespace log_hunt {
namespace {

struct CountState : AggregateState {
  int64_t count = 0;
};

struct ValueState : AggregateState {
  Value value;
  bool seen = false;
};

struct SumState : AggregateState {
  Value sum;
  int64_t count = 0;
  double real_sum = 0;
};

struct SetState : AggregateState {
  std::unordered_set<std::string> keys;
  boost::json::array items;
  int64_t count = 0;
};

struct ArgState : AggregateState {
  Value best;
  Row columns;
  bool seen = false;
};

// The optional `if` predicate of countif, sumif, dcountif, make_set_if, ...
bool passes(ExpressionPtr& predicate, const Row& row) {
  return !predicate || is_true(predicate->eval(row));
}

class CountAggregate : public Aggregate {
 public:
  CountAggregate(std::string name, ExpressionPtr predicate) : predicate_(std::move(predicate)) {
    columns_.push_back({std::move(name), Type::Long});
  }
  std::unique_ptr<AggregateState> make_state() override { return std::make_unique<CountState>(); }
  size_t update(AggregateState& state, const Row& row) override {
    if (passes(predicate_, row)) ++static_cast<CountState&>(state).count;
    return 0;
  }
  void emit(const AggregateState& state, Row& out) override {
    out.push_back(Value::of_long(static_cast<const CountState&>(state).count));
  }

 private:
  ExpressionPtr predicate_;
};

// sum, sumif, avg, avgif.
class SumAggregate : public Aggregate {
 public:
  SumAggregate(std::string name, ExpressionPtr value, ExpressionPtr predicate, bool average)
      : value_(std::move(value)), predicate_(std::move(predicate)), average_(average) {
    Type in = value_->type();
    Type out = average ? (in == Type::TimeSpan ? Type::TimeSpan : Type::Real)
                       : (in == Type::Int || in == Type::Long
                              ? Type::Long
                              : (in == Type::TimeSpan ? Type::TimeSpan : Type::Real));
    columns_.push_back({std::move(name), out});
  }
  std::unique_ptr<AggregateState> make_state() override { return std::make_unique<SumState>(); }
  size_t update(AggregateState& base, const Row& row) override {
    if (!passes(predicate_, row)) return 0;
    auto& state = static_cast<SumState&>(base);
    const Value& raw = value_->eval(row);
    Value unwrapped;
    if (raw.type == Type::Dynamic) unwrapped = unwrap_dynamic(raw);
    const Value& value = raw.type == Type::Dynamic ? unwrapped : raw;
    if (value.is_null || !(value.is_number() || value.type == Type::TimeSpan)) return 0;
    ++state.count;
    state.real_sum +=
        value.type == Type::TimeSpan ? static_cast<double>(value.integer) : value.as_double();
    if (state.count == 1)
      state.sum = value;
    else
      arithmetic(kql::BinaryOp::Add, state.sum, value, state.sum);
    return 0;
  }
  void emit(const AggregateState& base, Row& out) override {
    const auto& state = static_cast<const SumState&>(base);
    const Type type = columns_[0].type;
    if (state.count == 0) {
      out.push_back(average_ ? Value::null_of(type)
                             : (type == Type::Long ? Value::of_long(0) : Value::null_of(type)));
      if (!average_ && type == Type::Real) out.back() = Value::of_real(0);
      return;
    }
    if (!average_) {
      Value sum = state.sum;
      if (type == Type::Real && sum.type != Type::Real) sum = Value::of_real(sum.as_double());
      out.push_back(sum);
      return;
    }
    const double mean = state.real_sum / static_cast<double>(state.count);
    out.push_back(type == Type::TimeSpan ? Value::of_timespan(static_cast<int64_t>(mean))
                                         : Value::of_real(mean));
  }

 private:
  ExpressionPtr value_, predicate_;
  bool average_;
};

// min, max, minif, maxif.
class ExtremeAggregate : public Aggregate {
 public:
  ExtremeAggregate(std::string name, ExpressionPtr value, ExpressionPtr predicate, bool want_max)
      : value_(std::move(value)), predicate_(std::move(predicate)), want_max_(want_max) {
    columns_.push_back({std::move(name), value_->type()});
  }
  std::unique_ptr<AggregateState> make_state() override { return std::make_unique<ValueState>(); }
  size_t update(AggregateState& base, const Row& row) override {
    if (!passes(predicate_, row)) return 0;
    auto& state = static_cast<ValueState&>(base);
    const Value& value = value_->eval(row);
    if (value.is_null && !value.is_string_like()) return 0;
    if (value.is_string_like() && value.text.empty()) return 0;  // KQL ignores empty strings
    bool comparable = false;
    if (!state.seen) {
      state.value = value;
      state.seen = true;
      return approximate_bytes(value);
    }
    const int order = compare_values(value, state.value, comparable);
    if (comparable && (want_max_ ? order > 0 : order < 0)) state.value = value;
    return 0;
  }
  void emit(const AggregateState& base, Row& out) override {
    const auto& state = static_cast<const ValueState&>(base);
    out.push_back(state.seen ? state.value : Value::null_of(columns_[0].type));
  }

 private:
  ExpressionPtr value_, predicate_;
  bool want_max_;
};

class TakeAnyAggregate : public Aggregate {
 public:
  TakeAnyAggregate(std::string name, ExpressionPtr value) : value_(std::move(value)) {
    columns_.push_back({std::move(name), value_->type()});
  }
  std::unique_ptr<AggregateState> make_state() override { return std::make_unique<ValueState>(); }
  size_t update(AggregateState& base, const Row& row) override {
    auto& state = static_cast<ValueState&>(base);
    if (state.seen) return 0;
    state.value = value_->eval(row);
    state.seen = true;
    return approximate_bytes(state.value);
  }
  void emit(const AggregateState& base, Row& out) override {
    const auto& state = static_cast<const ValueState&>(base);
    out.push_back(state.seen ? state.value : Value::null_of(columns_[0].type));
  }

 private:
  ExpressionPtr value_;
};

// dcount, dcountif, make_set, make_set_if, make_list, make_list_if.
class SetAggregate : public Aggregate {
 public:
  enum class Kind { DistinctCount, Set, List };
  SetAggregate(std::string name, Kind kind, ExpressionPtr value, ExpressionPtr predicate,
               int64_t max_items)
      : kind_(kind),
        value_(std::move(value)),
        predicate_(std::move(predicate)),
        max_items_(max_items) {
    columns_.push_back({std::move(name), kind == Kind::DistinctCount ? Type::Long : Type::Dynamic});
  }
  std::unique_ptr<AggregateState> make_state() override { return std::make_unique<SetState>(); }
  size_t update(AggregateState& base, const Row& row) override {
    if (!passes(predicate_, row)) return 0;
    auto& state = static_cast<SetState&>(base);
    const Value& value = value_->eval(row);
    if (value.is_null && !value.is_string_like()) return 0;
    if (kind_ == Kind::List) {
      if (static_cast<int64_t>(state.items.size()) >= max_items_) return 0;
      state.items.push_back(to_json(value));
      return approximate_bytes(value);
    }
    key_.clear();
    append_key(value, key_);
    if (state.keys.count(key_)) return 0;
    if (kind_ == Kind::Set && static_cast<int64_t>(state.keys.size()) >= max_items_) return 0;
    state.keys.insert(key_);
    if (kind_ == Kind::Set) state.items.push_back(to_json(value));
    return key_.size() + 48 + (kind_ == Kind::Set ? approximate_bytes(value) : 0);
  }
  void emit(const AggregateState& base, Row& out) override {
    const auto& state = static_cast<const SetState&>(base);
    if (kind_ == Kind::DistinctCount)
      out.push_back(Value::of_long(static_cast<int64_t>(state.keys.size())));
    else
      out.push_back(Value::of_json(boost::json::value(state.items)));
  }

 private:
  Kind kind_;
  ExpressionPtr value_, predicate_;
  int64_t max_items_;
  std::string key_;
};

class ArgAggregate : public Aggregate {
 public:
  ArgAggregate(std::string by_name, ExpressionPtr by, std::vector<ExpressionPtr> values,
               std::vector<std::string> names, bool want_max)
      : by_(std::move(by)), values_(std::move(values)), want_max_(want_max) {
    columns_.push_back({std::move(by_name), by_->type()});
    for (size_t i = 0; i < values_.size(); ++i)
      columns_.push_back({names[i], values_[i]->type()});
  }
  std::unique_ptr<AggregateState> make_state() override { return std::make_unique<ArgState>(); }
  size_t update(AggregateState& base, const Row& row) override {
    auto& state = static_cast<ArgState&>(base);
    const Value& by = by_->eval(row);
    if (by.is_null && !by.is_string_like()) return 0;
    bool replace = !state.seen;
    if (!replace) {
      bool comparable = false;
      const int order = compare_values(by, state.best, comparable);
      replace = comparable && (want_max_ ? order > 0 : order < 0);
    }
    if (!replace) return 0;
    size_t bytes = 0;
    const bool first = !state.seen;
    state.best = by;
    state.columns.resize(values_.size());
    for (size_t i = 0; i < values_.size(); ++i) {
      state.columns[i] = values_[i]->eval(row);
      if (first) bytes += approximate_bytes(state.columns[i]);
    }
    state.seen = true;
    return bytes;
  }
  void emit(const AggregateState& base, Row& out) override {
    const auto& state = static_cast<const ArgState&>(base);
    if (!state.seen) {
      for (const auto& column : columns_)
        out.push_back(Value::null_of(column.type));
      return;
    }
    out.push_back(state.best);
    for (const auto& value : state.columns)
      out.push_back(value);
  }

 private:
  ExpressionPtr by_;
  std::vector<ExpressionPtr> values_;
  bool want_max_;
};

struct Arity {
  std::string_view name;
  size_t min, max;
  const char* signature;
};

constexpr Arity kAggregates[] = {
    {"count", 0, 1, "count()"},
    {"countif", 1, 1, "countif(predicate)"},
    {"sum", 1, 1, "sum(expr)"},
    {"sumif", 2, 2, "sumif(expr, predicate)"},
    {"avg", 1, 1, "avg(expr)"},
    {"avgif", 2, 2, "avgif(expr, predicate)"},
    {"min", 1, 1, "min(expr)"},
    {"max", 1, 1, "max(expr)"},
    {"minif", 2, 2, "minif(expr, predicate)"},
    {"maxif", 2, 2, "maxif(expr, predicate)"},
    {"dcount", 1, 2, "dcount(expr [, accuracy])"},
    {"dcountif", 2, 3, "dcountif(expr, predicate [, accuracy])"},
    {"make_set", 1, 2, "make_set(expr [, maxSize])"},
    {"make_set_if", 2, 3, "make_set_if(expr, predicate [, maxSize])"},
    {"make_list", 1, 2, "make_list(expr [, maxSize])"},
    {"make_list_if", 2, 3, "make_list_if(expr, predicate [, maxSize])"},
    {"take_any", 1, 1, "take_any(expr)"},
    {"any", 1, 1, "any(expr)"},
    {"arg_max", 1, 1000, "arg_max(ExprToMaximize, * | Col1 [, Col2 ...])"},
    {"arg_min", 1, 1000, "arg_min(ExprToMinimize, * | Col1 [, Col2 ...])"},
};

int64_t max_items_arg(std::vector<ExpressionPtr>& args, size_t index) {
  if (args.size() <= index) return 1'048'576;
  if (!args[index]->is_constant())
    throw QueryError(ErrorKind::InvalidQuery,
                     "the size limit of make_set/make_list must be a constant");
  const Value value = constant_value(*args[index]);
  return value.is_integral() && value.integer > 0 ? value.integer : 1'048'576;
}

}  // namespace

bool is_aggregate_function(std::string_view name) {
  for (const auto& aggregate : kAggregates)
    if (aggregate.name == name) return true;
  return false;
}

AggregatePtr make_aggregate(AggregateCall call) {
  const Arity* arity = nullptr;
  for (const auto& aggregate : kAggregates)
    if (aggregate.name == call.name) arity = &aggregate;
  if (!arity)
    throw QueryError(ErrorKind::InvalidQuery, "'" + call.name + "' is not an aggregation function");
  if (call.args.size() < arity->min || call.args.size() > arity->max)
    throw QueryError(ErrorKind::InvalidQuery,
                     "wrong number of arguments: " + std::string(arity->signature));
  const std::string& n = call.name;
  if (call.column_names.empty() ||
      (n == "arg_max" || n == "arg_min" ? call.column_names.size() != call.args.size()
                                        : call.column_names.size() != 1))
    throw QueryError(ErrorKind::InvalidQuery,
                     "'" + n + "' got column names that do not match its columns");
  std::string name = call.column_names[0];
  auto& args = call.args;
  if (n == "count") return std::make_unique<CountAggregate>(name, nullptr);
  if (n == "countif") return std::make_unique<CountAggregate>(name, std::move(args[0]));
  if (n == "sum" || n == "avg")
    return std::make_unique<SumAggregate>(name, std::move(args[0]), nullptr, n == "avg");
  if (n == "sumif" || n == "avgif")
    return std::make_unique<SumAggregate>(name, std::move(args[0]), std::move(args[1]),
                                          n == "avgif");
  if (n == "min" || n == "max")
    return std::make_unique<ExtremeAggregate>(name, std::move(args[0]), nullptr, n == "max");
  if (n == "minif" || n == "maxif")
    return std::make_unique<ExtremeAggregate>(name, std::move(args[0]), std::move(args[1]),
                                              n == "maxif");
  if (n == "take_any" || n == "any")
    return std::make_unique<TakeAnyAggregate>(name, std::move(args[0]));
  using Kind = SetAggregate::Kind;
  if (n == "dcount")
    return std::make_unique<SetAggregate>(name, Kind::DistinctCount, std::move(args[0]), nullptr,
                                          0);
  if (n == "dcountif")
    return std::make_unique<SetAggregate>(name, Kind::DistinctCount, std::move(args[0]),
                                          std::move(args[1]), 0);
  if (n == "make_set" || n == "make_list") {
    const int64_t limit = max_items_arg(args, 1);
    return std::make_unique<SetAggregate>(name, n == "make_set" ? Kind::Set : Kind::List,
                                          std::move(args[0]), nullptr, limit);
  }
  if (n == "make_set_if" || n == "make_list_if") {
    const int64_t limit = max_items_arg(args, 2);
    return std::make_unique<SetAggregate>(name, n == "make_set_if" ? Kind::Set : Kind::List,
                                          std::move(args[0]), std::move(args[1]), limit);
  }
  // arg_max / arg_min: the maximised expression's column, then the returned columns.
  ExpressionPtr by = std::move(args[0]);
  std::vector<ExpressionPtr> values;
  for (size_t i = 1; i < args.size(); ++i)
    values.push_back(std::move(args[i]));
  std::vector<std::string> names(call.column_names.begin() + 1, call.column_names.end());
  return std::make_unique<ArgAggregate>(name, std::move(by), std::move(values), std::move(names),
                                        n == "arg_max");
}

}  // namespace log_hunt
