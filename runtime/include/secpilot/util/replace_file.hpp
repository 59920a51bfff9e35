// Replacing a file whole: the new content is written beside it and renamed over it, so whoever
// reads or watches the file (the plugin folder watcher, a script waiting for it) never sees half
// of it, and a failed write (a full disk) leaves the previous file as it was.
#pragma once

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <string_view>
#include <system_error>

namespace secpilot {

enum class FileAccess { by_umask, owner_only };

// Returns what failed, or an empty code. The temporary file (`<target>.partial`) never stays.
inline std::error_code replace_file(const std::filesystem::path& target, std::string_view content,
                                    FileAccess access = FileAccess::by_umask) {
  auto partial = target;
  partial += ".partial";
  std::error_code error;
  {
    errno = 0;
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.flush();
    if (!out)
      error = errno != 0 ? std::error_code(errno, std::generic_category())
                         : std::make_error_code(std::errc::io_error);
  }
  if (!error && access == FileAccess::owner_only)
    std::filesystem::permissions(
        partial, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
        std::filesystem::perm_options::replace, error);
  if (!error) std::filesystem::rename(partial, target, error);
  if (error) {
    std::error_code ignored;
    std::filesystem::remove(partial, ignored);
  }
  return error;
}

}  // namespace secpilot
