// The columns of a table or of a query's result at some pipeline stage.
#ifndef KQL_SCHEMA_HPP
#define KQL_SCHEMA_HPP

#include <string>
#include <string_view>
#include <vector>

#include "kql/types.hpp"

namespace kql {

struct Column {
  std::string name;
  ScalarType type = ScalarType::Unknown;
  std::string description;
};

struct TableSchema {
  std::string name;     // the table's name; empty for an intermediate result
  std::string product;  // e.g. "Microsoft Defender XDR", "Microsoft Sentinel"
  std::string description;
  std::string time_column;  // Timestamp or TimeGenerated, or empty
  std::vector<Column> columns;
  // Open: not every column is known (after evaluate, or a union with an unknown table), so an
  // unknown column is not an error.
  bool open = false;

  const Column* find(std::string_view column) const;  // exact, case-sensitive (as KQL)
  std::vector<std::string> column_names() const;
  // Adds or replaces (keeping the position) a column.
  void set(Column column);
  void remove(std::string_view column);
};

}  // namespace kql

#endif  // KQL_SCHEMA_HPP
