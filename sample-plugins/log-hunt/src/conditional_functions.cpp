// iff/iif, case, coalesce and not(): the branches not taken are never evaluated.
#include "functions.hpp"
#include "log_hunt/query_error.hpp"

namespace log_hunt {
namespace {

// The common type of branches, or Unknown when they disagree (values then keep their own).
Type common_type(const std::vector<Expression*>& branches) {
  Type type = Type::Unknown;
  for (const Expression* branch : branches) {
    Type next = branch->type();
    if (next == Type::Unknown) continue;
    if (type == Type::Unknown)
      type = next;
    else if (type != next)
      return (type == Type::Long || type == Type::Int || type == Type::Real) &&
                     (next == Type::Long || next == Type::Int || next == Type::Real)
                 ? Type::Real
                 : Type::Unknown;
  }
  return type;
}

// case(c1, v1, c2, v2, ..., else); iff(c, a, b) is case(c, a, b).
class CaseExpression : public Expression {
 public:
  explicit CaseExpression(Args args) : Expression(Type::Unknown), args_(std::move(args)) {
    std::vector<Expression*> branches;
    for (size_t i = 1; i < args_.size(); i += 2)
      branches.push_back(args_[i].get());
    branches.push_back(args_.back().get());
    type_ = common_type(branches);
  }
  const Value& eval(const Row& row) override {
    for (size_t i = 0; i + 1 < args_.size(); i += 2)
      if (is_true(args_[i]->eval(row))) return args_[i + 1]->eval(row);
    return args_.back()->eval(row);
  }

 private:
  Args args_;
};

class CoalesceExpression : public Expression {
 public:
  explicit CoalesceExpression(Args args) : Expression(Type::Unknown), args_(std::move(args)) {
    std::vector<Expression*> branches;
    for (auto& arg : args_)
      branches.push_back(arg.get());
    type_ = common_type(branches);
  }
  const Value& eval(const Row& row) override {
    for (size_t i = 0; i + 1 < args_.size(); ++i) {
      const Value& value = args_[i]->eval(row);
      const bool missing = value.is_string_like() ? value.text.empty() : value.is_null;
      if (!missing) return value;
    }
    return args_.back()->eval(row);
  }

 private:
  Args args_;
};

ExpressionPtr build_case(Args& args, const FunctionContext&) {
  return std::make_unique<CaseExpression>(std::move(args));
}

}  // namespace

void add_conditional_functions(FunctionTable& t) {
  t["iff"] = FunctionSpec{3, 3, "iff(condition, then, else)", build_case};
  t["iif"] = FunctionSpec{3, 3, "iif(condition, then, else)", build_case};
  t["case"] = FunctionSpec{3, 63, "case(condition1, value1, [condition2, value2, ...,] else)",
                           [](Args& args, const FunctionContext& context) {
                             if (args.size() % 2 == 0)
                               throw QueryError(ErrorKind::InvalidQuery,
                                                "case() takes pairs of condition and value, "
                                                "then one value for when none holds");
                             return build_case(args, context);
                           }};
  t["coalesce"] =
      FunctionSpec{2, 64, "coalesce(value1, value2, ...)", [](Args& args, const FunctionContext&) {
                     return std::make_unique<CoalesceExpression>(std::move(args));
                   }};
  t["not"] = FunctionSpec{1, 1, "not(condition)", [](Args& args, const FunctionContext&) {
                            return make_call(Type::Bool, std::move(args), [](auto v, Value& out) {
                              if (v[0]->is_null)
                                out.set_null(Type::Bool);
                              else
                                out.set_bool(!is_true(*v[0]));
                            });
                          }};
}

}  // namespace log_hunt
