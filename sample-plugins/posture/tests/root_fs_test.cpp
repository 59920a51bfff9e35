// RootFs: host paths map into the root, links resolve as on the assessed host, and a root given
// by a person is checked before anything is read.
#include "posture/root_fs.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>

#include <gtest/gtest.h>

#include "test_trees.hpp"

namespace posture {
namespace {

namespace fs = std::filesystem;
using testing::StagedTree;

TEST(RootFs, AnAbsoluteLinkInsideAnImagePointsIntoTheImageNotAtThisMachine) {
  StagedTree tree;
  tree.write("srv/image-hosts", "198.51.100.7 app.corp.example\n");
  fs::create_symlink("/srv/image-hosts", tree / "etc/hosts");
  const RootFs root(tree.root());
  const FileText hosts = root.read("/etc/hosts");
  ASSERT_EQ(hosts.state, FileText::State::ok) << hosts.error;
  EXPECT_EQ(hosts.text, "198.51.100.7 app.corp.example\n");
}

TEST(RootFs, DotDotAndLinkLoopsStayInsideTheRoot) {
  StagedTree tree;
  tree.write("etc/motd", "inside\n");
  fs::create_symlink("../../../../etc/motd", tree / "etc/escape");
  fs::create_symlink("loop-b", tree / "etc/loop-a");
  fs::create_symlink("loop-a", tree / "etc/loop-b");
  const RootFs root(tree.root());
  EXPECT_EQ(root.read("/etc/escape").text, "inside\n");
  const FileText loop = root.read("/etc/loop-a");
  EXPECT_EQ(loop.state, FileText::State::unreadable);
  EXPECT_EQ(loop.error, "Too many levels of symbolic links");
}

TEST(RootFs, MissingAndUnreadableFilesAreToldApart) {
  StagedTree tree;
  tree.write("etc/secret", "x\n", 0000);
  const RootFs root(tree.root());
  EXPECT_EQ(root.read("/etc/nothing-here").state, FileText::State::missing);
  if (::geteuid() == 0) GTEST_SKIP() << "root reads any file: the unreadable case needs a user";
  EXPECT_EQ(root.read("/etc/secret").state, FileText::State::unreadable);
}

TEST(RootFs, AFifoWhereAConfigFileShouldBeDoesNotHang) {
  StagedTree tree;
  ASSERT_EQ(::mkfifo((tree / "etc/login.defs").c_str(), 0644), 0);
  const RootFs root(tree.root());
  const auto start = std::chrono::steady_clock::now();
  const FileText file = root.read("/etc/login.defs");
  EXPECT_EQ(file.state, FileText::State::unreadable);
  EXPECT_EQ(file.error, "it is not a regular file");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
}

TEST(RootFs, ABigFileIsReadUpToTheLimitAndMarkedTruncated) {
  StagedTree tree;
  tree.write("etc/big.conf", std::string(10000, 'x'));
  const FileText file = RootFs(tree.root()).read("/etc/big.conf", 4096);
  EXPECT_EQ(file.state, FileText::State::ok);
  EXPECT_EQ(file.text.size(), 4096u);
  EXPECT_TRUE(file.truncated);
}

TEST(RootFs, GlobMatchesLikeGlob3SortedAndWithoutHiddenFiles) {
  StagedTree tree;
  tree.write("etc/ssh/sshd_config.d/20-b.conf", "");
  tree.write("etc/ssh/sshd_config.d/10-a.conf", "");
  tree.write("etc/ssh/sshd_config.d/.hidden.conf", "");
  tree.write("etc/ssh/sshd_config.d/notes.txt", "");
  const auto matches = RootFs(tree.root()).glob("/etc/ssh/sshd_config.d/*.conf");
  EXPECT_EQ(matches, (std::vector<std::string>{"/etc/ssh/sshd_config.d/10-a.conf",
                                               "/etc/ssh/sshd_config.d/20-b.conf"}));
}

TEST(OpenRoot, SaysWhatIsWrongWithTheRootFolder) {
  StagedTree tree;
  tree.write("file", "");
  auto problem = [](const std::string& path) {
    try {
      open_root(path);
    } catch (const RootError& error) {
      return std::make_pair(error.problem(), std::string(error.what()));
    }
    return std::make_pair(RootProblem::not_found, std::string("no error"));
  };
  EXPECT_EQ(problem("relative/path").first, RootProblem::not_absolute);
  const auto missing = problem("/nonexistent/secpilot-root");
  EXPECT_EQ(missing.first, RootProblem::not_found);
  EXPECT_NE(missing.second.find("'/nonexistent/secpilot-root' does not exist"), std::string::npos);
  EXPECT_EQ(problem((tree / "file").string()).first, RootProblem::not_directory);
  EXPECT_EQ(problem((tree / "etc").string()).first, RootProblem::not_a_linux_root);
  EXPECT_NO_THROW(open_root(tree.root().string()));
}

TEST(OpenRoot, OnlyThisMachinesRootIsLive) {
  EXPECT_TRUE(open_root("/").is_live());
  StagedTree tree;
  EXPECT_FALSE(open_root(tree.root().string()).is_live());
}

}  // namespace
}  // namespace posture
