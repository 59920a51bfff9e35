// Gaps: the protections no enforced policy gives, and when they count as closed.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace policy {
namespace {

using testing::analyze_generic;
using testing::contains;
using testing::dump;
using testing::find_rule;

// Everyone but the break-glass account: the exclusion every baseline policy has.
constexpr const char* kEveryone =
    R"({"include": ["all"], "exclude": ["user:breakglass@corp.example"]})";

std::string policy(const std::string& id, const std::string& rest) {
  return R"({"id": ")" + id + R"(", "name": ")" + id + R"(", "users": )" + kEveryone + ", " + rest +
         "}";
}

TEST(Gaps, NoAdministratorPolicyMeansEveryAdministratorRoleLacksMfa) {
  const Analysis a = analyze_generic("[" + policy("legacy", R"("client_apps": ["legacy"],
                                                               "grant": "block")") +
                                     "]");
  const Finding* f = find_rule(a.findings, "admins-without-mfa");
  ASSERT_NE(f, nullptr) << dump(a.findings);
  EXPECT_EQ(f->severity, Severity::High);
  EXPECT_EQ(f->certainty, Tri::Yes);
  EXPECT_EQ(f->title, "14 administrator roles can sign in without MFA");
  EXPECT_TRUE(contains(f->explanation, "Global Administrator")) << f->explanation;
}

TEST(Gaps, AnExcludedGroupMakesAdministratorMfaUncertain) {
  const Analysis a = analyze_generic(R"([
    {"id": "mfa", "name": "MFA for everyone",
     "users": {"include": ["all"], "exclude": ["user:breakglass@corp.example", "group:VIPs"]},
     "grant": "mfa"},
    {"id": "legacy", "users": {"include": ["all"], "exclude": ["user:breakglass@corp.example"]},
     "client_apps": ["legacy"], "grant": "block"}])");
  const Finding* f = find_rule(a.findings, "admins-without-mfa");
  ASSERT_NE(f, nullptr) << dump(a.findings);
  EXPECT_EQ(f->severity, Severity::Medium);
  EXPECT_EQ(f->certainty, Tri::Maybe);
  EXPECT_EQ(f->title, "14 administrator roles may sign in without MFA");
  EXPECT_TRUE(contains(f->explanation, "'MFA for everyone' comes closest, but it excludes VIPs"))
      << f->explanation;
}

TEST(Gaps, PhishingResistantMfaForAllAdministratorsClosesBothAdministratorGaps) {
  std::string roles;
  for (const auto& role : well_known_roles())
    if (role.administrator)
      roles += (roles.empty() ? "\"role:" : ", \"role:") + std::string(role.name) + "\"";
  const Analysis a = analyze_generic(R"([{"id": "admins", "users": {"include": [)" + roles +
                                     R"(], "exclude": ["user:breakglass@corp.example"]},
      "grant": {"authentication_strength": "phishing-resistant"}}])");
  EXPECT_EQ(find_rule(a.findings, "admins-without-mfa"), nullptr) << dump(a.findings);
  EXPECT_EQ(find_rule(a.findings, "admins-without-phishing-resistant-mfa"), nullptr)
      << dump(a.findings);
}

TEST(Gaps, PlainMfaLeavesAdministratorsPhishable) {
  const Analysis a = analyze_generic("[" + policy("mfa", R"("grant": "mfa")") + "]");
  EXPECT_EQ(find_rule(a.findings, "admins-without-mfa"), nullptr) << dump(a.findings);
  const Finding* f = find_rule(a.findings, "admins-without-phishing-resistant-mfa");
  ASSERT_NE(f, nullptr) << dump(a.findings);
  EXPECT_EQ(f->title, "14 administrator roles can sign in with phishable MFA");
}

TEST(Gaps, MfaOrACompliantDeviceIsNotMfaForAdministrators) {
  const Analysis a =
      analyze_generic("[" + policy("either", R"("grant": {"require": ["mfa", "compliant-device"],
                                          "operator": "or"})") +
                      "]");
  EXPECT_NE(find_rule(a.findings, "admins-without-mfa"), nullptr) << dump(a.findings);
}

TEST(Gaps, LegacyAuthenticationOnlyInReportOnlyIsNotBlocked) {
  Directory directory;
  const Analysis a = testing::corp_analysis(directory);
  const Finding* f = find_rule(a.findings, "legacy-auth-not-blocked");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->severity, Severity::High);
  EXPECT_TRUE(
      contains(f->explanation, "'CA002: Block legacy authentication' would, but it is report-only"))
      << f->explanation;
  EXPECT_TRUE(contains(f->fix, "Or turn on 'CA002: Block legacy authentication'")) << f->fix;
}

TEST(Gaps, MfaForEveryoneBlocksLegacyClientsOnlyImplicitly) {
  const Analysis a = analyze_generic("[" + policy("mfa", R"("grant": "mfa")") + "]");
  const Finding* f = find_rule(a.findings, "legacy-auth-not-blocked");
  ASSERT_NE(f, nullptr) << dump(a.findings);
  EXPECT_EQ(f->severity, Severity::Medium);
  EXPECT_TRUE(contains(f->explanation, "they fail there today")) << f->explanation;
}

TEST(Gaps, ALegacyBlockThatExcludesAGroupLeavesItsMembersOut) {
  const Analysis a = analyze_generic(R"([
    {"id": "countries", "name": "Block outside allowed countries", "users": ["all"],
     "locations": {"include": ["all"], "exclude": ["Allowed countries"]}, "grant": "block"},
    {"id": "legacy", "name": "Block legacy",
     "users": {"include": ["all"], "exclude": ["group:Printers"]},
     "client_apps": ["legacy"], "grant": "block"}])");
  const Finding* f = find_rule(a.findings, "legacy-auth-not-blocked");
  ASSERT_NE(f, nullptr) << dump(a.findings);
  EXPECT_EQ(f->certainty, Tri::Yes);
  EXPECT_EQ(f->severity, Severity::Medium);
  EXPECT_EQ(f->title, "Legacy authentication is not blocked for everyone");
  EXPECT_TRUE(contains(f->explanation, "'Block legacy' comes closest, but it excludes Printers."))
      << f->explanation;
}

TEST(Gaps, AnUnevaluatedConditionLeavesTheLegacyBlockUncertain) {
  const Analysis a = analyze_generic(R"([{"id": "legacy", "name": "Block legacy",
     "users": ["all"], "device_filter": "device.trustType -eq \"ServerAD\"",
     "client_apps": ["legacy"], "grant": "block"}])");
  const Finding* f = find_rule(a.findings, "legacy-auth-not-blocked");
  ASSERT_NE(f, nullptr) << dump(a.findings);
  EXPECT_EQ(f->certainty, Tri::Maybe);
  EXPECT_TRUE(contains(f->explanation, "it also depends on a device filter")) << f->explanation;
}

TEST(Gaps, RiskPoliciesMustConditionOnRisk) {
  // MFA on every sign-in is not an answer to a risky one (no fresh MFA, no password change).
  Analysis a = analyze_generic("[" + policy("mfa", R"("grant": "mfa")") + "]");
  EXPECT_NE(find_rule(a.findings, "no-sign-in-risk-policy"), nullptr) << dump(a.findings);
  EXPECT_NE(find_rule(a.findings, "no-user-risk-policy"), nullptr) << dump(a.findings);
  const std::string risky = policy("risky", R"("sign_in_risk": ["high", "medium"],
      "grant": "mfa", "session": {"sign_in_frequency": "every-time"})");
  const std::string user_risk = policy("user-risk", R"("user_risk": ["high"],
      "grant": {"require": ["mfa", "password-change"], "operator": "and"})");
  a = analyze_generic("[" + policy("mfa", R"("grant": "mfa")") + "," + risky + "," + user_risk +
                      "]");
  EXPECT_EQ(find_rule(a.findings, "no-sign-in-risk-policy"), nullptr) << dump(a.findings);
  EXPECT_EQ(find_rule(a.findings, "no-user-risk-policy"), nullptr) << dump(a.findings);
}

TEST(Gaps, ARiskPolicyForMediumRiskOnlyLeavesHighRiskOpen) {
  const Analysis a =
      analyze_generic("[" + policy("risky", R"("sign_in_risk": ["medium"], "grant": "mfa")") + "]");
  EXPECT_NE(find_rule(a.findings, "no-sign-in-risk-policy"), nullptr) << dump(a.findings);
}

TEST(Gaps, GuestsExcludedFromMfaAreAGap) {
  Directory directory;
  const Analysis a = testing::corp_analysis(directory);
  const Finding* f = find_rule(a.findings, "guests-without-mfa");
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->explanation, "'CA001: Require MFA for all users' excludes them"))
      << f->explanation;
  EXPECT_TRUE(contains(f->explanation,
                       "'CA007: Guests on SharePoint with MFA' covers them only "
                       "on Office 365 SharePoint Online"))
      << f->explanation;
}

TEST(Gaps, NothingEnforcedIsTheFirstThingToFix) {
  const Analysis a = analyze_generic(
      "[" + policy("mfa", R"("state": "report-only", "grant": "mfa")") + "," +
      policy("legacy", R"("state": "disabled", "client_apps": ["legacy"], "grant": "block")") +
      "]");
  ASSERT_FALSE(a.findings.empty());
  EXPECT_EQ(a.findings.front().rule, "no-policy-enforced") << dump(a.findings);
  EXPECT_EQ(a.findings.front().severity, Severity::High);
  EXPECT_TRUE(contains(a.findings.front().explanation,
                       "All 2 policies are report-only or "
                       "disabled (1 report-only)"));
}

}  // namespace
}  // namespace policy
