#include "kql/types.hpp"

#include <array>
#include <utility>

#include "text.hpp"

namespace kql {

std::string_view type_name(ScalarType type) {
  switch (type) {
    case ScalarType::Bool:
      return "bool";
    case ScalarType::Int:
      return "int";
    case ScalarType::Long:
      return "long";
    case ScalarType::Real:
      return "real";
    case ScalarType::Decimal:
      return "decimal";
    case ScalarType::String:
      return "string";
    case ScalarType::DateTime:
      return "datetime";
    case ScalarType::TimeSpan:
      return "timespan";
    case ScalarType::Guid:
      return "guid";
    case ScalarType::Dynamic:
      return "dynamic";
    case ScalarType::Unknown:
      break;
  }
  return "unknown";
}

std::optional<ScalarType> parse_type_name(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, ScalarType>, 17> kNames{{
      {"bool", ScalarType::Bool},
      {"boolean", ScalarType::Bool},
      {"int", ScalarType::Int},
      {"int32", ScalarType::Int},
      {"long", ScalarType::Long},
      {"int64", ScalarType::Long},
      {"real", ScalarType::Real},
      {"double", ScalarType::Real},
      {"float", ScalarType::Real},
      {"decimal", ScalarType::Decimal},
      {"string", ScalarType::String},
      {"datetime", ScalarType::DateTime},
      {"date", ScalarType::DateTime},
      {"timespan", ScalarType::TimeSpan},
      {"time", ScalarType::TimeSpan},
      {"guid", ScalarType::Guid},
      {"dynamic", ScalarType::Dynamic},
  }};
  for (const auto& [spelling, type] : kNames)
    if (iequals(spelling, name)) return type;
  if (iequals(name, "uniqueid")) return ScalarType::Guid;
  return std::nullopt;
}

bool is_numeric(ScalarType type) {
  return type == ScalarType::Int || type == ScalarType::Long || type == ScalarType::Real ||
         type == ScalarType::Decimal;
}

}  // namespace kql
