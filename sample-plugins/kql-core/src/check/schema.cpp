#include "kql/schema.hpp"

#include <algorithm>

namespace kql {

const Column* TableSchema::find(std::string_view column) const {
  for (const auto& candidate : columns)
    if (candidate.name == column) return &candidate;
  return nullptr;
}

std::vector<std::string> TableSchema::column_names() const {
  std::vector<std::string> names;
  names.reserve(columns.size());
  for (const auto& column : columns)
    names.push_back(column.name);
  return names;
}

void TableSchema::set(Column column) {
  for (auto& existing : columns) {
    if (existing.name == column.name) {
      existing = std::move(column);
      return;
    }
  }
  columns.push_back(std::move(column));
}

void TableSchema::remove(std::string_view column) {
  std::erase_if(columns, [&](const Column& c) { return c.name == column; });
}

}  // namespace kql
