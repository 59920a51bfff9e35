#include "plugin/library_checks.hpp"

#include <secpilot/plugin.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "secpilot/util/sha256.hpp"

namespace secpilot::plugin {
namespace {

std::string octal_mode(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

Outcome check_one(const std::filesystem::path& path, bool allow_writable, const char* what) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0)
    return make_error(Status::not_found,
                      std::string(what) + " " + path.string() + ": " + std::strerror(errno));
  if (info.st_uid != 0 && info.st_uid != ::geteuid())
    return make_error(Status::forbidden,
                      std::string(what) + " " + path.string() + " is owned by uid " +
                          std::to_string(info.st_uid) +
                          ", neither root nor this user — chown it to a trusted user");
  if (!allow_writable && (info.st_mode & (S_IWGRP | S_IWOTH)))
    return make_error(Status::forbidden,
                      std::string(what) + " " + path.string() + " is writable by " +
                          ((info.st_mode & S_IWOTH) ? "others" : "its group") + " (mode " +
                          octal_mode(info.st_mode) + ") — run `chmod go-w " + path.string() +
                          "`, or set security.allow_writable_plugins: true in the settings file");
  return Done{};
}

}  // namespace

Outcome check_file_trust(const std::filesystem::path& library, bool allow_writable) {
  if (auto done = check_one(library, allow_writable, "plugin library"); !done) return done;
  return check_one(library.parent_path().empty() ? "." : library.parent_path(), allow_writable,
                   "plugin folder");
}

Outcome check_pinned_sha256(const std::filesystem::path& library,
                            const std::optional<std::string>& pinned) {
  if (!pinned) return Done{};
  auto actual = sha256_file_hex(library);
  if (!actual) return actual.error();
  if (*actual != *pinned)
    return make_error(Status::forbidden,
                      "SHA-256 of " + library.string() + " is " + *actual +
                          " but the manifest pins " + *pinned +
                          " — the library changed since it was pinned: verify where it came from, "
                          "then update Sha256 in the manifest");
  return Done{};
}

Outcome check_manifest_abi(const std::optional<std::string>& abi) {
  if (!abi) return Done{};
  const auto dot = abi->find('.');
  const std::string major = abi->substr(0, dot);
  if (major.empty() || major.find_first_not_of("0123456789") != std::string::npos)
    return make_error(Status::invalid_input,
                      "AbiVersion '" + *abi + "' is malformed — write MAJOR.MINOR, e.g. \"1.0\"");
  if (std::stoul(major) != SP_ABI_MAJOR)
    return make_error(Status::unsupported,
                      "the manifest declares ABI " + *abi + " but this host speaks ABI " +
                          std::to_string(SP_ABI_MAJOR) + "." + std::to_string(SP_ABI_MINOR) +
                          " — use a build of the plugin for ABI " + std::to_string(SP_ABI_MAJOR) +
                          ".x");
  return Done{};
}

}  // namespace secpilot::plugin
