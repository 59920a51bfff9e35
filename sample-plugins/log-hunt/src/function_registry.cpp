#include <algorithm>

#include "functions.hpp"
#include "log_hunt/convert.hpp"
#include "log_hunt/query_error.hpp"
#include "suggest.hpp"

namespace log_hunt {
namespace {

class CallExpression : public Expression {
 public:
  CallExpression(Type type, Args args, Body body)
      : Expression(type), args_(std::move(args)), body_(std::move(body)), values_(args_.size()) {}

  const Value& eval(const Row& row) override {
    for (size_t i = 0; i < args_.size(); ++i)
      values_[i] = &args_[i]->eval(row);
    body_(std::span<const Value* const>(values_.data(), values_.size()), result_);
    return result_;
  }

 private:
  Args args_;
  Body body_;
  std::vector<const Value*> values_;
  Value result_;
};

const FunctionTable& table() {
  static const FunctionTable functions = [] {
    FunctionTable t;
    add_string_functions(t);
    add_conversion_functions(t);
    add_time_functions(t);
    add_math_functions(t);
    add_dynamic_functions(t);
    add_ip_functions(t);
    add_conditional_functions(t);
    return t;
  }();
  return functions;
}

bool all_constant(const Args& args) {
  return std::all_of(args.begin(), args.end(), [](const auto& arg) { return arg->is_constant(); });
}

}  // namespace

ExpressionPtr make_call(Type type, Args args, Body body) {
  return std::make_unique<CallExpression>(type, std::move(args), std::move(body));
}

const FunctionSpec* find_function(std::string_view name) {
  auto it = table().find(std::string(name));
  return it == table().end() ? nullptr : &it->second;
}

std::vector<std::string> function_names() {
  std::vector<std::string> names;
  for (const auto& [name, spec] : table())
    names.push_back(name);
  std::sort(names.begin(), names.end());
  return names;
}

ExpressionPtr make_function_call(std::string_view name, Args args, const FunctionContext& context) {
  const FunctionSpec* spec = find_function(name);
  if (!spec)
    throw QueryError(ErrorKind::InvalidQuery, "unknown function '" + std::string(name) + "'" +
                                                  did_you_mean(name, function_names()));
  if (args.size() < spec->min_args || args.size() > spec->max_args)
    throw QueryError(
        ErrorKind::InvalidQuery,
        std::string(name) + "() takes " +
            (spec->min_args == spec->max_args
                 ? std::to_string(spec->min_args)
                 : std::to_string(spec->min_args) + " to " + std::to_string(spec->max_args)) +
            " argument(s), got " + std::to_string(args.size()) + ": " + spec->signature);
  const bool constant = all_constant(args);
  ExpressionPtr node = spec->build(args, context);
  if (constant && !node->is_constant())
    return std::make_unique<ConstantExpression>(constant_value(*node));
  return node;
}

std::string_view text_arg(const Value& value, std::string& scratch) {
  if (value.is_string_like()) return value.text;
  scratch.clear();
  append_text(value, scratch);
  return scratch;
}

bool long_arg(const Value& value, int64_t& out) {
  if (value.is_null) return false;
  if (value.is_integral() || value.type == Type::DateTime || value.type == Type::TimeSpan) {
    out = value.integer;
    return true;
  }
  if (value.type == Type::Real || value.type == Type::Decimal) {
    out = static_cast<int64_t>(value.real);
    return true;
  }
  if (value.type == Type::Dynamic) return long_arg(unwrap_dynamic(value), out);
  if (value.is_string_like()) {
    if (auto number = parse_integer(value.text)) {
      out = *number;
      return true;
    }
  }
  return false;
}

bool real_arg(const Value& value, double& out) {
  if (value.is_null) return false;
  if (value.is_number()) {
    out = value.as_double();
    return true;
  }
  if (value.type == Type::Dynamic) return real_arg(unwrap_dynamic(value), out);
  if (value.is_string_like()) {
    if (auto number = parse_real(value.text)) {
      out = *number;
      return true;
    }
  }
  return false;
}

}  // namespace log_hunt
