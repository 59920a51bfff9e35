// KQL's scalar types, shared by the AST (literals, casts), the schema catalogue and the checker.
#ifndef KQL_TYPES_HPP
#define KQL_TYPES_HPP

#include <optional>
#include <string_view>

namespace kql {

// `Unknown` is "not known statically" (an untyped null, a column of an open schema, a value
// read from a dynamic bag): the checker accepts it wherever a type is expected.
enum class ScalarType {
  Unknown,
  Bool,
  Int,
  Long,
  Real,
  Decimal,
  String,
  DateTime,
  TimeSpan,
  Guid,
  Dynamic,
};

// The KQL spelling: "bool", "int", "long", "real", "decimal", "string", "datetime", "timespan",
// "guid", "dynamic"; "unknown" for Unknown.
std::string_view type_name(ScalarType type);

// Reads a type name as KQL accepts it (case-insensitive, with the aliases boolean, int32, int64,
// double, float, date, time, uniqueid); nullopt when it is not a type.
std::optional<ScalarType> parse_type_name(std::string_view name);

bool is_numeric(ScalarType type);  // int, long, real, decimal

}  // namespace kql

#endif  // KQL_TYPES_HPP
