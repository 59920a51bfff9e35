// Conflicts, redundancy and the checks of single policies, on the corp.example tenant and on
// small sets built to show one rule each.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "test_support.hpp"

namespace policy {
namespace {

using testing::analyze_generic;
using testing::contains;
using testing::count_rule;
using testing::dump;
using testing::find_rule;

// "rule: CA00x, CA00y" for every finding, with policies by their number.
std::multiset<std::string> outline(const Analysis& analysis) {
  std::multiset<std::string> out;
  for (const auto& f : analysis.findings) {
    std::string line = std::string(severity_name(f.severity)) + " " + f.rule + ":";
    for (const auto& id : f.policies)
      for (const auto& p : analysis.policies)
        if (p.id == id) line += " " + p.name.substr(0, 5);
    out.insert(line);
  }
  return out;
}

TEST(Findings, TheCorpExampleTenantHasTheProblemsItWasBuiltWith) {
  Directory directory;
  const Analysis a = testing::corp_analysis(directory);
  const std::multiset<std::string> expected{
      "high block-overrides-grant: CA006 CA007",
      "high block-without-emergency-exclusion: CA004",
      "high legacy-auth-not-blocked: CA002",
      "medium admins-without-mfa: CA001",
      "medium admins-without-phishing-resistant-mfa:",
      "medium broad-exclusions: CA001",
      "medium broad-exclusions: CA008",
      "medium guests-without-mfa: CA001 CA007 CA008",
      "medium no-sign-in-risk-policy: CA009",
      "medium no-user-risk-policy: CA012",
      "low block-conflicts-with-grant: CA004 CA005",
      "low broad-exclusions: CA010",
      "low duplicate-policy: CA001 CA010",
      "low redundant-policy: CA001 CA008",
  };
  EXPECT_EQ(outline(a), expected) << dump(a.findings);
  EXPECT_EQ(a.emergency.source, EmergencyAccounts::Source::Inferred);
  EXPECT_EQ(a.emergency.users.size(), 2u);
}

TEST(Findings, TheCleanTenantHasNone) {
  Directory directory;
  const Analysis a = analyze(testing::parse(testing::data("clean-entra.json"), directory),
                             std::nullopt, directory);
  EXPECT_TRUE(a.findings.empty()) << dump(a.findings);
}

TEST(Findings, TheGenericSetIsAnalysedLikeAnEntraOne) {
  const Analysis a = analyze_generic(testing::data("generic-policies.json"));
  std::set<std::string> rules;
  for (const auto& f : a.findings)
    rules.insert(f.rule);
  EXPECT_EQ(rules, (std::set<std::string>{"admins-without-phishing-resistant-mfa",
                                          "legacy-auth-not-blocked", "no-sign-in-risk-policy",
                                          "no-user-risk-policy", "block-conflicts-with-grant"}))
      << dump(a.findings);
  // The break-glass account is known by its name alone.
  ASSERT_EQ(a.emergency.users.size(), 1u);
  EXPECT_EQ(a.emergency.users[0], "breakglass@corp.example");
}

TEST(Findings, AGrantInsideABlockNeverTakesEffect) {
  Directory directory;
  const Analysis a = testing::corp_analysis(directory);
  const Finding* f = find_rule(a.findings, "block-overrides-grant");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->severity, Severity::High);
  EXPECT_EQ(f->certainty, Tri::Yes);
  EXPECT_EQ(f->title,
            "'CA007: Guests on SharePoint with MFA' never takes effect: 'CA006: Block guests "
            "except Microsoft Teams' blocks every sign-in it applies to");
  EXPECT_TRUE(contains(f->explanation, "a block always wins")) << f->explanation;
  EXPECT_TRUE(contains(f->fix, "exclude them")) << f->fix;
}

TEST(Findings, AGrantAimedInsideABlockedRegionConflicts) {
  const Analysis a = analyze_generic(R"([
    {"id": "block-mobile", "name": "Block mobile clients", "users": ["all"],
     "client_apps": ["mobile-desktop"], "grant": "block"},
    {"id": "field", "name": "Field staff on mobile with a compliant device",
     "users": ["group:Field"], "client_apps": ["mobile-desktop", "browser"],
     "grant": "compliant-device"}])");
  const Finding* f = find_rule(a.findings, "block-conflicts-with-grant");
  ASSERT_NE(f, nullptr) << dump(a.findings);
  EXPECT_EQ(f->certainty, Tri::Yes);
  EXPECT_EQ(f->severity, Severity::Medium);
  EXPECT_EQ(f->policies, (std::vector<std::string>{"block-mobile", "field"}));
  EXPECT_TRUE(contains(f->explanation,
                       "'Block mobile clients' blocks sign-ins from mobile apps "
                       "and desktop clients and 'Field staff on mobile with a "
                       "compliant device' targets sign-ins from browsers or "
                       "mobile apps and desktop clients"))
      << f->explanation;
}

TEST(Findings, ABlockCarvedOutOfABroaderGrantIsNoConflict) {
  const Analysis a = analyze_generic(R"([
    {"id": "mfa", "users": {"include": ["all"], "exclude": ["user:bg"]}, "grant": "mfa"},
    {"id": "legacy", "users": {"include": ["all"], "exclude": ["user:bg"]},
     "client_apps": ["legacy"], "grant": "block"},
    {"id": "countries", "users": {"include": ["all"], "exclude": ["user:bg"]},
     "locations": {"include": ["all"], "exclude": ["Allowed countries"]}, "grant": "block"}])");
  EXPECT_EQ(count_rule(a.findings, "block-conflicts-with-grant"), 0u) << dump(a.findings);
  EXPECT_EQ(count_rule(a.findings, "block-overrides-grant"), 0u) << dump(a.findings);
}

TEST(Findings, ConflictsThatRestOnlyOnGroupMembershipAreLeftOut) {
  const Analysis a = analyze_generic(R"([
    {"id": "guests", "users": ["guests"], "grant": "block"},
    {"id": "finance", "users": ["group:Finance"], "apps": ["office365"], "grant": "mfa"}])");
  EXPECT_EQ(count_rule(a.findings, "block-conflicts-with-grant"), 0u) << dump(a.findings);
}

TEST(Findings, AConditionNotEvaluatedMakesACertainConflictPossible) {
  const Analysis a = analyze_generic(R"([
    {"id": "block", "name": "Block unmanaged", "users": ["all"],
     "device_filter": "device.isCompliant -ne True", "grant": "block"},
    {"id": "sales", "name": "Sales with MFA", "users": ["group:Sales"], "grant": "mfa"}])");
  EXPECT_EQ(count_rule(a.findings, "block-overrides-grant"), 0u) << dump(a.findings);
  const Finding* f = find_rule(a.findings, "block-conflicts-with-grant");
  ASSERT_NE(f, nullptr) << dump(a.findings);
  EXPECT_EQ(f->certainty, Tri::Maybe);
  EXPECT_TRUE(contains(f->explanation, "a device filter (device.isCompliant -ne True)"))
      << f->explanation;
}

TEST(Findings, DuplicatesKeepTheEnforcedCopy) {
  Directory directory;
  const Analysis a = testing::corp_analysis(directory);
  const Finding* f = find_rule(a.findings, "duplicate-policy");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->title,
            "'CA010: Require MFA for all users (copy)' duplicates 'CA001: Require MFA for all "
            "users'");
  EXPECT_EQ(f->fix,
            "Delete 'CA010: Require MFA for all users (copy)' and keep 'CA001: Require MFA for all "
            "users'.");
}

TEST(Findings, ANarrowerPolicyWithWeakerOrEqualControlsIsRedundant) {
  const Analysis a = analyze_generic(R"([
    {"id": "strong", "users": ["all"], "grant": {"require": ["mfa", "compliant-device"],
                                                 "operator": "and"}},
    {"id": "weak", "users": ["group:Finance"], "apps": ["office365"], "grant": "mfa"},
    {"id": "other", "users": ["group:Finance"], "grant": "password-change"}])");
  ASSERT_EQ(count_rule(a.findings, "redundant-policy"), 1u) << dump(a.findings);
  EXPECT_EQ(find_rule(a.findings, "redundant-policy")->policies,
            (std::vector<std::string>{"strong", "weak"}));
}

TEST(Findings, SessionControlsOrAReportOnlyOuterPolicyKeepAPolicyUseful) {
  const Analysis a = analyze_generic(R"([
    {"id": "mfa", "users": ["all"], "grant": "mfa"},
    {"id": "risky", "users": ["all"], "sign_in_risk": ["high"], "grant": "mfa",
     "session": {"sign_in_frequency": "every-time"}},
    {"id": "pilot", "state": "report-only", "users": ["all"], "grant": "mfa",
     "apps": ["office365"]},
    {"id": "finance", "users": ["group:Finance"], "apps": ["office365"], "grant": "mfa"}])");
  for (const auto& f : a.findings) {
    if (f.rule == "redundant-policy") {
      EXPECT_NE(f.policies[1], "risky") << "session controls differ";
      EXPECT_NE(f.policies[0], "pilot") << "a report-only policy protects nothing yet";
    }
  }
  EXPECT_EQ(count_rule(a.findings, "redundant-policy"), 2u) << dump(a.findings);
}

TEST(Findings, BroadExclusionsNameWhatLeavesTheHole) {
  const Analysis a = analyze_generic(R"([
    {"id": "mfa", "name": "MFA for everyone",
     "users": {"include": ["all"], "exclude": ["user:bg1", "role:Global Administrator",
                                               "role:Directory Synchronization Accounts"]},
     "platforms": {"include": ["all"], "exclude": ["linux"]},
     "locations": {"include": ["all"], "exclude": ["trusted"]}, "grant": "mfa"},
    {"id": "legacy", "users": {"include": ["all"], "exclude": ["user:bg1"]},
     "client_apps": ["legacy"], "grant": "block"}])");
  const Finding* f = find_rule(a.findings, "broad-exclusions");
  ASSERT_NE(f, nullptr) << dump(a.findings);
  EXPECT_EQ(f->severity, Severity::High);
  EXPECT_EQ(f->policies, std::vector<std::string>{"mfa"});
  EXPECT_TRUE(contains(f->explanation, "the administrator role Global Administrator"))
      << f->explanation;
  EXPECT_TRUE(contains(f->explanation, "it leaves out Linux")) << f->explanation;
  EXPECT_TRUE(contains(f->explanation, "it skips trusted locations")) << f->explanation;
  // The sync account's role and the break-glass account are expected exclusions.
  EXPECT_FALSE(contains(f->explanation, "Directory Synchronization")) << f->explanation;
  EXPECT_FALSE(contains(f->explanation, "bg1")) << f->explanation;
}

TEST(Findings, ABlockForEveryoneMustExcludeTheBreakGlassAccounts) {
  const std::string policies = R"([
    {"id": "countries", "name": "Block outside allowed countries", "users": ["all"],
     "locations": {"include": ["all"], "exclude": ["Allowed countries"]}, "grant": "block"},
    {"id": "devices", "name": "Managed devices only",
     "users": {"include": ["all"], "exclude": ["user:bg1@corp.example"]},
     "grant": {"require": ["compliant-device", "hybrid-joined-device"], "operator": "or"}}])";
  // Nobody known: a block that excludes no one at all is flagged.
  Analysis a = analyze_generic(policies);
  ASSERT_EQ(count_rule(a.findings, "block-without-emergency-exclusion"), 1u) << dump(a.findings);
  EXPECT_TRUE(contains(find_rule(a.findings, "block-without-emergency-exclusion")->explanation,
                       "it excludes no account at all"));
  // Given: every lock-out-capable policy that does not exclude them is flagged, by name.
  Options options;
  options.emergency_accounts = {"bg1@corp.example", "bg2@corp.example"};
  a = analyze_generic(policies, options);
  EXPECT_EQ(a.emergency.source, EmergencyAccounts::Source::Given);
  ASSERT_EQ(count_rule(a.findings, "block-without-emergency-exclusion"), 2u) << dump(a.findings);
  for (const auto& f : a.findings) {
    if (f.rule == "block-without-emergency-exclusion") {
      EXPECT_EQ(f.severity, Severity::High);
      EXPECT_TRUE(contains(f.explanation, "bg2@corp.example")) << f.explanation;
    }
  }
}

TEST(Findings, ReportOnlyPoliciesLowerTheSeverityAndSaySo) {
  Directory directory;
  const Analysis a = testing::corp_analysis(directory);
  for (const auto& f : a.findings) {
    if (f.id.starts_with("broad-exclusions:") && contains(f.explanation, "CA010")) {
      EXPECT_EQ(f.severity, Severity::Low);
      EXPECT_TRUE(contains(f.explanation,
                           "is report-only, so this takes effect once it is "
                           "turned on"));
    }
  }
}

TEST(Findings, APolicyForNoOneIsHygiene) {
  const Analysis a = analyze_generic(R"([{"id": "none", "name": "Leftover", "users": ["none"],
                                          "grant": "mfa"}])");
  const Finding* f = find_rule(a.findings, "policy-applies-to-no-one");
  ASSERT_NE(f, nullptr) << dump(a.findings);
  EXPECT_EQ(f->category, "hygiene");
}

TEST(Findings, FindingIdsAreUniqueAndSortedBySeverity) {
  Directory directory;
  const Analysis a = testing::corp_analysis(directory);
  std::set<std::string> ids;
  for (size_t i = 0; i < a.findings.size(); ++i) {
    EXPECT_TRUE(ids.insert(a.findings[i].id).second) << a.findings[i].id;
    if (i > 0) {
      EXPECT_GE(a.findings[i - 1].severity, a.findings[i].severity);
    }
    EXPECT_FALSE(a.findings[i].explanation.empty());
    EXPECT_FALSE(a.findings[i].fix.empty());
  }
}

TEST(Findings, ThreeHundredPoliciesAreAnalysedWhole) {
  // The most the reader accepts, with many groups: every pair is still compared.
  std::string text = "[";
  for (int i = 0; i < 300; ++i) {
    text += (i ? "," : "") + std::string(R"({"id": "p)") + std::to_string(i) +
            R"(", "users": {"include": ["group:g)" + std::to_string(i % 17) + R"(", "group:h)" +
            std::to_string(i % 5) + R"("], "exclude": ["group:x)" + std::to_string(i % 7) +
            R"(", "user:u)" + std::to_string(i % 11) + R"("]}, "grant": ")" +
            (i % 3 ? "mfa" : "block") + R"("})";
  }
  text += "]";
  const Analysis a = analyze_generic(text);
  EXPECT_EQ(a.policies.size(), 300u);
  EXPECT_EQ(a.summaries.size(), 300u);
  // So many overlapping copies find more than a reader can use: the most severe are kept, and
  // the counts still tell the whole story.
  size_t total = 0;
  for (size_t count : a.severity_counts)
    total += count;
  ASSERT_GT(total, kMaxFindings);
  EXPECT_EQ(a.findings.size(), kMaxFindings);
  const std::string expected = "only the 250 most severe of " + std::to_string(total);
  EXPECT_TRUE(std::any_of(a.notes.begin(), a.notes.end(), [&](const std::string& note) {
    return contains(note, expected);
  })) << expected;
}

}  // namespace
}  // namespace policy
