// The tables a query can read: the files of a data directory, typed by a schema catalogue.
//
// A table the catalogue knows (DeviceProcessEvents, SigninLogs, ...) has the catalogue's
// columns and types, then any further columns found in its files; a table it does not know is
// typed from its first rows (see infer_schema). The folder is listed on every query, so files
// added or removed between calls are seen; inferred schemas are cached per file size and time.
// Thread-safe.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "log_hunt/data_directory.hpp"
#include "log_hunt/value.hpp"

namespace log_hunt {

// The catalogue's columns for a table name, or nullopt when it does not know the table.
using SchemaLookup = std::function<std::optional<Schema>(std::string_view table)>;

class LogStore {
 public:
  explicit LogStore(std::filesystem::path directory, SchemaLookup catalogue = {});

  const std::filesystem::path& directory() const { return directory_; }
  std::map<std::string, StoredTable> tables() const;
  Schema schema_of(const StoredTable& table) const;
  bool in_catalogue(std::string_view table) const;

 private:
  struct CachedSchema {
    std::vector<std::pair<uintmax_t, int64_t>> stamps;  // size and mtime of each file
    Schema inferred;
  };

  std::filesystem::path directory_;
  SchemaLookup catalogue_;
  mutable std::mutex mutex_;
  mutable std::map<std::string, CachedSchema> cache_;
};

}  // namespace log_hunt
