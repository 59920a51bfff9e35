// Password ageing, quality and lockout on the prepared trees and on small hand-made ones.
#include "posture/password_checks.hpp"

#include <gtest/gtest.h>

#include "test_trees.hpp"

namespace posture {
namespace {

using testing::data_tree;
using testing::evidence_text;
using testing::find_check;
using testing::has_evidence;
using testing::StagedTree;

std::vector<CheckResult> password_checks(const std::string& tree) {
  return check_password_policy(RootFs(data_tree(tree)));
}

TEST(PasswordChecks, AHardenedHostPassesEveryCheck) {
  for (const auto& check : password_checks("hardened"))
    EXPECT_EQ(check.status, Status::pass) << check.id << ": " << check.detail;
}

TEST(PasswordChecks, TheHardenedHostTakesMinlenFromPwqualityConfD) {
  const auto& length = find_check(password_checks("hardened"), "password.min_length");
  EXPECT_TRUE(has_evidence(length, "/etc/security/pwquality.conf.d/50-cis.conf", 2))
      << evidence_text(length);
  EXPECT_NE(length.detail.find("14 characters"), std::string::npos);
  const auto& lockout = find_check(password_checks("hardened"), "auth.lockout");
  EXPECT_NE(lockout.detail.find("after 5 failed logins"), std::string::npos) << lockout.detail;
  EXPECT_TRUE(has_evidence(lockout, "/etc/security/faillock.conf", 5)) << evidence_text(lockout);
}

TEST(PasswordChecks, AWeakHostFailsEachCheckWithItsReason) {
  const auto checks = password_checks("weak");
  const auto& max_days = find_check(checks, "password.max_days");
  EXPECT_EQ(max_days.status, Status::fail);
  EXPECT_NE(max_days.detail.find("never expire"), std::string::npos);
  EXPECT_TRUE(has_evidence(max_days, "/etc/login.defs", 3));
  EXPECT_EQ(find_check(checks, "password.min_days").status, Status::fail);
  EXPECT_EQ(find_check(checks, "password.warn_age").status, Status::fail);
  // pwquality.conf exists but no PAM module reads it.
  const auto& length = find_check(checks, "password.min_length");
  EXPECT_EQ(length.status, Status::fail);
  EXPECT_NE(length.detail.find("pam_pwquality"), std::string::npos);
  EXPECT_TRUE(has_evidence(length, "/etc/pam.d/common-password", 2)) << evidence_text(length);
  const auto& lockout = find_check(checks, "auth.lockout");
  EXPECT_EQ(lockout.status, Status::fail);
  EXPECT_EQ(lockout.severity, Severity::medium);
  EXPECT_NE(lockout.detail.find("no account lockout"), std::string::npos);
}

TEST(PasswordChecks, RepeatedAndMalformedLoginDefsLines) {
  const auto checks = password_checks("edge");
  const auto& max_days = find_check(checks, "password.max_days");
  EXPECT_EQ(max_days.status, Status::pass) << max_days.detail;
  EXPECT_TRUE(has_evidence(max_days, "/etc/login.defs", 5)) << evidence_text(max_days);
  EXPECT_NE(evidence_text(max_days).find("replaces the one on line 2"), std::string::npos);
  const auto& min_days = find_check(checks, "password.min_days");
  EXPECT_EQ(min_days.status, Status::fail);
  EXPECT_NE(min_days.detail.find("'abc', not a number"), std::string::npos);
  // "PASS_WARN_AGE=14" is not how login.defs separates keys: the key is unset.
  const auto& warn = find_check(checks, "password.warn_age");
  EXPECT_EQ(warn.status, Status::fail);
  EXPECT_NE(warn.detail.find("not set"), std::string::npos);
}

TEST(PasswordChecks, ModuleArgumentsOverridePwqualityConfAndCreditsCountAsClasses) {
  const auto checks = password_checks("edge");
  const auto& length = find_check(checks, "password.min_length");
  EXPECT_EQ(length.status, Status::pass) << length.detail;
  EXPECT_NE(length.detail.find("16"), std::string::npos);
  const auto& complexity = find_check(checks, "password.complexity");
  EXPECT_EQ(complexity.status, Status::pass) << complexity.detail;
  EXPECT_NE(complexity.detail.find("3 character classes (negative credits)"), std::string::npos);
}

TEST(PasswordChecks, PamTally2FromAnIncludedFileCountsAsLockout) {
  const auto& lockout = find_check(password_checks("edge"), "auth.lockout");
  EXPECT_EQ(lockout.status, Status::pass) << lockout.detail;
  EXPECT_NE(lockout.detail.find("pam_tally2"), std::string::npos);
  EXPECT_TRUE(has_evidence(lockout, "/etc/pam.d/common-auth-lockout", 1)) << evidence_text(lockout);
}

TEST(PasswordChecks, FaillockWithoutAuthfailDoesNotCount) {
  StagedTree tree;
  tree.write("etc/pam.d/common-auth",
             "auth requisite pam_faillock.so preauth\nauth [success=1 default=ignore] "
             "pam_unix.so\nauth requisite pam_deny.so\n");
  const auto& lockout = find_check(check_password_policy(RootFs(tree.root())), "auth.lockout");
  EXPECT_EQ(lockout.status, Status::fail);
  EXPECT_NE(lockout.detail.find("'authfail' line is missing"), std::string::npos);
}

TEST(PasswordChecks, AShortUnlockTimeIsALowRisk) {
  StagedTree tree;
  tree.write("etc/pam.d/common-auth",
             "auth requisite pam_faillock.so preauth\nauth [success=1 default=ignore] "
             "pam_unix.so\nauth [default=die] pam_faillock.so authfail\n");
  tree.write("etc/security/faillock.conf", "deny = 4\n");
  const auto& lockout = find_check(check_password_policy(RootFs(tree.root())), "auth.lockout");
  EXPECT_EQ(lockout.status, Status::fail);
  EXPECT_EQ(lockout.severity, Severity::low);
  EXPECT_NE(lockout.detail.find("after 600 s"), std::string::npos) << lockout.detail;
}

TEST(PasswordChecks, MissingFilesMakeTheChecksNotApplicable) {
  StagedTree tree;
  for (const auto& check : check_password_policy(RootFs(tree.root())))
    EXPECT_EQ(check.status, Status::not_applicable) << check.id << ": " << check.detail;
}

}  // namespace
}  // namespace posture
