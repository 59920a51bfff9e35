// One bounded walk of the root's file system that collects what the file-permission checks
// need: world-writable files and folders, and set-user-ID and set-group-ID files. Symbolic
// links are never followed and other file systems (mount points) are never entered, like
// `find -xdev`, nor are container and image stores (/var/lib/docker, ...): their layers are
// other systems. The walk stops at a number of entries or a time limit, and says so.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "posture/root_fs.hpp"

namespace posture {

struct WalkLimits {
  std::uint64_t max_entries = 1'000'000;
  std::chrono::milliseconds max_time{20'000};
  // Findings kept per kind (the counts go on): the result must stay readable.
  std::size_t max_findings = 200;
};

struct FoundFile {
  std::string path;  // host path
  mode_t mode = 0;
  uid_t uid = 0;
  gid_t gid = 0;
};

struct WalkResult {
  std::vector<FoundFile> world_writable_files;
  std::vector<FoundFile> world_writable_dirs;  // without the sticky bit
  std::vector<FoundFile> setid_files;          // set-user-ID or set-group-ID regular files
  std::uint64_t world_writable_file_count = 0;
  std::uint64_t world_writable_dir_count = 0;
  std::uint64_t setid_count = 0;

  std::uint64_t entries = 0;  // everything looked at, folders included
  std::uint64_t directories = 0;
  std::uint64_t unreadable_directories = 0;
  std::vector<std::string> unreadable_examples;  // the first few
  std::vector<std::string> other_filesystems;    // mount points not entered (the first few)
  std::uint64_t other_filesystem_count = 0;
  std::vector<std::string> skipped_container_storage;
  bool complete = true;
  std::string stopped_by;  // "entry limit", "time limit" or "cancelled" when not complete
  std::chrono::milliseconds elapsed{0};
};

WalkResult walk_root(const RootFs& fs, const WalkLimits& limits,
                     const std::function<bool()>& cancelled = {});

// "0755" and friends, with the setuid/setgid/sticky digit when set ("4755").
std::string octal_mode(mode_t mode);

}  // namespace posture
