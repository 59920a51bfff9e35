#include "log_hunt/log_store.hpp"

namespace log_hunt {
namespace {

std::vector<std::pair<uintmax_t, int64_t>> stamps_of(const StoredTable& table) {
  std::vector<std::pair<uintmax_t, int64_t>> stamps;
  for (const auto& file : table.files) {
    std::error_code error;
    auto time = std::filesystem::last_write_time(file.path, error);
    stamps.emplace_back(file.size,
                        error ? 0 : static_cast<int64_t>(time.time_since_epoch().count()));
  }
  return stamps;
}

}  // namespace

LogStore::LogStore(std::filesystem::path directory, SchemaLookup catalogue)
    : directory_(std::move(directory)), catalogue_(std::move(catalogue)) {}

std::map<std::string, StoredTable> LogStore::tables() const {
  return discover_tables(directory_);
}

bool LogStore::in_catalogue(std::string_view table) const {
  return catalogue_ && catalogue_(table).has_value();
}

Schema LogStore::schema_of(const StoredTable& table) const {
  Schema inferred;
  const auto stamps = stamps_of(table);
  {
    std::lock_guard lock(mutex_);
    auto it = cache_.find(table.name);
    if (it != cache_.end() && it->second.stamps == stamps) inferred = it->second.inferred;
  }
  if (inferred.empty()) {
    inferred = infer_schema(table);
    std::lock_guard lock(mutex_);
    cache_[table.name] = {stamps, inferred};
  }
  std::optional<Schema> known = catalogue_ ? catalogue_(table.name) : std::nullopt;
  if (!known) return inferred;
  Schema schema = *known;
  for (const auto& column : inferred)
    if (find_column(schema, column.name) < 0) schema.push_back(column);
  return schema;
}

}  // namespace log_hunt
