// The local log store: one table per file or folder under a data directory.
//
//   data/DeviceProcessEvents.jsonl        a table in one JSON Lines file (.jsonl, .ndjson, .json)
//   data/DeviceNetworkEvents/*.jsonl      a table split over files, read in name order
//   data/Inventory.csv                    CSV with a header row (also inside a table folder)
//
// Hidden files and anything else are ignored.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "log_hunt/value.hpp"

namespace log_hunt {

enum class FileFormat { JsonLines, Csv };

struct DataFile {
  std::filesystem::path path;
  FileFormat format = FileFormat::JsonLines;
  uintmax_t size = 0;
};

struct StoredTable {
  std::string name;
  std::vector<DataFile> files;
  uintmax_t total_bytes() const;
};

// Every table under `directory`, by name. Throws QueryError(Storage) when the folder cannot be
// listed; a missing folder is an empty store.
std::map<std::string, StoredTable> discover_tables(const std::filesystem::path& directory);

// The format a file name implies, if it is a data file.
bool data_file_format(const std::filesystem::path& path, FileFormat& format);

// The columns seen in the first `sample_rows` rows of the table (in order of first appearance),
// each typed by what its values look like: ISO 8601 strings -> datetime, integers -> long,
// other numbers -> real, true/false -> bool, objects and arrays -> dynamic, else string.
Schema infer_schema(const StoredTable& table, size_t sample_rows = 1000);

// Read-only view of a whole file (mmap; empty files have an empty view).
class MappedFile {
 public:
  explicit MappedFile(const std::filesystem::path& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  std::string_view data() const { return {static_cast<const char*>(address_), size_}; }

 private:
  void* address_ = nullptr;
  size_t size_ = 0;
};

}  // namespace log_hunt
