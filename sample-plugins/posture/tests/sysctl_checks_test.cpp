// Kernel parameters: the order systemd-sysctl applies files in, globs and exclusions, masking,
// and the checks on the prepared trees and on this machine's running kernel.
#include "posture/sysctl_checks.hpp"

#include <filesystem>

#include <gtest/gtest.h>

#include "posture/sysctl_config.hpp"
#include "test_trees.hpp"

namespace posture {
namespace {

namespace fs = std::filesystem;
using testing::data_tree;
using testing::evidence_text;
using testing::find_check;
using testing::has_evidence;
using testing::StagedTree;

TEST(SysctlConfig, SlashKeysAreTheSameParameter) {
  EXPECT_EQ(normalize_sysctl_key("net/ipv4/ip_forward"), "net.ipv4.ip_forward");
  EXPECT_EQ(normalize_sysctl_key("net/ipv4/conf/enp3s0.200/forwarding"),
            "net.ipv4.conf.enp3s0/200.forwarding");
  EXPECT_EQ(normalize_sysctl_key("kernel.randomize_va_space"), "kernel.randomize_va_space");
}

TEST(SysctlConfig, FilesApplyInNameOrderAndEtcHidesUsrLib) {
  const SysctlConfig config = load_sysctl_config(RootFs(data_tree("edge")));
  EXPECT_EQ(config.files, (std::vector<std::string>{"/etc/sysctl.d/10-forward.conf",
                                                    "/etc/sysctl.d/20-later.conf",
                                                    "/usr/lib/sysctl.d/50-default.conf"}));
  const SysctlEntry* forward = config.lookup("net.ipv4.ip_forward");
  ASSERT_NE(forward, nullptr);
  EXPECT_EQ(forward->file, "/etc/sysctl.d/20-later.conf");
  EXPECT_EQ(forward->value, "0");
  // usr/lib/sysctl.d/10-forward.conf is hidden, so its tcp_syncookies = 0 never applies.
  EXPECT_EQ(config.lookup("net.ipv4.tcp_syncookies"), nullptr);
}

TEST(SysctlConfig, ExplicitKeysBeatGlobsAndExclusionsKeepGlobsOff) {
  const SysctlConfig config = load_sysctl_config(RootFs(data_tree("edge")));
  const SysctlEntry* by_glob = config.lookup("net.ipv4.conf.default.rp_filter");
  ASSERT_NE(by_glob, nullptr);
  EXPECT_TRUE(by_glob->glob);
  EXPECT_EQ(by_glob->value, "2");
  EXPECT_EQ(config.lookup("net.ipv4.conf.all.rp_filter"), nullptr);

  const SysctlConfig hardened = load_sysctl_config(RootFs(data_tree("hardened")));
  const SysctlEntry* explicit_entry = hardened.lookup("net.ipv4.conf.all.rp_filter");
  ASSERT_NE(explicit_entry, nullptr);
  EXPECT_EQ(explicit_entry->file, "/etc/sysctl.d/60-cis.conf");
  EXPECT_EQ(explicit_entry->value, "1");
}

TEST(SysctlConfig, ADevNullLinkMasksAFileAndNonAssignmentsAreNoted) {
  const SysctlConfig config = load_sysctl_config(RootFs(data_tree("edge")));
  EXPECT_EQ(config.lookup("kernel.randomize_va_space"), nullptr);
  bool masked = false, not_assignment = false;
  for (const auto& note : config.notes) {
    masked = masked || (note.file == "/etc/sysctl.d/30-aslr.conf" && note.note.find("masked") == 0);
    not_assignment = not_assignment || note.value == "kernel.kptr_restrict 2";
  }
  EXPECT_TRUE(masked);
  EXPECT_TRUE(not_assignment);
  // "-key = value" is an ordinary assignment whose failure is ignored.
  const SysctlEntry* dmesg = config.lookup("kernel.dmesg_restrict");
  ASSERT_NE(dmesg, nullptr);
  EXPECT_EQ(dmesg->value, "1");
}

TEST(SysctlConfig, SysctlConfIsAppliedOnceWhether99SysctlLinksItOrNot) {
  const SysctlConfig linked = load_sysctl_config(RootFs(data_tree("hardened")));
  EXPECT_EQ(linked.files.back(), "/etc/sysctl.d/99-sysctl.conf");
  const SysctlConfig unlinked = load_sysctl_config(RootFs(data_tree("weak")));
  EXPECT_EQ(unlinked.files, (std::vector<std::string>{"/etc/sysctl.conf"}));
  ASSERT_FALSE(unlinked.notes.empty());
  EXPECT_NE(unlinked.notes.back().note.find("systemd-sysctl reads it at boot only through"),
            std::string::npos);
}

TEST(SysctlChecks, AHardenedHostPassesEveryCheck) {
  const RootFs root(data_tree("hardened"));
  for (const auto& check : check_sysctl(root, load_sysctl_config(root)))
    EXPECT_EQ(check.status, Status::pass) << check.id << ": " << check.detail;
}

TEST(SysctlChecks, AWeakHostFailsWhereItsFilesOrTheKernelDefaultsAreWrong) {
  const RootFs root(data_tree("weak"));
  const auto checks = check_sysctl(root, load_sysctl_config(root));
  const auto& aslr = find_check(checks, "sysctl.randomize_va_space");
  EXPECT_EQ(aslr.status, Status::fail);
  EXPECT_EQ(aslr.severity, Severity::high);
  EXPECT_TRUE(has_evidence(aslr, "/etc/sysctl.conf", 4)) << evidence_text(aslr);
  EXPECT_EQ(find_check(checks, "sysctl.ip_forward").status, Status::fail);
  EXPECT_EQ(find_check(checks, "sysctl.suid_dumpable").status, Status::fail);
  // Nothing sets send_redirects: the kernel default (1) applies and fails.
  const auto& redirects = find_check(checks, "sysctl.send_redirects");
  EXPECT_EQ(redirects.status, Status::fail);
  EXPECT_NE(redirects.detail.find("is not set, and the kernel default 1 applies"),
            std::string::npos)
      << redirects.detail;
  // ... while tcp_syncookies' default (1) is what CIS wants.
  EXPECT_EQ(find_check(checks, "sysctl.tcp_syncookies").status, Status::pass);
}

TEST(SysctlChecks, EdgeCaseOutcomes) {
  const RootFs root(data_tree("edge"));
  const auto checks = check_sysctl(root, load_sysctl_config(root));
  EXPECT_EQ(find_check(checks, "sysctl.randomize_va_space").status, Status::pass);
  const auto& rp = find_check(checks, "sysctl.rp_filter");
  EXPECT_EQ(rp.status, Status::fail);
  EXPECT_TRUE(has_evidence(rp, "/usr/lib/sysctl.d/50-default.conf", 1)) << evidence_text(rp);
  const auto& kptr = find_check(checks, "sysctl.kptr_restrict");
  EXPECT_EQ(kptr.status, Status::fail);
  EXPECT_TRUE(has_evidence(kptr, "/etc/sysctl.d/20-later.conf", 4)) << evidence_text(kptr);
}

TEST(SysctlChecks, ABuildOptionDefaultIsReadFromTheImagesKernelConfig) {
  StagedTree tree;
  const RootFs root(tree.root());
  auto dmesg = [&] {
    return find_check(check_sysctl(root, load_sysctl_config(root)), "sysctl.dmesg_restrict");
  };
  const CheckResult unknown = dmesg();
  EXPECT_EQ(unknown.status, Status::fail);
  EXPECT_NE(unknown.detail.find("the mainline kernel default 0"), std::string::npos)
      << unknown.detail;
  tree.write("boot/config-6.1.0-13-amd64",
             "CONFIG_SECURITY=y\nCONFIG_SECURITY_DMESG_RESTRICT=y\nCONFIG_SECURITYFS=y\n");
  const CheckResult built = dmesg();
  EXPECT_EQ(built.status, Status::pass) << built.detail;
  EXPECT_NE(evidence_text(built).find("CONFIG_SECURITY_DMESG_RESTRICT=y in "
                                      "/boot/config-6.1.0-13-amd64"),
            std::string::npos)
      << evidence_text(built);
}

TEST(SysctlChecks, OnThisMachinesRootTheRunningValuesAreRead) {
  const RootFs root("/");
  ASSERT_TRUE(root.is_live());
  if (!fs::exists("/proc/sys/kernel/randomize_va_space"))
    GTEST_SKIP() << "no /proc/sys on this machine";
  const auto checks = check_sysctl(root, load_sysctl_config(root));
  const auto& aslr = find_check(checks, "sysctl.randomize_va_space");
  EXPECT_TRUE(has_evidence(aslr, "/proc/sys/kernel/randomize_va_space", 0)) << evidence_text(aslr);
  EXPECT_NE(aslr.status, Status::error);
}

}  // namespace
}  // namespace posture
