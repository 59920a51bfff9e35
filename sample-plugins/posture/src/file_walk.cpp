#include "posture/file_walk.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace posture {
namespace {

// Deeper folders are counted as unreadable rather than opened: each level holds a descriptor.
constexpr std::size_t kMaxDepth = 128;
constexpr std::size_t kMaxExamples = 20;

// Image and container layers are other systems' files (each layer has its own /usr/bin/passwd):
// assess them on their own rather than as this host's.
constexpr std::string_view kContainerStorage[] = {
    "/var/lib/docker", "/var/lib/containers", "/var/lib/containerd", "/var/lib/lxc",
    "/var/lib/lxd",    "/var/lib/machines",   "/var/lib/snapd/snaps"};

bool is_container_storage(const std::string& path) {
  for (const auto prefix : kContainerStorage)
    if (path == prefix) return true;
  return false;
}

struct OpenDir {
  DIR* dir;
  std::string path;  // host path, "/" for the root
};

void keep(std::vector<FoundFile>& found, std::uint64_t& count, std::size_t max,
          const std::string& path, const struct stat& info) {
  ++count;
  if (found.size() < max) found.push_back({path, info.st_mode, info.st_uid, info.st_gid});
}

std::string child_path(const std::string& parent, const char* name) {
  return parent == "/" ? "/" + std::string(name) : parent + "/" + name;
}

}  // namespace

WalkResult walk_root(const RootFs& fs, const WalkLimits& limits,
                     const std::function<bool()>& cancelled) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  WalkResult result;
  const int root_fd = ::open(fs.root().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  struct stat root_info {};
  if (root_fd < 0 || ::fstat(root_fd, &root_info) != 0) {
    if (root_fd >= 0) ::close(root_fd);
    result.complete = false;
    result.stopped_by = "unreadable root";
    return result;
  }
  DIR* root_dir = ::fdopendir(root_fd);
  if (!root_dir) {
    ::close(root_fd);
    result.complete = false;
    result.stopped_by = "unreadable root";
    return result;
  }
  std::vector<OpenDir> stack;
  stack.push_back({root_dir, "/"});

  auto stop = [&](const char* why) {
    result.complete = false;
    result.stopped_by = why;
  };
  while (!stack.empty() && result.complete) {
    OpenDir& current = stack.back();
    const dirent* entry = ::readdir(current.dir);
    if (!entry) {
      ::closedir(current.dir);
      stack.pop_back();
      continue;
    }
    const char* name = entry->d_name;
    if (name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'))) continue;
    if (++result.entries % 256 == 0) {
      if (cancelled && cancelled())
        stop("cancelled");
      else if (Clock::now() - start > limits.max_time)
        stop("time limit");
    }
    if (result.entries > limits.max_entries) stop("entry limit");
    if (!result.complete) break;

    struct stat info {};
    const int dir_fd = ::dirfd(current.dir);
    if (::fstatat(dir_fd, name, &info, AT_SYMLINK_NOFOLLOW) != 0) continue;
    const std::string path = child_path(current.path, name);
    if (S_ISREG(info.st_mode)) {
      if (info.st_mode & S_IWOTH)
        keep(result.world_writable_files, result.world_writable_file_count, limits.max_findings,
             path, info);
      if (info.st_mode & (S_ISUID | S_ISGID))
        keep(result.setid_files, result.setid_count, limits.max_findings, path, info);
      continue;
    }
    if (!S_ISDIR(info.st_mode)) continue;  // links, devices, sockets and FIFOs
    ++result.directories;
    if ((info.st_mode & S_IWOTH) && !(info.st_mode & S_ISVTX))
      keep(result.world_writable_dirs, result.world_writable_dir_count, limits.max_findings, path,
           info);
    if (is_container_storage(path)) {
      result.skipped_container_storage.push_back(path);
      continue;
    }
    if (info.st_dev != root_info.st_dev) {
      if (result.other_filesystems.size() < kMaxExamples) result.other_filesystems.push_back(path);
      ++result.other_filesystem_count;
      continue;
    }
    const int child = stack.size() < kMaxDepth
                          ? ::openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                          : -1;
    DIR* child_dir = child >= 0 ? ::fdopendir(child) : nullptr;
    if (!child_dir) {
      if (child >= 0) ::close(child);
      if (result.unreadable_examples.size() < kMaxExamples)
        result.unreadable_examples.push_back(path);
      ++result.unreadable_directories;
      continue;
    }
    stack.push_back({child_dir, path});
  }
  for (auto& open : stack)
    ::closedir(open.dir);
  auto by_path = [](const FoundFile& a, const FoundFile& b) { return a.path < b.path; };
  std::sort(result.world_writable_files.begin(), result.world_writable_files.end(), by_path);
  std::sort(result.world_writable_dirs.begin(), result.world_writable_dirs.end(), by_path);
  std::sort(result.setid_files.begin(), result.setid_files.end(), by_path);
  result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  return result;
}

std::string octal_mode(mode_t mode) {
  char text[8];
  const unsigned bits = static_cast<unsigned>(mode & 07777);
  std::snprintf(text, sizeof text, "%04o", bits);
  return text;
}

}  // namespace posture
