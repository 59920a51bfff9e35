// The built-in scalar and aggregation functions the checker knows: arity, argument types and
// result type. Public so that explainers and executors can share the list.
#ifndef KQL_FUNCTIONS_HPP
#define KQL_FUNCTIONS_HPP

#include <string>
#include <string_view>
#include <vector>

namespace kql {

enum class FunctionKind { Scalar, Aggregate };

// `params` has one code per argument; when there are more arguments than codes the last code
// repeats. Codes: s string, n number, i integer, t timespan, d datetime, b bool, y dynamic,
// o number/datetime/timespan (binnable), r number or timespan (a bin size), a anything,
// x a type name (typeof(long)).
// `result` is a type name ("string", "datetime", ...) or a rule: "arg0"/"arg1" (the type of that
// argument), "iff" (common type of arguments 1 and 2), "case" (type of argument 1), "avg",
// "unknown".
struct FunctionSignature {
  std::string_view name;
  FunctionKind kind;
  int min_args;
  int max_args;  // -1: no limit
  std::string_view params;
  std::string_view result;
  std::string_view summary;  // what it computes, for explanations ("the time 1 day ago")
};

const FunctionSignature* find_function(std::string_view name);
std::vector<std::string> function_names();

}  // namespace kql

#endif  // KQL_FUNCTIONS_HPP
