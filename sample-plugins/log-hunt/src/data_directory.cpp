#include "log_hunt/data_directory.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>

#include "log_hunt/query_error.hpp"
#include "log_hunt/text.hpp"

namespace log_hunt {

uintmax_t StoredTable::total_bytes() const {
  uintmax_t total = 0;
  for (const auto& file : files)
    total += file.size;
  return total;
}

bool data_file_format(const std::filesystem::path& path, FileFormat& format) {
  const std::string name = path.filename().string();
  if (name.empty() || name.front() == '.') return false;
  const std::string extension = to_lower_copy(path.extension().string());
  if (extension == ".jsonl" || extension == ".ndjson" || extension == ".json") {
    format = FileFormat::JsonLines;
    return true;
  }
  if (extension == ".csv") {
    format = FileFormat::Csv;
    return true;
  }
  return false;
}

std::map<std::string, StoredTable> discover_tables(const std::filesystem::path& directory) {
  std::map<std::string, StoredTable> tables;
  std::error_code error;
  if (!std::filesystem::is_directory(directory, error)) return tables;
  std::filesystem::directory_iterator it(directory, error);
  if (error)
    throw QueryError(ErrorKind::Storage, "cannot list the data directory " + directory.string() +
                                             ": " + error.message());
  for (; it != std::filesystem::directory_iterator(); it.increment(error)) {
    if (error) break;
    const auto& entry = *it;
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.front() == '.') continue;
    FileFormat format;
    if (entry.is_directory(error)) {
      StoredTable table{name, {}};
      std::filesystem::directory_iterator inner(entry.path(), error);
      for (; !error && inner != std::filesystem::directory_iterator(); inner.increment(error)) {
        if (inner->is_regular_file(error) && data_file_format(inner->path(), format))
          table.files.push_back({inner->path(), format, inner->file_size(error)});
      }
      std::sort(table.files.begin(), table.files.end(),
                [](const DataFile& a, const DataFile& b) { return a.path < b.path; });
      if (!table.files.empty()) tables[name] = std::move(table);
    } else if (entry.is_regular_file(error) && data_file_format(entry.path(), format)) {
      const std::string table_name = entry.path().stem().string();
      auto& table = tables[table_name];
      table.name = table_name;
      table.files.push_back({entry.path(), format, entry.file_size(error)});
      std::sort(table.files.begin(), table.files.end(),
                [](const DataFile& a, const DataFile& b) { return a.path < b.path; });
    }
  }
  return tables;
}

MappedFile::MappedFile(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    throw QueryError(ErrorKind::Storage,
                     "cannot open " + path.string() + ": " + std::strerror(errno));
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    ::close(fd);
    throw QueryError(ErrorKind::Storage, "cannot stat " + path.string());
  }
  size_ = static_cast<size_t>(info.st_size);
  if (size_ > 0) {
    address_ = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
    if (address_ == MAP_FAILED) {
      address_ = nullptr;
      ::close(fd);
      throw QueryError(ErrorKind::Storage,
                       "cannot map " + path.string() + ": " + std::strerror(errno));
    }
    ::madvise(address_, size_, MADV_SEQUENTIAL);
  }
  ::close(fd);
}

MappedFile::~MappedFile() {
  if (address_) ::munmap(address_, size_);
}

}  // namespace log_hunt
