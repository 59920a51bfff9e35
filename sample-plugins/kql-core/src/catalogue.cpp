// Loading table schemas from JSON data files.
#include "kql/catalogue.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <boost/json.hpp>

namespace kql {
namespace {

std::string string_member(const boost::json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->as_string()) : std::string();
}

// Reads one table object; appends a problem and returns false when it is unusable.
bool read_table(const boost::json::value& value, const std::string& origin, TableSchema& table,
                std::vector<std::string>& problems) {
  const auto* object = value.if_object();
  if (!object) {
    problems.push_back(origin + ": a table must be a JSON object");
    return false;
  }
  table.name = string_member(*object, "name");
  if (table.name.empty()) {
    problems.push_back(origin + ": a table has no \"name\"");
    return false;
  }
  table.product = string_member(*object, "product");
  table.description = string_member(*object, "description");
  table.time_column = string_member(*object, "timeColumn");
  const auto* columns = object->if_contains("columns");
  if (!columns || !columns->is_array()) {
    problems.push_back(origin + ": table " + table.name + " has no \"columns\" array");
    return false;
  }
  for (const auto& item : columns->as_array()) {
    const auto* column_object = item.if_object();
    if (!column_object) {
      problems.push_back(origin + ": a column of " + table.name + " is not an object");
      continue;
    }
    Column column;
    column.name = string_member(*column_object, "name");
    column.description = string_member(*column_object, "description");
    const std::string type = string_member(*column_object, "type");
    auto parsed = parse_type_name(type);
    if (column.name.empty() || !parsed) {
      problems.push_back(origin + ": column '" + column.name + "' of " + table.name +
                         " has no name or an unknown type '" + type + "'");
      continue;
    }
    column.type = *parsed;
    table.columns.push_back(std::move(column));
  }
  if (!table.time_column.empty() && !table.find(table.time_column)) {
    problems.push_back(origin + ": the timeColumn '" + table.time_column + "' of " + table.name +
                       " is not one of its columns");
    table.time_column.clear();
  }
  return true;
}

}  // namespace

void Catalogue::add(TableSchema table) {
  for (auto& existing : tables_) {
    if (existing.name == table.name) {
      existing = std::move(table);
      return;
    }
  }
  tables_.push_back(std::move(table));
}

const TableSchema* Catalogue::find(std::string_view name) const {
  for (const auto& table : tables_)
    if (table.name == name) return &table;
  return nullptr;
}

std::vector<std::string> Catalogue::table_names() const {
  std::vector<std::string> names;
  names.reserve(tables_.size());
  for (const auto& table : tables_)
    names.push_back(table.name);
  return names;
}

void add_catalogue_json(Catalogue& catalogue, std::string_view json, const std::string& origin,
                        std::vector<std::string>& problems) {
  boost::system::error_code error;
  boost::json::value document = boost::json::parse(json, error);
  if (error) {
    problems.push_back(origin + ": not valid JSON (" + error.message() + ")");
    return;
  }
  const boost::json::array* tables = nullptr;
  if (const auto* object = document.if_object()) {
    if (const auto* list = object->if_contains("tables")) tables = list->if_array();
  }
  if (tables) {
    for (const auto& item : *tables) {
      TableSchema table;
      if (read_table(item, origin, table, problems)) catalogue.add(std::move(table));
    }
    return;
  }
  TableSchema table;
  if (read_table(document, origin, table, problems)) catalogue.add(std::move(table));
}

CatalogueLoad load_catalogue(const std::filesystem::path& path) {
  CatalogueLoad load;
  std::error_code error;
  std::vector<std::filesystem::path> files;
  if (std::filesystem::is_directory(path, error)) {
    for (const auto& entry : std::filesystem::directory_iterator(path, error))
      if (entry.path().extension() == ".json") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    if (files.empty()) load.problems.push_back(path.string() + ": no *.json schema files in it");
  } else if (std::filesystem::is_regular_file(path, error)) {
    files.push_back(path);
  } else {
    load.problems.push_back(path.string() + ": no such schema file or folder");
  }
  for (const auto& file : files) {
    std::ifstream stream(file, std::ios::binary);
    std::ostringstream text;
    text << stream.rdbuf();
    if (!stream) {
      load.problems.push_back(file.string() + ": cannot be read");
      continue;
    }
    add_catalogue_json(load.catalogue, text.str(), file.filename().string(), load.problems);
  }
  return load;
}

}  // namespace kql
