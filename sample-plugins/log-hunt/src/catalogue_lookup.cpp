#include "log_hunt/catalogue_lookup.hpp"

namespace log_hunt {

SchemaLookup catalogue_lookup(std::shared_ptr<const kql::Catalogue> catalogue) {
  return [catalogue = std::move(catalogue)](std::string_view name) -> std::optional<Schema> {
    const kql::TableSchema* table = catalogue ? catalogue->find(name) : nullptr;
    if (!table) return std::nullopt;
    Schema schema;
    for (const auto& column : table->columns)
      schema.push_back({column.name, column.type == Type::Unknown ? Type::String : column.type});
    return schema;
  };
}

}  // namespace log_hunt
