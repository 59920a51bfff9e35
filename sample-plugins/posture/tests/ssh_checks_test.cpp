// sshd: Include expansion and first-value-wins as sshd reads its configuration, Match blocks,
// and each SSH check on the hardened, weak and edge-case trees.
#include "posture/ssh_checks.hpp"

#include <gtest/gtest.h>

#include "posture/sshd_config.hpp"
#include "test_trees.hpp"

namespace posture {
namespace {

using testing::data_tree;
using testing::evidence_text;
using testing::find_check;
using testing::has_evidence;
using testing::StagedTree;

std::vector<CheckResult> ssh_checks(const std::string& tree) {
  return check_ssh(load_sshd_config(RootFs(data_tree(tree))));
}

TEST(SshdLine, KeywordsAreCaseInsensitiveAndTakeEqualsQuotesAndTrailingComments) {
  SshdDirective directive;
  ASSERT_TRUE(parse_sshd_line("  MaxAuthTries=3   # three", directive));
  EXPECT_EQ(directive.keyword, "maxauthtries");
  EXPECT_EQ(directive.args, (std::vector<std::string>{"3"}));
  ASSERT_TRUE(parse_sshd_line("Banner \"/etc/issue net\"", directive));
  EXPECT_EQ(directive.args, (std::vector<std::string>{"/etc/issue net"}));
  EXPECT_FALSE(parse_sshd_line("   # PermitRootLogin yes", directive));
  EXPECT_FALSE(parse_sshd_line("", directive));
}

TEST(SshdTime, ReadsSshdTimeFormats) {
  EXPECT_EQ(parse_sshd_time("300"), 300);
  EXPECT_EQ(parse_sshd_time("5m"), 300);
  EXPECT_EQ(parse_sshd_time("1h30m"), 5400);
  EXPECT_EQ(parse_sshd_time("0"), 0);
  EXPECT_EQ(parse_sshd_time("ten"), std::nullopt);
  EXPECT_EQ(parse_sshd_time("5x"), std::nullopt);
}

TEST(SshdConfig, IncludedFilesComeFirstAndTheFirstValueWins) {
  const SshdConfig config = load_sshd_config(RootFs(data_tree("edge")));
  ASSERT_EQ(config.state, FileText::State::ok);
  EXPECT_EQ(config.files,
            (std::vector<std::string>{"/etc/ssh/sshd_config", "/etc/ssh/sshd_config.d/01-root.conf",
                                      "/etc/ssh/sshd_config.d/50-scoped.conf"}));
  const SshdDirective* root = config.effective("permitrootlogin");
  ASSERT_NE(root, nullptr);
  EXPECT_EQ(root->file, "/etc/ssh/sshd_config.d/01-root.conf");
  EXPECT_EQ(root->args.front(), "no");
  // The Match block of 50-scoped.conf ends with that file: MaxAuthTries=3 is global again.
  const SshdDirective* tries = config.effective("maxauthtries");
  ASSERT_NE(tries, nullptr);
  EXPECT_EQ(tries->line, 5);
  EXPECT_EQ(tries->match, "");
}

TEST(SshdConfig, ALineWithoutValueIsReportedAsSshdWouldRefuseIt) {
  const SshdConfig config = load_sshd_config(RootFs(data_tree("edge")));
  ASSERT_EQ(config.problems.size(), 1u);
  EXPECT_EQ(config.problems[0].line, 9);
  EXPECT_EQ(config.problems[0].keyword, "clientaliveinterval");
  EXPECT_NE(config.problems[0].message.find("sshd refuses to start"), std::string::npos);
}

TEST(SshChecks, AHardenedServerPassesEveryCheck) {
  for (const auto& check : ssh_checks("hardened"))
    EXPECT_EQ(check.status, Status::pass) << check.id << ": " << check.detail;
}

TEST(SshChecks, TheHardenedServerTakesItsCryptoFromTheIncludedFile) {
  const auto checks = ssh_checks("hardened");
  const auto& macs = find_check(checks, "ssh.macs");
  EXPECT_TRUE(has_evidence(macs, "/etc/ssh/sshd_config.d/10-cis.conf", 4)) << evidence_text(macs);
  const auto& password = find_check(checks, "ssh.password_authentication");
  EXPECT_TRUE(has_evidence(password, "/etc/ssh/sshd_config.d/10-cis.conf", 2))
      << evidence_text(password);
}

TEST(SshChecks, AWeakServerFailsWithTheLineThatSaysSo) {
  const auto checks = ssh_checks("weak");
  const auto& root = find_check(checks, "ssh.permit_root_login");
  EXPECT_EQ(root.status, Status::fail);
  EXPECT_EQ(root.severity, Severity::high);
  ASSERT_FALSE(root.evidence.empty());
  EXPECT_EQ(root.evidence[0].file, "/etc/ssh/sshd_config");
  EXPECT_EQ(root.evidence[0].line, 6);
  EXPECT_EQ(root.evidence[0].value, "PermitRootLogin yes");
  EXPECT_NE(root.fix.find("PermitRootLogin no"), std::string::npos);

  for (const char* id : {"ssh.password_authentication", "ssh.permit_empty_passwords",
                         "ssh.x11_forwarding", "ssh.max_auth_tries", "ssh.protocol",
                         "ssh.client_alive", "ssh.ciphers", "ssh.macs", "ssh.kex_algorithms"})
    EXPECT_EQ(find_check(checks, id).status, Status::fail) << id;
  EXPECT_EQ(find_check(checks, "ssh.permit_empty_passwords").severity, Severity::high);
  EXPECT_NE(find_check(checks, "ssh.ciphers").detail.find("aes128-cbc, 3des-cbc"),
            std::string::npos);
  EXPECT_NE(find_check(checks, "ssh.macs").detail.find("hmac-md5"), std::string::npos);
  EXPECT_EQ(find_check(checks, "ssh.macs").detail.find("hmac-sha1,"), std::string::npos)
      << "hmac-sha1 is not on CIS's weak list";
  EXPECT_NE(find_check(checks, "ssh.kex_algorithms").detail.find("diffie-hellman-group1-sha1"),
            std::string::npos);
  EXPECT_NE(find_check(checks, "ssh.max_auth_tries").detail.find("10 attempts"), std::string::npos);
}

TEST(SshChecks, MatchBlocksThatReopenARiskFailTheCheckAndAreNamed) {
  const auto checks = ssh_checks("edge");
  const auto& password = find_check(checks, "ssh.password_authentication");
  EXPECT_EQ(password.status, Status::fail);
  EXPECT_TRUE(has_evidence(password, "/etc/ssh/sshd_config", 14)) << evidence_text(password);
  EXPECT_NE(password.detail.find("a Match block overrides it"), std::string::npos);

  const auto& empty = find_check(checks, "ssh.permit_empty_passwords");
  EXPECT_EQ(empty.status, Status::fail);
  EXPECT_EQ(empty.severity, Severity::high);
  EXPECT_NE(evidence_text(empty).find("Match User backup"), std::string::npos)
      << evidence_text(empty);

  // "Match all" applies to every connection and overrides the global section.
  const auto& x11 = find_check(checks, "ssh.x11_forwarding");
  EXPECT_EQ(x11.status, Status::fail);
  EXPECT_TRUE(has_evidence(x11, "/etc/ssh/sshd_config", 17)) << evidence_text(x11);
}

TEST(SshChecks, EdgeCasesFollowSshdsOwnRules) {
  const auto checks = ssh_checks("edge");
  EXPECT_EQ(find_check(checks, "ssh.permit_root_login").status, Status::pass);
  const auto& tries = find_check(checks, "ssh.max_auth_tries");
  EXPECT_EQ(tries.status, Status::pass) << tries.detail;
  EXPECT_TRUE(has_evidence(tries, "/etc/ssh/sshd_config", 5));
  // "-list" removes algorithms from OpenSSH's defaults; quotes group a list.
  EXPECT_EQ(find_check(checks, "ssh.ciphers").status, Status::pass);
  EXPECT_EQ(find_check(checks, "ssh.macs").status, Status::pass);
  const auto& alive = find_check(checks, "ssh.client_alive");
  EXPECT_EQ(alive.status, Status::fail);
  EXPECT_TRUE(has_evidence(alive, "/etc/ssh/sshd_config", 9)) << evidence_text(alive);
}

TEST(SshChecks, DefaultsApplyWhenNothingIsSet) {
  StagedTree tree;
  tree.write("etc/ssh/sshd_config", "Port 22\n");
  const auto checks = check_ssh(load_sshd_config(RootFs(tree.root())));
  const auto& root = find_check(checks, "ssh.permit_root_login");
  EXPECT_EQ(root.status, Status::fail);
  EXPECT_EQ(root.severity, Severity::medium) << "prohibit-password still lets root in by key";
  EXPECT_EQ(root.evidence[0].value, "PermitRootLogin not set");
  EXPECT_EQ(find_check(checks, "ssh.permit_empty_passwords").status, Status::pass);
  EXPECT_EQ(find_check(checks, "ssh.x11_forwarding").status, Status::pass);
  EXPECT_EQ(find_check(checks, "ssh.protocol").status, Status::pass);
  EXPECT_EQ(find_check(checks, "ssh.ciphers").status, Status::pass);
  // OpenSSH's default MACs include the 64-bit UMACs CIS lists as weak: a low finding.
  EXPECT_EQ(find_check(checks, "ssh.macs").status, Status::fail);
  EXPECT_EQ(find_check(checks, "ssh.macs").severity, Severity::low);
}

TEST(SshChecks, KeyboardInteractiveWithPamStillAsksForPasswords) {
  StagedTree tree;
  tree.write("etc/ssh/sshd_config", "PasswordAuthentication no\nUsePAM yes\n");
  const auto checks = check_ssh(load_sshd_config(RootFs(tree.root())));
  const auto& password = find_check(checks, "ssh.password_authentication");
  EXPECT_EQ(password.status, Status::fail);
  EXPECT_NE(password.detail.find("KbdInteractiveAuthentication"), std::string::npos);
}

TEST(SshChecks, AValueSshdRejectsIsAnError) {
  StagedTree tree;
  tree.write("etc/ssh/sshd_config", "PermitRootLogin maybe\n");
  const auto checks = check_ssh(load_sshd_config(RootFs(tree.root())));
  const auto& root = find_check(checks, "ssh.permit_root_login");
  EXPECT_EQ(root.status, Status::error);
  EXPECT_NE(root.detail.find("does not accept 'maybe'"), std::string::npos);
}

TEST(SshChecks, WithoutAnSshServerEveryCheckIsNotApplicable) {
  StagedTree tree;
  tree.write("etc/ssh/ssh_config", "Host *\n");
  for (const auto& check : check_ssh(load_sshd_config(RootFs(tree.root())))) {
    EXPECT_EQ(check.status, Status::not_applicable) << check.id;
    EXPECT_NE(check.detail.find("not installed"), std::string::npos);
  }
}

TEST(SshChecks, IncludeNestingStopsAtSixteenLevels) {
  StagedTree tree;
  tree.write("etc/ssh/sshd_config", "Include /etc/ssh/sshd_config\nPermitRootLogin no\n");
  const SshdConfig config = load_sshd_config(RootFs(tree.root()));
  ASSERT_FALSE(config.problems.empty());
  EXPECT_NE(config.problems[0].message.find("more than 16 deep"), std::string::npos);
  EXPECT_EQ(find_check(check_ssh(config), "ssh.permit_root_login").status, Status::pass);
}

}  // namespace
}  // namespace posture
