#include "posture/root_fs.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <memory>

namespace posture {
namespace {

namespace fs = std::filesystem;

constexpr int kMaxSymlinks = 40;

std::vector<std::string> components(std::string_view path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view part = path.substr(start, end - start);
    if (!part.empty() && part != ".") parts.emplace_back(part);
    start = end + 1;
  }
  return parts;
}

std::string host_path_of(const std::vector<std::string>& parts) {
  std::string path;
  for (const auto& part : parts)
    path += "/" + part;
  return path.empty() ? "/" : path;
}

bool has_wildcard(std::string_view text) {
  return text.find_first_of("*?[") != std::string_view::npos;
}

FileText::State state_of(int error) {
  return error == ENOENT || error == ENOTDIR ? FileText::State::missing
                                             : FileText::State::unreadable;
}

}  // namespace

RootFs::RootFs(fs::path root) : root_(std::move(root)) {
  std::error_code ignored;
  live_ = fs::weakly_canonical(root_, ignored) == fs::path("/");
}

std::optional<fs::path> RootFs::resolve(std::string_view host_path) const {
  std::deque<std::string> pending;
  for (auto& part : components(host_path))
    pending.push_back(std::move(part));
  std::vector<std::string> done;
  int links = 0;
  while (!pending.empty()) {
    std::string part = std::move(pending.front());
    pending.pop_front();
    if (part == "..") {
      if (!done.empty()) done.pop_back();
      continue;
    }
    const fs::path local = root_ / host_path_of(done).substr(1) / part;
    struct stat info {};
    if (::lstat(local.c_str(), &info) != 0 || !S_ISLNK(info.st_mode)) {
      done.push_back(std::move(part));
      continue;
    }
    if (++links > kMaxSymlinks) return std::nullopt;
    std::string target(static_cast<size_t>(info.st_size) + 256, '\0');
    const ssize_t size = ::readlink(local.c_str(), target.data(), target.size());
    if (size < 0) {
      done.push_back(std::move(part));
      continue;
    }
    target.resize(static_cast<size_t>(size));
    if (!target.empty() && target.front() == '/') done.clear();
    auto target_parts = components(target);
    pending.insert(pending.begin(), target_parts.begin(), target_parts.end());
  }
  return root_ / host_path_of(done).substr(1);
}

FileText RootFs::read(std::string_view host_path, std::size_t max_bytes) const {
  FileText file;
  const auto local = resolve(host_path);
  if (!local) {
    file.state = FileText::State::unreadable;
    file.error = std::strerror(ELOOP);
    return file;
  }
  // O_NONBLOCK: a FIFO planted where a config file should be must not hang the assessment.
  // O_NOFOLLOW: every link is resolved already, inside the root.
  const int fd = ::open(local->c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY | O_NOFOLLOW);
  if (fd < 0) {
    file.state = state_of(errno);
    file.error = std::strerror(errno);
    return file;
  }
  std::unique_ptr<int, void (*)(int*)> closer(new int(fd), [](int* held) {
    ::close(*held);
    delete held;
  });
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    file.state = FileText::State::unreadable;
    file.error = S_ISDIR(info.st_mode) ? "it is a folder" : "it is not a regular file";
    return file;
  }
  std::string text;
  char buffer[65536];
  while (text.size() <= max_bytes) {
    const ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got < 0) {
      if (errno == EINTR) continue;
      file.state = FileText::State::unreadable;
      file.error = std::strerror(errno);
      return file;
    }
    if (got == 0) break;
    text.append(buffer, static_cast<size_t>(got));
  }
  if (text.size() > max_bytes) {
    text.resize(max_bytes);
    file.truncated = true;
  }
  file.state = FileText::State::ok;
  file.text = std::move(text);
  return file;
}

DirListing RootFs::list(std::string_view host_dir) const {
  DirListing listing;
  const auto local = resolve(host_dir);
  DIR* dir = local ? ::opendir(local->c_str()) : nullptr;
  if (!dir) {
    const int error = local ? errno : ELOOP;
    listing.state = state_of(error);
    listing.error = std::strerror(error);
    return listing;
  }
  while (const dirent* entry = ::readdir(dir)) {
    std::string_view name = entry->d_name;
    if (name != "." && name != "..") listing.names.emplace_back(name);
  }
  ::closedir(dir);
  std::sort(listing.names.begin(), listing.names.end());
  listing.state = FileText::State::ok;
  return listing;
}

std::vector<std::string> RootFs::glob(std::string_view host_pattern) const {
  std::vector<std::string> matches{"/"};
  for (const auto& part : components(host_pattern)) {
    std::vector<std::string> next;
    for (const auto& base : matches) {
      if (!has_wildcard(part)) {
        next.push_back(join_host_path(base, part));
        continue;
      }
      for (const auto& name : list(base).names)
        if (::fnmatch(part.c_str(), name.c_str(), FNM_PERIOD) == 0)
          next.push_back(join_host_path(base, name));
    }
    matches = std::move(next);
  }
  std::erase_if(matches, [this](const std::string& path) { return !lstat(path).has_value(); });
  std::sort(matches.begin(), matches.end());
  return matches;
}

std::optional<struct stat> RootFs::stat(std::string_view host_path) const {
  const auto local = resolve(host_path);
  struct stat info {};
  if (!local || ::lstat(local->c_str(), &info) != 0) return std::nullopt;
  return info;
}

std::optional<struct stat> RootFs::lstat(std::string_view host_path) const {
  const fs::path host(host_path);
  const std::string parent = host.parent_path().string();
  const auto local = resolve(parent.empty() ? "/" : parent);
  struct stat info {};
  if (!local || ::lstat((*local / host.filename()).c_str(), &info) != 0) return std::nullopt;
  return info;
}

RootFs open_root(const std::string& root) {
  const fs::path path(root);
  if (root.empty() || !path.is_absolute())
    throw RootError(RootProblem::not_absolute,
                    "the root folder '" + root +
                        "' is not an absolute path: give the full path of the host's root, "
                        "e.g. / or /mnt/image");
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    if (errno == EACCES)
      throw RootError(RootProblem::unreadable,
                      "cannot reach the root folder '" + root +
                          "': permission denied — run secpilot as a user who can read it");
    throw RootError(RootProblem::not_found,
                    "the root folder '" + root +
                        "' does not exist: give the root of the host to assess (/ for this "
                        "machine, or where its disk image is mounted)");
  }
  if (!S_ISDIR(info.st_mode))
    throw RootError(RootProblem::not_directory, "the root folder '" + root +
                                                    "' is not a folder: give the folder that holds "
                                                    "the host's etc/, usr/ and proc/");
  if (::access(path.c_str(), R_OK | X_OK) != 0)
    throw RootError(RootProblem::unreadable,
                    "cannot read the root folder '" + root +
                        "': permission denied — run secpilot as a user who can read it (root "
                        "for a complete assessment)");
  struct stat etc {};
  if (::stat((path / "etc").c_str(), &etc) != 0 || !S_ISDIR(etc.st_mode))
    throw RootError(RootProblem::not_a_linux_root,
                    "the root folder '" + root +
                        "' has no etc/ folder, so it is not the root of a Linux file system: "
                        "give the folder that holds the host's etc/, usr/ and proc/");
  return RootFs(path.lexically_normal());
}

std::string join_host_path(std::string_view dir, std::string_view name) {
  std::string path(dir);
  if (path.empty() || path.back() != '/') path += '/';
  path += name;
  return path;
}

}  // namespace posture
