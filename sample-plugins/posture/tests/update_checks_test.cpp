// APT configuration parsing and the unattended-upgrades check.
#include "posture/update_checks.hpp"

#include <gtest/gtest.h>

#include "posture/apt_config.hpp"
#include "test_trees.hpp"

namespace posture {
namespace {

using testing::data_tree;
using testing::evidence_text;
using testing::has_evidence;
using testing::StagedTree;

CheckResult unattended(const std::string& tree) {
  const RootFs root(data_tree(tree));
  return check_unattended_upgrades(root, load_apt_config(root));
}

TEST(AptConfig, ReadsScopesListsCommentsAndClear) {
  AptConfig config;
  parse_apt_config(R"(// comment
APT::Periodic { Update-Package-Lists "1"; /* inline */ Unattended-Upgrade "0"; };
APT::Periodic::Unattended-Upgrade "1";
Unattended-Upgrade::Origins-Pattern {
  "origin=Debian,label=Debian";
  "origin=Debian,label=Debian-Security";
};
# a comment line
Dir::Cache "/var/cache/apt";
#clear Dir;
)",
                   "/etc/apt/apt.conf.d/test", config);
  const AptValue* lists = config.scalar("apt::periodic::update-package-lists");
  ASSERT_NE(lists, nullptr);
  EXPECT_EQ(lists->value, "1");
  EXPECT_EQ(lists->line, 2);
  ASSERT_NE(config.scalar("APT::Periodic::Unattended-Upgrade"), nullptr);
  EXPECT_EQ(config.scalar("APT::Periodic::Unattended-Upgrade")->value, "1");
  const auto origins = config.list("Unattended-Upgrade::Origins-Pattern");
  ASSERT_EQ(origins.size(), 2u);
  EXPECT_EQ(origins[1].value, "origin=Debian,label=Debian-Security");
  EXPECT_EQ(origins[1].line, 6);
  EXPECT_EQ(config.scalar("Dir::Cache"), nullptr);
}

TEST(AptConfig, ReadsOnlyFilesAptReads) {
  const AptConfig config = load_apt_config(RootFs(data_tree("edge")));
  EXPECT_EQ(config.files, (std::vector<std::string>{"/etc/apt/apt.conf.d/20auto-upgrades",
                                                    "/etc/apt/apt.conf.d/50unattended-upgrades",
                                                    "/etc/apt/apt.conf.d/99local"}));
}

TEST(UnattendedUpgrades, AHardenedHostInstallsSecurityUpdatesByItself) {
  const CheckResult check = unattended("hardened");
  EXPECT_EQ(check.status, Status::pass) << check.detail;
  EXPECT_TRUE(has_evidence(check, "/etc/apt/apt.conf.d/20auto-upgrades", 2))
      << evidence_text(check);
}

TEST(UnattendedUpgrades, AWeakHostSaysEveryReason) {
  const CheckResult check = unattended("weak");
  EXPECT_EQ(check.status, Status::fail);
  EXPECT_NE(check.detail.find("not installed"), std::string::npos) << check.detail;
  EXPECT_NE(check.detail.find("APT::Periodic::Unattended-Upgrade \"0\""), std::string::npos)
      << check.detail;
  EXPECT_NE(check.detail.find("no security origin"), std::string::npos) << check.detail;
}

TEST(UnattendedUpgrades, ALaterClearThatDropsTheSecurityOriginFails) {
  const CheckResult check = unattended("edge");
  EXPECT_EQ(check.status, Status::fail);
  EXPECT_EQ(check.detail,
            "security updates are not installed automatically: no security origin in "
            "Unattended-Upgrade::Origins-Pattern");
}

TEST(UnattendedUpgrades, NotApplicableWithoutApt) {
  StagedTree tree;
  EXPECT_EQ(
      check_unattended_upgrades(RootFs(tree.root()), load_apt_config(RootFs(tree.root()))).status,
      Status::not_applicable);
}

}  // namespace
}  // namespace posture
