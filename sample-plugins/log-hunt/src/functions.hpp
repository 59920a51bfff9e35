// Scalar functions by name: the compiler asks for a node given compiled arguments. Every
// function is deterministic for one query (now() is fixed per query), so a call whose arguments
// are all constant is evaluated once, at compile time.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "log_hunt/expression.hpp"

namespace log_hunt {

struct FunctionContext {
  int64_t now = 0;  // ticks: now() and ago() of this query
};

using Args = std::vector<ExpressionPtr>;

struct FunctionSpec {
  size_t min_args = 0;
  size_t max_args = 0;
  const char* signature = "";  // for error messages: "substring(source, start [, length])"
  std::function<ExpressionPtr(Args&, const FunctionContext&)> build;
};

using FunctionTable = std::unordered_map<std::string, FunctionSpec>;

// The function, or nullptr when `name` is not a scalar function this engine runs.
const FunctionSpec* find_function(std::string_view name);
// Every scalar function name, sorted, for "did you mean" and the documentation.
std::vector<std::string> function_names();

// A call: checks the argument count, builds the node, folds it when its arguments are constant.
// Throws QueryError(InvalidQuery) for an unknown function or a wrong count.
ExpressionPtr make_function_call(std::string_view name, Args args, const FunctionContext& context);

// A node that evaluates its arguments and hands them to `body`.
using Body = std::function<void(std::span<const Value* const> args, Value& out)>;
ExpressionPtr make_call(Type type, Args args, Body body);

// Argument helpers for bodies.
std::string_view text_arg(const Value& value, std::string& scratch);
bool long_arg(const Value& value, int64_t& out);
bool real_arg(const Value& value, double& out);

void add_string_functions(FunctionTable& table);
void add_conversion_functions(FunctionTable& table);
void add_time_functions(FunctionTable& table);
void add_math_functions(FunctionTable& table);
void add_dynamic_functions(FunctionTable& table);
void add_ip_functions(FunctionTable& table);
void add_conditional_functions(FunctionTable& table);

}  // namespace log_hunt
