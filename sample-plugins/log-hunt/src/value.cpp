#include "log_hunt/value.hpp"

#include <charconv>
#include <cmath>
#include <cstring>

#include <boost/json/serialize.hpp>

#include "log_hunt/text.hpp"
#include "log_hunt/time.hpp"

namespace log_hunt {
namespace {

void append_real(double r, std::string& out) {
  if (std::isnan(r)) {
    out += "NaN";
    return;
  }
  if (std::isinf(r)) {
    out += r > 0 ? "Infinity" : "-Infinity";
    return;
  }
  char buffer[32];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, r);
  if (error == std::errc()) out.append(buffer, end);
}

int three_way(auto a, auto b) {
  return a < b ? -1 : (a > b ? 1 : 0);
}

// Brings a dynamic operand to a scalar and a string operand to the other side's type, so that
// `Dyn.port == 443` and `Timestamp > "2026-11-20"` compare as a reader expects.
Value coerce_for_compare(const Value& value, const Value& other) {
  Value v = value.type == Type::Dynamic ? unwrap_dynamic(value) : value;
  if (v.is_string_like() && !v.is_null) {
    Type target = other.type == Type::Dynamic ? unwrap_dynamic(other).type : other.type;
    if (target == Type::DateTime) {
      if (auto ticks = parse_datetime(v.text)) return Value::of_datetime(*ticks);
    } else if (target == Type::TimeSpan) {
      if (auto ticks = parse_timespan(v.text)) return Value::of_timespan(*ticks);
    } else if (target == Type::Int || target == Type::Long) {
      int64_t number = 0;
      auto [end, error] = std::from_chars(v.text.data(), v.text.data() + v.text.size(), number);
      if (error == std::errc() && end == v.text.data() + v.text.size())
        return Value::of_long(number);
    } else if (target == Type::Real || target == Type::Decimal) {
      double number = 0;
      auto [end, error] = std::from_chars(v.text.data(), v.text.data() + v.text.size(), number);
      if (error == std::errc() && end == v.text.data() + v.text.size())
        return Value::of_real(number);
    }
  }
  return v;
}

int compare_same_kind(const Value& a, const Value& b, bool& comparable) {
  comparable = true;
  if (a.is_number() && b.is_number()) {
    if (a.is_integral() && b.is_integral()) return three_way(a.integer, b.integer);
    return three_way(a.as_double(), b.as_double());
  }
  if (a.is_string_like() && b.is_string_like()) {
    int c = a.text.compare(b.text);
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  if (a.type == b.type) {
    switch (a.type) {
      case Type::DateTime:
      case Type::TimeSpan:
        return three_way(a.integer, b.integer);
      case Type::Bool:
        return three_way(a.boolean, b.boolean);
      case Type::Dynamic: {
        std::string left = boost::json::serialize(*a.json);
        std::string right = boost::json::serialize(*b.json);
        int c = left.compare(right);
        return c < 0 ? -1 : (c > 0 ? 1 : 0);
      }
      default:
        break;
    }
  }
  comparable = false;
  return 0;
}

}  // namespace

Value Value::of_json(boost::json::value j) {
  return of_json(std::make_shared<const boost::json::value>(std::move(j)));
}

int find_column(const Schema& schema, std::string_view name) {
  for (size_t i = 0; i < schema.size(); ++i)
    if (schema[i].name == name) return static_cast<int>(i);
  return -1;
}

void append_text(const Value& value, std::string& out) {
  if (value.is_null && !value.is_string_like()) return;
  switch (value.type) {
    case Type::Bool:
      out += value.boolean ? "true" : "false";
      return;
    case Type::Int:
    case Type::Long:
      out += std::to_string(value.integer);
      return;
    case Type::Real:
    case Type::Decimal:
      append_real(value.real, out);
      return;
    case Type::DateTime:
      out += format_datetime(value.integer);
      return;
    case Type::TimeSpan:
      out += format_timespan(value.integer);
      return;
    case Type::String:
    case Type::Guid:
      out += value.text;
      return;
    case Type::Dynamic:
      if (value.json->is_string())
        out += std::string_view(value.json->as_string());
      else
        out += boost::json::serialize(*value.json);
      return;
    default:
      return;
  }
}

std::string to_text(const Value& value) {
  std::string out;
  append_text(value, out);
  return out;
}

boost::json::value to_json(const Value& value) {
  if (value.is_null) return value.is_string_like() ? boost::json::value("") : nullptr;
  switch (value.type) {
    case Type::Bool:
      return value.boolean;
    case Type::Int:
    case Type::Long:
      return value.integer;
    case Type::Real:
    case Type::Decimal:
      if (!std::isfinite(value.real)) return boost::json::value(to_text(value));
      return value.real;
    case Type::DateTime:
      return boost::json::value(format_datetime(value.integer));
    case Type::TimeSpan:
      return boost::json::value(format_timespan(value.integer));
    case Type::String:
    case Type::Guid:
      return boost::json::value(value.text);
    case Type::Dynamic:
      return *value.json;
    default:
      return nullptr;
  }
}

Value unwrap_dynamic(const Value& value) {
  if (value.type != Type::Dynamic) return value;
  if (value.is_null || !value.json) return Value::null_of(Type::Dynamic);
  const auto& j = *value.json;
  switch (j.kind()) {
    case boost::json::kind::string:
      return Value::of_string(std::string(j.as_string()));
    case boost::json::kind::int64:
      return Value::of_long(j.as_int64());
    case boost::json::kind::uint64:
      return Value::of_long(static_cast<int64_t>(j.as_uint64()));
    case boost::json::kind::double_:
      return Value::of_real(j.as_double());
    case boost::json::kind::bool_:
      return Value::of_bool(j.as_bool());
    case boost::json::kind::null:
      return Value::null_of(Type::Dynamic);
    default:
      return value;
  }
}

bool values_equal(const Value& a, const Value& b, bool ignore_case) {
  if (a.is_string_like() && b.is_string_like()) {
    return ignore_case ? iequals(a.text, b.text) : a.text == b.text;
  }
  if (a.type == b.type && a.type != Type::Dynamic) {
    if (a.is_null || b.is_null) return false;
    if (a.type == Type::Real || a.type == Type::Decimal) return a.real == b.real;
    if (a.type == Type::Bool) return a.boolean == b.boolean;
    return a.integer == b.integer;
  }
  Value left = coerce_for_compare(a, b);
  Value right = coerce_for_compare(b, left);
  if (left.is_null || right.is_null) return false;
  if (left.is_string_like() && right.is_string_like())
    return ignore_case ? iequals(left.text, right.text) : left.text == right.text;
  bool comparable = false;
  int c = compare_same_kind(left, right, comparable);
  return comparable && c == 0;
}

int compare_values(const Value& a, const Value& b, bool& comparable) {
  if (a.type == b.type && a.type != Type::Dynamic && !a.is_null && !b.is_null)
    return compare_same_kind(a, b, comparable);
  Value left = coerce_for_compare(a, b);
  Value right = coerce_for_compare(b, left);
  if (left.is_null || right.is_null) {
    comparable = false;
    return 0;
  }
  return compare_same_kind(left, right, comparable);
}

void append_key(const Value& value, std::string& out) {
  auto append_int = [&out](char tag, int64_t i) {
    out += tag;
    char bytes[sizeof i];
    std::memcpy(bytes, &i, sizeof i);
    out.append(bytes, sizeof i);
  };
  if (value.is_null && !value.is_string_like()) {
    out += 'n';
    return;
  }
  switch (value.type) {
    case Type::Bool:
      out += value.boolean ? 'T' : 'F';
      return;
    case Type::Int:
    case Type::Long:
      append_int('i', value.integer);
      return;
    case Type::Real:
    case Type::Decimal: {
      double r = value.real;
      if (r == std::floor(r) && std::fabs(r) < 9.0e18) {
        append_int('i', static_cast<int64_t>(r));
      } else {
        out += 'r';
        char bytes[sizeof r];
        std::memcpy(bytes, &r, sizeof r);
        out.append(bytes, sizeof r);
      }
      return;
    }
    case Type::DateTime:
      append_int('d', value.integer);
      return;
    case Type::TimeSpan:
      append_int('t', value.integer);
      return;
    case Type::String:
    case Type::Guid:
      append_int('s', static_cast<int64_t>(value.text.size()));
      out += value.text;
      return;
    case Type::Dynamic: {
      std::string text = boost::json::serialize(*value.json);
      append_int('j', static_cast<int64_t>(text.size()));
      out += text;
      return;
    }
    default:
      out += '?';
      return;
  }
}

size_t approximate_bytes(const Value& value) {
  size_t bytes = sizeof(Value);
  if (value.text.capacity() > 15) bytes += value.text.capacity();
  if (value.json) bytes += 64 + (value.json->is_string() ? value.json->as_string().size() : 0);
  if (value.json && value.json->is_array()) bytes += value.json->as_array().size() * 48;
  if (value.json && value.json->is_object()) bytes += value.json->as_object().size() * 96;
  return bytes;
}

}  // namespace log_hunt
