// Aggregation functions of summarize: count, countif, sum, sumif, min, max, avg, avgif, dcount,
// dcountif, make_set, make_set_if, make_list, make_list_if, take_any/any, arg_max, arg_min.
//
// One Aggregate object per aggregation in the query holds the compiled arguments; each group
// owns one state per aggregate. update() returns how many bytes the state grew by, so that the
// memory bound sees sets and lists grow, not only the number of groups.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "log_hunt/expression.hpp"

namespace log_hunt {

struct AggregateState {
  virtual ~AggregateState() = default;
};

class Aggregate {
 public:
  virtual ~Aggregate() = default;
  virtual std::unique_ptr<AggregateState> make_state() = 0;
  virtual size_t update(AggregateState& state, const Row& row) = 0;
  // Appends this aggregate's output values (one per column()).
  virtual void emit(const AggregateState& state, Row& out) = 0;
  // The output columns; most aggregates have one, arg_max/arg_min several.
  const std::vector<Column>& columns() const { return columns_; }

 protected:
  std::vector<Column> columns_;
};

using AggregatePtr = std::unique_ptr<Aggregate>;

bool is_aggregate_function(std::string_view name);

// What the compiler hands over for one aggregation call.
struct AggregateCall {
  std::string name;                       // count, dcount, arg_max, ...
  std::vector<ExpressionPtr> args;        // compiled arguments (for arg_max: the extra columns)
  std::vector<std::string> column_names;  // the output columns' names (kql::aggregate_column_names)
};

// Throws QueryError(InvalidQuery) for a wrong argument count. For arg_max/arg_min, args[0] is
// the expression to maximise and the rest the columns to return, one per column_names entry
// (`*` is expanded and duplicates dropped by the caller); other aggregates produce one column,
// column_names[0].
AggregatePtr make_aggregate(AggregateCall call);

}  // namespace log_hunt
