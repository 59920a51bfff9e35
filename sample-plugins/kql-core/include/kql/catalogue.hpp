// The tables a query may read (Microsoft Defender XDR Advanced Hunting and Microsoft Sentinel),
// loaded from JSON data files so that new tables or columns need no rebuild.
#ifndef KQL_CATALOGUE_HPP
#define KQL_CATALOGUE_HPP

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "kql/schema.hpp"

namespace kql {

class Catalogue {
 public:
  // Adds a table, replacing one of the same name.
  void add(TableSchema table);
  // Exact, case-sensitive (KQL's rule); nullptr when unknown.
  const TableSchema* find(std::string_view name) const;
  const std::vector<TableSchema>& tables() const { return tables_; }
  std::vector<std::string> table_names() const;
  bool empty() const { return tables_.empty(); }

 private:
  std::vector<TableSchema> tables_;
};

struct CatalogueLoad {
  Catalogue catalogue;
  std::vector<std::string> problems;  // one line per file or table that could not be read
};

// Reads one JSON document: a table object, or {"tables": [table, ...]}. A table object is
//   {"name": "DeviceProcessEvents", "product": "...", "description": "...",
//    "timeColumn": "Timestamp",
//    "columns": [{"name": "Timestamp", "type": "datetime", "description": "..."}, ...]}
// `origin` names the document in problems ("DeviceInfo.json").
void add_catalogue_json(Catalogue& catalogue, std::string_view json, const std::string& origin,
                        std::vector<std::string>& problems);

// Loads a JSON file, or every *.json file of a folder (in name order). Problems are collected,
// not thrown: a bad file costs its own tables only.
CatalogueLoad load_catalogue(const std::filesystem::path& path);

}  // namespace kql

#endif  // KQL_CATALOGUE_HPP
