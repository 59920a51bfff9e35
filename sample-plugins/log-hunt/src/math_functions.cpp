// Numbers: abs, round, ceiling, sqrt, pow, exp, log, log2, log10, sign, min_of, max_of, isnan.
#include <cmath>

#include "functions.hpp"

namespace log_hunt {
namespace {

FunctionSpec real_map(const char* signature, double (*map)(double)) {
  return FunctionSpec{1, 1, signature, [map](Args& args, const FunctionContext&) {
                        return make_call(Type::Real, std::move(args), [map](auto v, Value& out) {
                          double x = 0;
                          if (real_arg(*v[0], x))
                            out.set_real(map(x));
                          else
                            out.set_null(Type::Real);
                        });
                      }};
}

// min_of / max_of: the extreme non-null argument.
FunctionSpec extreme(const char* signature, bool want_max) {
  return FunctionSpec{2, 64, signature, [want_max](Args& args, const FunctionContext&) {
                        Type type = args[0]->type();
                        return make_call(type, std::move(args), [want_max](auto v, Value& out) {
                          const Value* best = nullptr;
                          for (const Value* value : v) {
                            if (value->is_null) continue;
                            bool comparable = false;
                            if (!best) {
                              best = value;
                              continue;
                            }
                            int order = compare_values(*value, *best, comparable);
                            if (comparable && (want_max ? order > 0 : order < 0)) best = value;
                          }
                          if (best)
                            out = *best;
                          else
                            out.set_null(v[0]->type);
                        });
                      }};
}

}  // namespace

void add_math_functions(FunctionTable& t) {
  t["abs"] = FunctionSpec{1, 1, "abs(x)", [](Args& args, const FunctionContext&) {
                            Type type = args[0]->type();
                            return make_call(type, std::move(args), [](auto v, Value& out) {
                              const Value& x = *v[0];
                              if (x.is_null)
                                out.set_null(x.type);
                              else if (x.is_integral() || x.type == Type::TimeSpan)
                                out.set_long(x.integer < 0 ? -x.integer : x.integer, x.type);
                              else if (x.type == Type::Real)
                                out.set_real(std::fabs(x.real));
                              else
                                out.set_null(Type::Real);
                            });
                          }};
  t["round"] =
      FunctionSpec{1, 2, "round(number [, precision])", [](Args& args, const FunctionContext&) {
                     Type type = args[0]->type() == Type::Long ? Type::Long : Type::Real;
                     return make_call(type, std::move(args), [](auto v, Value& out) {
                       int64_t digits = 0;
                       if (v.size() > 1 && !long_arg(*v[1], digits)) digits = 0;
                       if (v[0]->is_integral() && !v[0]->is_null && digits >= 0) {
                         out.set_long(v[0]->integer, v[0]->type);
                         return;
                       }
                       double x = 0;
                       if (!real_arg(*v[0], x)) {
                         out.set_null(Type::Real);
                         return;
                       }
                       const double scale = std::pow(10.0, static_cast<double>(digits));
                       out.set_real(std::round(x * scale) / scale);
                     });
                   }};
  t["ceiling"] = real_map("ceiling(x)", [](double x) { return std::ceil(x); });
  t["sqrt"] = real_map("sqrt(x)", [](double x) { return std::sqrt(x); });
  t["exp"] = real_map("exp(x)", [](double x) { return std::exp(x); });
  t["log"] = real_map("log(x)", [](double x) { return std::log(x); });
  t["log2"] = real_map("log2(x)", [](double x) { return std::log2(x); });
  t["log10"] = real_map("log10(x)", [](double x) { return std::log10(x); });
  t["sign"] = real_map("sign(x)", [](double x) { return x > 0 ? 1.0 : (x < 0 ? -1.0 : 0.0); });
  t["pow"] = FunctionSpec{2, 2, "pow(base, exponent)", [](Args& args, const FunctionContext&) {
                            return make_call(Type::Real, std::move(args), [](auto v, Value& out) {
                              double base = 0, exponent = 0;
                              if (real_arg(*v[0], base) && real_arg(*v[1], exponent))
                                out.set_real(std::pow(base, exponent));
                              else
                                out.set_null(Type::Real);
                            });
                          }};
  t["isnan"] = FunctionSpec{1, 1, "isnan(x)", [](Args& args, const FunctionContext&) {
                              return make_call(Type::Bool, std::move(args), [](auto v, Value& out) {
                                out.set_bool(v[0]->type == Type::Real && std::isnan(v[0]->real));
                              });
                            }};
  t["min_of"] = extreme("min_of(a, b, ...)", false);
  t["max_of"] = extreme("max_of(a, b, ...)", true);
}

}  // namespace log_hunt
