#include "log_hunt/result_json.hpp"

#include <boost/json/array.hpp>

namespace log_hunt {

boost::json::object result_to_json(const QueryResult& result) {
  boost::json::array columns;
  for (const auto& column : result.columns)
    columns.push_back(boost::json::object{{"name", column.name},
                                          {"type", std::string(kql::type_name(column.type))}});
  boost::json::array rows;
  rows.reserve(result.rows.size());
  for (const auto& row : result.rows) {
    boost::json::array cells;
    cells.reserve(row.size());
    for (const auto& value : row)
      cells.push_back(to_json(value));
    rows.push_back(std::move(cells));
  }
  boost::json::array tables;
  for (const auto& table : result.tables)
    tables.emplace_back(table);
  boost::json::array warnings;
  for (const auto& warning : result.warnings)
    warnings.emplace_back(warning);
  boost::json::object out;
  out["columns"] = std::move(columns);
  out["rows"] = std::move(rows);
  out["row_count"] = result.rows.size();
  out["truncated"] = result.truncated;
  if (result.truncated) out["truncation_reason"] = result.truncation_reason;
  out["stats"] = boost::json::object{
      {"rows_scanned", result.stats.rows_scanned},
      {"bytes_scanned", result.stats.bytes_scanned},
      {"malformed_rows", result.stats.malformed_rows},
      {"elapsed_ms", static_cast<double>(static_cast<int64_t>(result.elapsed_ms * 1000)) / 1000}};
  out["tables"] = std::move(tables);
  out["warnings"] = std::move(warnings);
  return out;
}

}  // namespace log_hunt
