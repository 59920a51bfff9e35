#include "posture/file_checks.hpp"

#include <fnmatch.h>
#include <sys/stat.h>

#include <string>

#include "text_util.hpp"

namespace posture {
namespace {

constexpr CheckInfo kWorldWritable{
    "files.world_writable",
    "No world-writable files or unsticky world-writable folders",
    "files",
    "CIS Debian Linux 12 v1.0.1 7.1.11 Ensure world writable files and directories are secured",
    Severity::medium,
    "Remove the world-write bit ('chmod o-w FILE'), or, for a shared folder such as a spool, add "
    "the sticky bit ('chmod +t DIR') so that users cannot delete each other's files."};
constexpr CheckInfo kSetid{
    "files.setid",
    "Only the expected set-user-ID and set-group-ID programs",
    "files",
    "CIS Debian Linux 12 v1.0.1 7.1.13 Ensure SUID and SGID files are reviewed",
    Severity::medium,
    "Check each program listed: find its package with 'dpkg -S PATH' and verify it with 'dpkg "
    "--verify PACKAGE'. Remove the bit from what does not need it ('chmod u-s,g-s PATH') and "
    "delete what no package installed; a set-user-ID copy of a shell in /tmp or a home folder is "
    "a classic backdoor."};

// Set-ID programs of Debian 12 and Ubuntu packages (usr-merged paths, fnmatch patterns).
constexpr std::string_view kExpectedSetid[] = {
    "/usr/bin/at",
    "/usr/bin/bsd-write",
    "/usr/bin/chage",
    "/usr/bin/chfn",
    "/usr/bin/chsh",
    "/usr/bin/crontab",
    "/usr/bin/dotlockfile",
    "/usr/bin/expiry",
    "/usr/bin/fusermount",
    "/usr/bin/fusermount3",
    "/usr/bin/gpasswd",
    "/usr/bin/mail-lock",
    "/usr/bin/mail-touchlock",
    "/usr/bin/mail-unlock",
    "/usr/bin/mlocate",
    "/usr/bin/mount",
    "/usr/bin/newgidmap",
    "/usr/bin/newgrp",
    "/usr/bin/newuidmap",
    "/usr/bin/ntfs-3g",
    "/usr/bin/passwd",
    "/usr/bin/ping",
    "/usr/bin/ping6",
    "/usr/bin/pkexec",
    "/usr/bin/plocate",
    "/usr/bin/ssh-agent",
    "/usr/bin/su",
    "/usr/bin/sudo",
    "/usr/bin/traceroute6.iputils",
    "/usr/bin/umount",
    "/usr/bin/vmware-user-suid-wrapper",
    "/usr/bin/wall",
    "/usr/bin/write",
    "/usr/lib/chromium/chrome-sandbox",
    "/usr/lib/dbus-1.0/dbus-daemon-launch-helper",
    "/usr/lib/eject/dmcrypt-get-device",
    "/usr/lib/openssh/ssh-keysign",
    "/usr/lib/policykit-1/polkit-agent-helper-1",
    "/usr/lib/polkit-1/polkit-agent-helper-1",
    "/usr/lib/snapd/snap-confine",
    "/usr/lib/spice-gtk/spice-client-glib-usb-acl-helper",
    "/usr/lib/xorg/Xorg.wrap",
    "/usr/lib/*-linux-gnu*/utempter/utempter",
    "/usr/libexec/polkit-agent-helper-1",
    "/usr/libexec/utempter/utempter",
    "/usr/sbin/exim4",
    "/usr/sbin/mount.cifs",
    "/usr/sbin/mount.nfs",
    "/usr/sbin/pam_extrausers_chkpwd",
    "/usr/sbin/postdrop",
    "/usr/sbin/postqueue",
    "/usr/sbin/pppd",
    "/usr/sbin/unix_chkpwd",
};

// Where programs live: an unexpected set-ID file there is worth a look; anywhere else (home
// folders, /tmp, /var, /srv) it is worse.
constexpr std::string_view kProgramDirs[] = {"/usr/", "/bin/", "/sbin/", "/lib", "/opt/"};
// Where a world-writable file lets any user change what the system runs or trusts.
constexpr std::string_view kSystemDirs[] = {"/etc/", "/usr/",  "/bin/", "/sbin/",
                                            "/lib",  "/boot/", "/opt/", "/root/"};
constexpr size_t kMaxEvidence = 25;

std::string usr_merged(std::string_view path) {
  for (const auto dir : {"/bin/", "/sbin/", "/lib/", "/lib32/", "/lib64/", "/libx32/"})
    if (path.starts_with(dir)) return "/usr" + std::string(path);
  return std::string(path);
}

template <size_t N>
bool under_any(std::string_view path, const std::string_view (&dirs)[N]) {
  for (const auto dir : dirs)
    if (path.starts_with(dir)) return true;
  return false;
}

std::string describe(const FoundFile& file) {
  std::string kind = S_ISDIR(file.mode) ? "folder" : "file";
  std::string bits;
  if (file.mode & S_ISUID) bits += " set-user-ID";
  if (file.mode & S_ISGID) bits += " set-group-ID";
  return kind + bits + ", mode " + octal_mode(file.mode) + ", owner uid " +
         std::to_string(file.uid) + " gid " + std::to_string(file.gid);
}

// What kept the walk from seeing everything, as evidence.
void add_walk_notes(const WalkResult& walk, CheckResult& result) {
  if (!walk.complete)
    result.evidence.push_back({"/", 0, "walk stopped: " + walk.stopped_by,
                               "after " + std::to_string(walk.entries) +
                                   " entries; raise MaxFiles or MaxWalkSeconds to see the rest"});
  if (walk.unreadable_directories > 0)
    result.evidence.push_back(
        {walk.unreadable_examples.empty() ? "/" : walk.unreadable_examples[0], 0,
         std::to_string(walk.unreadable_directories) + " folder(s) could not be read",
         "run the assessment as root to look inside them"});
  if (walk.other_filesystem_count > 0)
    result.evidence.push_back(
        {"/", 0,
         std::to_string(walk.other_filesystem_count) +
             " other file system(s) not entered: " + join(walk.other_filesystems),
         "mount points are not crossed; assess them separately"});
  if (!walk.skipped_container_storage.empty())
    result.evidence.push_back(
        {"/", 0, "container and image stores not entered: " + join(walk.skipped_container_storage),
         "their layers are other systems' files"});
}

CheckResult incomplete_or(CheckResult result, const WalkResult& walk, std::string clean) {
  if (walk.complete) {
    result.status = Status::pass;
    result.detail = std::move(clean);
  } else {
    result.status = Status::error;
    result.detail = "nothing found in the " + std::to_string(walk.entries) +
                    " entries looked at, but the walk stopped (" + walk.stopped_by +
                    ") before the end: raise MaxFiles or MaxWalkSeconds";
  }
  return result;
}

CheckResult world_writable(const WalkResult& walk) {
  CheckResult result = make_result(kWorldWritable, Status::fail, "");
  const std::uint64_t total = walk.world_writable_file_count + walk.world_writable_dir_count;
  if (total == 0) {
    result = incomplete_or(std::move(result), walk,
                           "no world-writable file, and every world-writable folder among " +
                               std::to_string(walk.directories) + " has the sticky bit");
    add_walk_notes(walk, result);
    return result;
  }
  bool in_system = false;
  size_t shown = 0;
  for (const auto* list : {&walk.world_writable_files, &walk.world_writable_dirs})
    for (const auto& file : *list) {
      const bool system = under_any(file.path, kSystemDirs);
      in_system = in_system || system;
      if (shown++ < kMaxEvidence)
        result.evidence.push_back({file.path, 0, describe(file),
                                   S_ISDIR(file.mode)
                                       ? "any user can create, rename or delete files in it"
                                   : system ? "any user can change this system file"
                                            : "any user can change it"});
    }
  if (total > kMaxEvidence)
    result.evidence.push_back(
        {"/", 0, "and " + std::to_string(total - kMaxEvidence) + " more", ""});
  result.severity = in_system ? Severity::high : Severity::medium;
  result.detail = std::to_string(walk.world_writable_file_count) + " world-writable file(s) and " +
                  std::to_string(walk.world_writable_dir_count) +
                  " world-writable folder(s) without the sticky bit" +
                  (in_system ? ", some in system folders" : "");
  add_walk_notes(walk, result);
  return result;
}

CheckResult setid(const WalkResult& walk) {
  CheckResult result = make_result(kSetid, Status::fail, "");
  std::vector<const FoundFile*> unexpected;
  std::uint64_t expected = 0;
  for (const auto& file : walk.setid_files) {
    if (is_expected_setid(file.path))
      ++expected;
    else
      unexpected.push_back(&file);
  }
  // Only the first max_findings are kept; the rest are counted as unexpected to be safe.
  const std::uint64_t unseen = walk.setid_count - walk.setid_files.size();
  if (unexpected.empty() && unseen == 0) {
    result = incomplete_or(std::move(result), walk,
                           expected == 0 ? "no set-user-ID or set-group-ID programs"
                                         : "all " + std::to_string(expected) +
                                               " set-ID programs are ones Debian and Ubuntu "
                                               "packages ship");
    add_walk_notes(walk, result);
    return result;
  }
  bool outside = false;
  size_t shown = 0;
  for (const FoundFile* file : unexpected) {
    const bool in_program_dir = under_any(file->path, kProgramDirs);
    outside = outside || !in_program_dir;
    if (shown++ < kMaxEvidence)
      result.evidence.push_back({file->path, 0, describe(*file),
                                 in_program_dir
                                     ? "not a set-ID program of a stock Debian/Ubuntu system"
                                     : "a set-ID program outside the system's program folders"});
  }
  result.severity = outside ? Severity::high : Severity::medium;
  result.detail = std::to_string(unexpected.size() + unseen) + " unexpected set-ID program(s)" +
                  (outside ? ", some outside the system's program folders" : "") + " (" +
                  std::to_string(expected) + " expected ones not listed)";
  add_walk_notes(walk, result);
  return result;
}

}  // namespace

bool is_expected_setid(std::string_view host_path) {
  const std::string path = usr_merged(host_path);
  for (const auto pattern : kExpectedSetid)
    if (::fnmatch(std::string(pattern).c_str(), path.c_str(), FNM_PATHNAME) == 0) return true;
  return false;
}

std::vector<CheckResult> check_files(const WalkResult& walk) {
  return {world_writable(walk), setid(walk)};
}

std::vector<CheckResult> skipped_file_checks() {
  std::vector<CheckResult> results;
  for (const CheckInfo* info : {&kWorldWritable, &kSetid})
    results.push_back(make_result(*info, Status::not_applicable,
                                  "the file walk is turned off (setting MaxFiles is 0)"));
  return results;
}

}  // namespace posture
