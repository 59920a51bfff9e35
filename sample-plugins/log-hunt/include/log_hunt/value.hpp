// One KQL scalar value as the executor carries it, and the row and schema types built from it.
//
// Types are kql::ScalarType (the front end's). Storage: bool in `boolean`; int, long, datetime
// (ticks since 1970) and timespan (ticks) in `integer`; real and decimal in `real`; string and
// guid in `text`; dynamic as a shared, immutable JSON document (copies are cheap). Every type
// but string has a null; KQL's strings are never null (an absent string is "").
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/value.hpp>

#include "kql/types.hpp"

namespace log_hunt {

using Type = kql::ScalarType;
using Json = std::shared_ptr<const boost::json::value>;

struct Value {
  Type type = Type::Unknown;
  bool is_null = true;
  bool boolean = false;
  int64_t integer = 0;
  double real = 0;
  std::string text;
  Json json;

  static Value null_of(Type type) {
    Value v;
    v.type = type;
    if (type == Type::String) v.is_null = false;
    return v;
  }
  static Value of_bool(bool b) {
    Value v;
    v.type = Type::Bool;
    v.is_null = false;
    v.boolean = b;
    return v;
  }
  static Value of_long(int64_t i, Type type = Type::Long) {
    Value v;
    v.type = type;
    v.is_null = false;
    v.integer = i;
    return v;
  }
  static Value of_real(double r) {
    Value v;
    v.type = Type::Real;
    v.is_null = false;
    v.real = r;
    return v;
  }
  static Value of_datetime(int64_t ticks) { return of_long(ticks, Type::DateTime); }
  static Value of_timespan(int64_t ticks) { return of_long(ticks, Type::TimeSpan); }
  static Value of_string(std::string s) {
    Value v;
    v.type = Type::String;
    v.is_null = false;
    v.text = std::move(s);
    return v;
  }
  static Value of_json(boost::json::value j);
  static Value of_json(Json j) {
    Value v;
    v.type = Type::Dynamic;
    v.is_null = !j || j->is_null();
    v.json = std::move(j);
    return v;
  }

  // Setters that keep the string's capacity: a scan reuses one row for every line.
  void set_null(Type t) {
    type = t;
    is_null = t != Type::String;
    text.clear();
    json.reset();
  }
  void set_bool(bool b) {
    type = Type::Bool;
    is_null = false;
    boolean = b;
  }
  void set_long(int64_t i, Type t = Type::Long) {
    type = t;
    is_null = false;
    integer = i;
  }
  void set_real(double r) {
    type = Type::Real;
    is_null = false;
    real = r;
  }
  void set_string(std::string_view s) {
    type = Type::String;
    is_null = false;
    text.assign(s.data(), s.size());
  }

  bool is_string_like() const { return type == Type::String || type == Type::Guid; }
  bool is_integral() const { return type == Type::Int || type == Type::Long; }
  bool is_number() const { return is_integral() || type == Type::Real || type == Type::Decimal; }
  double as_double() const { return is_integral() ? static_cast<double>(integer) : real; }
};

using Row = std::vector<Value>;

struct Column {
  std::string name;
  Type type = Type::String;
};

using Schema = std::vector<Column>;

// Index of the column named `name` (case-sensitive, as KQL), or -1.
int find_column(const Schema& schema, std::string_view name);

// Normalises storage types: decimal computes as real, int as long where it matters.
inline Type storage_type(Type t) {
  return t == Type::Decimal ? Type::Real : t;
}

// tostring(): KQL's text of a value ("" for null).
std::string to_text(const Value& value);
void append_text(const Value& value, std::string& out);

// The value as JSON for results and for dynamic arithmetic (datetimes as ISO 8601 text).
boost::json::value to_json(const Value& value);

// A dynamic's scalar as a typed value: strings -> string, integers -> long, doubles -> real,
// bools -> bool; arrays and objects stay dynamic; null -> dynamic null.
Value unwrap_dynamic(const Value& value);

// Equality with KQL's loose typing: numbers compare across int/long/real, a dynamic scalar
// compares as its unwrapped type, nulls are never equal. `ignore_case` for =~ on strings.
bool values_equal(const Value& a, const Value& b, bool ignore_case = false);

// Ordering for <, >, sort and min/max. Returns <0, 0, >0; `comparable` is false when either side
// is null or the types do not compare (the predicate is then false).
int compare_values(const Value& a, const Value& b, bool& comparable);

// Appends a byte encoding of `value` that is equal for equal values (numbers across int/long
// normalised): the key of summarize groups, distinct, dcount and join tables.
void append_key(const Value& value, std::string& out);

// Rough heap bytes the value holds, for the memory bound of groups and join builds.
size_t approximate_bytes(const Value& value);

// "true"/"false" and the truth of a value in a predicate (null -> false).
inline bool is_true(const Value& value) {
  if (value.is_null) return false;
  if (value.type == Type::Bool) return value.boolean;
  if (value.type == Type::Dynamic && value.json && value.json->is_bool())
    return value.json->as_bool();
  return false;
}

}  // namespace log_hunt
