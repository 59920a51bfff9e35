// The file walk and the permission checks. Modes and set-ID bits are made at run time in a
// temporary tree: git keeps neither.
#include "posture/file_checks.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "posture/file_walk.hpp"
#include "test_trees.hpp"

namespace posture {
namespace {

namespace fs = std::filesystem;
using testing::evidence_text;
using testing::find_check;
using testing::StagedTree;

// Sets a mode with chmod(2); false when the bits did not stick (set-ID bits may be refused).
bool set_mode(const fs::path& path, mode_t mode) {
  struct stat info {};
  return ::chmod(path.c_str(), mode) == 0 && ::stat(path.c_str(), &info) == 0 &&
         (info.st_mode & 07777) == mode;
}

WalkResult walk(const StagedTree& tree, WalkLimits limits = {}) {
  return walk_root(RootFs(tree.root()), limits);
}

TEST(FileWalk, FindsWorldWritableFilesAndUnstickyFoldersButNotLinksOrStickyFolders) {
  StagedTree tree("hardened");
  tree.write("etc/cron.d/backup", "0 3 * * * root /usr/local/sbin/backup\n", 0666);
  fs::create_directories(tree / "srv/upload");
  ASSERT_TRUE(set_mode(tree / "srv/upload", 0777));
  fs::create_directories(tree / "tmp");
  ASSERT_TRUE(set_mode(tree / "tmp", 01777));
  fs::create_symlink("/etc/cron.d/backup", tree / "srv/link-to-backup");  // links are 0777
  const WalkResult result = walk(tree);
  EXPECT_TRUE(result.complete);
  ASSERT_EQ(result.world_writable_files.size(), 1u);
  EXPECT_EQ(result.world_writable_files[0].path, "/etc/cron.d/backup");
  ASSERT_EQ(result.world_writable_dirs.size(), 1u);
  EXPECT_EQ(result.world_writable_dirs[0].path, "/srv/upload");

  const auto checks = check_files(result);
  const auto& check = find_check(checks, "files.world_writable");
  EXPECT_EQ(check.status, Status::fail);
  EXPECT_EQ(check.severity, Severity::high) << "a world-writable file under /etc";
  EXPECT_EQ(check.evidence[0].file, "/etc/cron.d/backup");
  EXPECT_NE(check.evidence[0].value.find("mode 0666"), std::string::npos);
}

TEST(FileWalk, SymbolicLinksToFoldersAreNotFollowed) {
  StagedTree tree;
  fs::create_directories(tree / "outside");
  tree.write("outside/open", "", 0666);
  fs::create_symlink("../outside", tree / "etc/linked");
  const WalkResult result = walk_root(RootFs(tree / "etc"), {});
  EXPECT_EQ(result.world_writable_file_count, 0u);
}

TEST(FileWalk, ACleanTreePasses) {
  StagedTree tree("hardened");
  const auto checks = check_files(walk(tree));
  for (const auto& check : checks)
    EXPECT_EQ(check.status, Status::pass) << check.id << ": " << check.detail;
}

TEST(FileWalk, ExpectedSetidProgramsPassAndOthersFailBySeverity) {
  StagedTree tree;
  const auto passwd = tree.write("usr/bin/passwd", "#!/bin/true\n");
  const auto chkpwd = tree.write("sbin/unix_chkpwd", "#!/bin/true\n");  // /sbin = /usr/sbin
  const auto helper = tree.write("usr/local/bin/backup-helper", "#!/bin/true\n");
  const auto hidden = tree.write("var/tmp/.cache/bash", "#!/bin/true\n");
  if (!set_mode(passwd, 04755) || !set_mode(chkpwd, 02755) || !set_mode(helper, 04755) ||
      !set_mode(hidden, 04755))
    GTEST_SKIP() << "this file system or user cannot set set-ID bits on files in " << tree.root()
                 << " (run as root on a file system without restrictions)";
  const WalkResult result = walk(tree);
  EXPECT_EQ(result.setid_count, 4u);
  const auto& check = find_check(check_files(result), "files.setid");
  EXPECT_EQ(check.status, Status::fail);
  EXPECT_EQ(check.severity, Severity::high) << "a set-user-ID program under /var/tmp";
  const std::string text = evidence_text(check);
  EXPECT_NE(text.find("/usr/local/bin/backup-helper"), std::string::npos) << text;
  EXPECT_NE(text.find("/var/tmp/.cache/bash"), std::string::npos) << text;
  EXPECT_NE(text.find("set-user-ID, mode 4755"), std::string::npos) << text;
  EXPECT_EQ(text.find("/usr/bin/passwd"), std::string::npos) << text;
  EXPECT_NE(check.detail.find("2 unexpected set-ID program(s)"), std::string::npos) << check.detail;
}

TEST(FileWalk, OnlyExpectedSetidProgramsPass) {
  StagedTree tree;
  const auto su = tree.write("bin/su", "#!/bin/true\n");
  const auto utempter = tree.write("usr/lib/x86_64-linux-gnu/utempter/utempter", "#!/bin/true\n");
  if (!set_mode(su, 04755) || !set_mode(utempter, 02755))
    GTEST_SKIP() << "cannot set set-ID bits in " << tree.root();
  const auto& check = find_check(check_files(walk(tree)), "files.setid");
  EXPECT_EQ(check.status, Status::pass) << check.detail << "\n" << evidence_text(check);
}

TEST(FileWalk, ContainerStoresAreNotEntered) {
  StagedTree tree;
  const auto layer = tree.write("var/lib/docker/overlay2/3f2a/diff/tmp/dropper", "", 0666);
  const WalkResult result = walk(tree);
  EXPECT_EQ(result.world_writable_file_count, 0u);
  EXPECT_EQ(result.skipped_container_storage, (std::vector<std::string>{"/var/lib/docker"}));
}

TEST(FileWalk, TheEntryLimitStopsTheWalkAndACleanPartialWalkIsAnError) {
  StagedTree tree("hardened");
  WalkLimits limits;
  limits.max_entries = 5;
  const WalkResult result = walk(tree, limits);
  EXPECT_FALSE(result.complete);
  EXPECT_EQ(result.stopped_by, "entry limit");
  for (const auto& check : check_files(result)) {
    EXPECT_EQ(check.status, Status::error) << check.id;
    EXPECT_NE(check.detail.find("raise MaxFiles or MaxWalkSeconds"), std::string::npos);
  }
}

TEST(FileWalk, TheTimeLimitAndCancellationStopTheWalk) {
  StagedTree tree;
  for (int i = 0; i < 600; ++i)
    tree.write("usr/share/doc/f" + std::to_string(i), "");
  WalkLimits limits;
  limits.max_time = std::chrono::milliseconds(0);
  EXPECT_EQ(walk(tree, limits).stopped_by, "time limit");
  const WalkResult cancelled = walk_root(RootFs(tree.root()), {}, [] { return true; });
  EXPECT_EQ(cancelled.stopped_by, "cancelled");
}

TEST(FileWalk, FindingsAreCappedButCounted) {
  StagedTree tree;
  for (int i = 0; i < 30; ++i)
    tree.write("srv/share/f" + std::to_string(i), "", 0666);
  WalkLimits limits;
  limits.max_findings = 10;
  const WalkResult result = walk(tree, limits);
  EXPECT_EQ(result.world_writable_files.size(), 10u);
  EXPECT_EQ(result.world_writable_file_count, 30u);
  const auto& check = find_check(check_files(result), "files.world_writable");
  EXPECT_NE(check.detail.find("30 world-writable file(s)"), std::string::npos) << check.detail;
}

TEST(FileWalk, UnreadableFoldersAreCountedForAUser) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads every folder";
  StagedTree tree;
  fs::create_directories(tree / "root/private");
  ASSERT_TRUE(set_mode(tree / "root", 0700));
  ASSERT_TRUE(set_mode(tree / "root/private", 0000));
  const WalkResult result = walk(tree);
  EXPECT_EQ(result.unreadable_directories, 1u);
  ASSERT_TRUE(set_mode(tree / "root/private", 0700));
}

TEST(ExpectedSetid, KnowsUsrMergeAndMultiarchPaths) {
  EXPECT_TRUE(is_expected_setid("/usr/bin/sudo"));
  EXPECT_TRUE(is_expected_setid("/bin/mount"));
  EXPECT_TRUE(is_expected_setid("/usr/lib/aarch64-linux-gnu/utempter/utempter"));
  EXPECT_FALSE(is_expected_setid("/usr/bin/bash"));
  EXPECT_FALSE(is_expected_setid("/home/mrivera/sudo"));
}

}  // namespace
}  // namespace posture
