// Read-only access to a Linux host's files from its root folder: "/" for this machine, or the
// root of a mounted disk image or copied tree. Paths are the host's own ("/etc/ssh/sshd_config");
// symbolic links are resolved as that host would resolve them, so an absolute link inside an
// image points into the image, never at this machine's files.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <sys/stat.h>

namespace posture {

// Configuration files are small; a bigger one is read up to this size and marked truncated.
inline constexpr std::size_t kMaxConfigBytes = std::size_t{4} << 20;

struct FileText {
  enum class State { ok, missing, unreadable };
  State state = State::missing;
  std::string text;
  std::string error;  // why it could not be read (unreadable)
  bool truncated = false;
};

struct DirListing {
  FileText::State state = FileText::State::missing;
  std::vector<std::string> names;  // sorted byte-wise, without "." and ".."
  std::string error;
};

enum class RootProblem { not_absolute, not_found, not_directory, unreadable, not_a_linux_root };

// Why a root folder cannot be assessed; what() says what is wrong and how to fix it.
class RootError : public std::runtime_error {
 public:
  RootError(RootProblem problem, const std::string& message)
      : std::runtime_error(message), problem_(problem) {}
  RootProblem problem() const noexcept { return problem_; }

 private:
  RootProblem problem_;
};

class RootFs {
 public:
  // `root` must be an absolute path to an existing folder; use open_root() to check one given
  // by a person.
  explicit RootFs(std::filesystem::path root);

  const std::filesystem::path& root() const noexcept { return root_; }
  // True when the root is this machine's own "/": live kernel state (/proc) is then meaningful.
  bool is_live() const noexcept { return live_; }

  // The local path of a host path, with every symbolic link on the way resolved inside the
  // root; nullopt after more than 40 links (a loop), as the kernel gives up. The result may not
  // exist.
  std::optional<std::filesystem::path> resolve(std::string_view host_path) const;

  FileText read(std::string_view host_path, std::size_t max_bytes = kMaxConfigBytes) const;
  DirListing list(std::string_view host_dir) const;
  // Host paths of the existing entries matching a glob(7) pattern (wildcards in any component,
  // hidden names only when the pattern component starts with '.'), sorted as glob(3) sorts.
  std::vector<std::string> glob(std::string_view host_pattern) const;
  // stat(2) through links (resolved inside the root), and lstat(2) of the entry itself.
  // (Links are resolved by RootFs for "/" too, so both roots behave alike.)
  std::optional<struct stat> stat(std::string_view host_path) const;
  std::optional<struct stat> lstat(std::string_view host_path) const;

 private:
  std::filesystem::path root_;
  bool live_ = false;
};

// Checks a root folder given by a person and opens it; throws RootError when it is not absolute,
// does not exist, is not a folder, cannot be read, or holds no etc/ folder.
RootFs open_root(const std::string& root);

// "/etc/ssh" + "sshd_config.d/x.conf" -> "/etc/ssh/sshd_config.d/x.conf" (host paths).
std::string join_host_path(std::string_view dir, std::string_view name);

}  // namespace posture
