// Conversions and null tests: tostring, toint, tolong, todouble/toreal, todecimal, tobool,
// todatetime, totimespan, toguid, todynamic/parse_json, isnull, isnotnull, isempty, isnotempty.
#include <cmath>

#include <boost/json/parse.hpp>

#include "functions.hpp"
#include "log_hunt/convert.hpp"

namespace log_hunt {
namespace {

// Converts one value to `type` as KQL's to<type>() does: null when it does not convert.
void convert(const Value& in, Type type, Value& out) {
  if (in.is_null && !in.is_string_like()) {
    out.set_null(type);
    return;
  }
  Value unwrapped;  // only for dynamic inputs
  if (in.type == Type::Dynamic) unwrapped = unwrap_dynamic(in);
  const Value& value = in.type == Type::Dynamic ? unwrapped : in;
  switch (type) {
    case Type::String:
      out.set_string(to_text(value));
      return;
    case Type::Int:
    case Type::Long:
      if (value.is_integral() || value.type == Type::TimeSpan || value.type == Type::DateTime)
        out.set_long(value.integer, type);
      else if (value.type == Type::Real && std::isfinite(value.real))
        out.set_long(static_cast<int64_t>(value.real), type);
      else if (value.type == Type::Bool)
        out.set_long(value.boolean ? 1 : 0, type);
      else if (value.is_string_like())
        value_from_text(value.text, type, out);
      else
        out.set_null(type);
      if (type == Type::Int && !out.is_null) out.integer = static_cast<int32_t>(out.integer);
      return;
    case Type::Real:
    case Type::Decimal:
      if (value.is_number())
        out.set_real(value.as_double());
      else if (value.type == Type::Bool)
        out.set_real(value.boolean ? 1 : 0);
      else if (value.is_string_like())
        value_from_text(value.text, Type::Real, out);
      else
        out.set_null(Type::Real);
      return;
    case Type::Bool:
      if (value.type == Type::Bool)
        out.set_bool(value.boolean);
      else if (value.is_number())
        out.set_bool(value.as_double() != 0);
      else if (value.is_string_like())
        value_from_text(value.text, Type::Bool, out);
      else
        out.set_null(Type::Bool);
      return;
    case Type::DateTime:
      if (value.type == Type::DateTime)
        out.set_long(value.integer, Type::DateTime);
      else if (value.is_string_like())
        value_from_text(value.text, Type::DateTime, out);
      else
        out.set_null(Type::DateTime);
      return;
    case Type::TimeSpan:
      if (value.type == Type::TimeSpan)
        out.set_long(value.integer, Type::TimeSpan);
      else if (value.is_integral())
        out.set_long(value.integer, Type::TimeSpan);
      else if (value.is_string_like())
        value_from_text(value.text, Type::TimeSpan, out);
      else
        out.set_null(Type::TimeSpan);
      return;
    case Type::Guid:
      out.set_string(to_text(value));
      out.type = Type::Guid;
      return;
    case Type::Dynamic:
      if (in.type == Type::Dynamic)
        out = in;
      else if (value.is_string_like())
        value_from_text(value.text, Type::Dynamic, out);
      else
        out = Value::of_json(to_json(value));
      return;
    default:
      out.set_null(type);
  }
}

FunctionSpec converter(const char* signature, Type type) {
  return FunctionSpec{1, 1, signature, [type](Args& args, const FunctionContext&) {
                        return make_call(type, std::move(args),
                                         [type](auto v, Value& out) { convert(*v[0], type, out); });
                      }};
}

bool is_empty_value(const Value& value) {
  if (value.is_string_like()) return value.text.empty();
  if (value.is_null) return true;
  if (value.type == Type::Dynamic && value.json->is_string())
    return value.json->as_string().empty();
  return false;
}

FunctionSpec test(const char* signature, bool (*holds)(const Value&)) {
  return FunctionSpec{1, 1, signature, [holds](Args& args, const FunctionContext&) {
                        return make_call(Type::Bool, std::move(args), [holds](auto v, Value& out) {
                          out.set_bool(holds(*v[0]));
                        });
                      }};
}

}  // namespace

void add_conversion_functions(FunctionTable& t) {
  t["tostring"] = converter("tostring(value)", Type::String);
  t["toint"] = converter("toint(value)", Type::Int);
  t["tolong"] = converter("tolong(value)", Type::Long);
  t["todouble"] = converter("todouble(value)", Type::Real);
  t["toreal"] = converter("toreal(value)", Type::Real);
  t["todecimal"] = converter("todecimal(value)", Type::Real);
  t["tobool"] = converter("tobool(value)", Type::Bool);
  t["toboolean"] = converter("toboolean(value)", Type::Bool);
  t["todatetime"] = converter("todatetime(value)", Type::DateTime);
  t["totimespan"] = converter("totimespan(value)", Type::TimeSpan);
  t["toguid"] = converter("toguid(value)", Type::Guid);
  t["todynamic"] = converter("todynamic(json)", Type::Dynamic);
  t["parse_json"] = converter("parse_json(json)", Type::Dynamic);
  t["isnull"] =
      test("isnull(value)", [](const Value& v) { return v.is_null && !v.is_string_like(); });
  t["isnotnull"] =
      test("isnotnull(value)", [](const Value& v) { return !v.is_null || v.is_string_like(); });
  t["isempty"] = test("isempty(value)", is_empty_value);
  t["isnotempty"] = test("isnotempty(value)", [](const Value& v) { return !is_empty_value(v); });
}

}  // namespace log_hunt
