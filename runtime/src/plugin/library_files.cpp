#include "plugin/library_files.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <tuple>

namespace secpilot::plugin {
namespace {

struct FileIdentity {
  dev_t device = 0;
  ino_t inode = 0;
  off_t size = 0;
  std::int64_t mtime_ns = 0;
  bool operator==(const FileIdentity&) const = default;
};

Expected<FileIdentity> identify(const std::filesystem::path& file) {
  struct stat info {};
  if (::stat(file.c_str(), &info) != 0)
    return make_error(Status::not_found, file.string() + ": " + std::strerror(errno));
  return FileIdentity{info.st_dev, info.st_ino, info.st_size,
                      std::int64_t(info.st_mtim.tv_sec) * 1'000'000'000 + info.st_mtim.tv_nsec};
}

std::filesystem::path copies_folder() {
  const char* runtime = std::getenv("XDG_RUNTIME_DIR");
  std::filesystem::path base =
      runtime && *runtime ? std::filesystem::path(runtime) : std::filesystem::temp_directory_path();
  return base / ("secpilot-libraries-" + std::to_string(::geteuid()));
}

// Mirrors the dynamic loader's own process-wide table: which file each path was loaded from.
struct Loaded {
  std::mutex mutex;
  std::map<std::filesystem::path, FileIdentity> by_path;
};
Loaded& loaded() {
  static Loaded instance;
  return instance;
}

}  // namespace

Expected<std::filesystem::path> loadable_path(const std::filesystem::path& library) {
  auto identity = identify(library);
  if (!identity) return identity.error();
  auto& table = loaded();
  std::lock_guard lock(table.mutex);
  auto [it, first] = table.by_path.try_emplace(library, *identity);
  if (first || it->second == *identity) return library;

  // A new file behind a path already loaded: load a private copy of it.
  const auto folder = copies_folder();
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  std::filesystem::permissions(folder, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, error);
  struct stat info {};
  if (::lstat(folder.c_str(), &info) != 0 || !S_ISDIR(info.st_mode) || info.st_uid != ::geteuid() ||
      (info.st_mode & (S_IWGRP | S_IWOTH)))
    return make_error(Status::forbidden, "cannot use " + folder.string() +
                                             " for reloaded libraries: it must be a folder "
                                             "owned by this user and writable only by it");
  const auto copy =
      folder / (library.stem().string() + "-" + std::to_string(identity->inode) + "-" +
                std::to_string(identity->mtime_ns) + library.extension().string());
  if (!std::filesystem::exists(copy)) {
    const auto partial = copy.string() + ".partial";
    std::filesystem::copy_file(library, partial, std::filesystem::copy_options::overwrite_existing,
                               error);
    if (!error) std::filesystem::rename(partial, copy, error);
    if (error)
      return make_error(Status::internal,
                        "cannot copy " + library.string() + " for reloading: " + error.message());
  }
  return copy;
}

}  // namespace secpilot::plugin
