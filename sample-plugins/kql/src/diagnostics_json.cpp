#include "kql_skills/diagnostics_json.hpp"

namespace kql_skills {

boost::json::object diagnostic_json(const kql::Diagnostic& diagnostic) {
  boost::json::object out;
  out["code"] = diagnostic.code;
  out["message"] = diagnostic.message;
  out["hint"] = diagnostic.hint;
  out["line"] = diagnostic.range.line;
  out["column"] = diagnostic.range.column;
  out["offset"] = diagnostic.range.offset;
  out["length"] = diagnostic.range.length;
  return out;
}

boost::json::array diagnostics_json(const kql::Diagnostics& diagnostics, kql::Severity severity) {
  boost::json::array out;
  for (const auto& diagnostic : diagnostics)
    if (diagnostic.severity == severity) out.push_back(diagnostic_json(diagnostic));
  return out;
}

boost::json::array columns_json(const kql::TableSchema& schema) {
  boost::json::array out;
  for (const auto& column : schema.columns) {
    boost::json::object item;
    item["name"] = column.name;
    item["type"] = std::string(kql::type_name(column.type));
    if (!column.description.empty()) item["description"] = column.description;
    out.push_back(std::move(item));
  }
  return out;
}

}  // namespace kql_skills
