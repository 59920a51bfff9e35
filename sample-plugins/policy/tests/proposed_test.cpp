// A proposed policy against the existing set: what it contradicts, duplicates or makes redundant,
// and which gaps it closes or opens.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "policy/result_json.hpp"
#include "test_support.hpp"

namespace policy {
namespace {

using testing::contains;
using testing::data;
using testing::dump;

struct Checked {
  Directory directory;
  Analysis analysis;
  const ProposedReport& report() const { return *analysis.proposed; }
};

// The corp.example tenant and its names, with `proposal`.
std::unique_ptr<Checked> check_against_corp(
    const std::string& proposal, const std::string& policies = data("corp-example-entra.json")) {
  auto checked = std::make_unique<Checked>();
  EXPECT_TRUE(parse_names(data("corp-example-names.json"), checked->directory).ok());
  auto set = testing::parse(policies, checked->directory);
  auto proposed = parse_proposed(proposal, checked->directory);
  EXPECT_TRUE(proposed.ok()) << proposed.error().message;
  checked->analysis = analyze(std::move(set), proposed.value(), checked->directory);
  EXPECT_TRUE(checked->analysis.proposed.has_value());
  return checked;
}

std::vector<std::string> ids(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings)
    out.push_back(f.id);
  return out;
}

TEST(Proposed, EnforcingALegacyBlockThatExistsInReportOnlyDuplicatesItAndClosesTheGap) {
  const auto checked = check_against_corp(data("proposed-block-legacy.json"));
  const ProposedReport& r = checked->report();
  ASSERT_EQ(r.duplicates.size(), 1u) << dump(r.duplicates);
  EXPECT_EQ(r.duplicates[0].title,
            "'CA013: Block legacy authentication (enforced)' duplicates 'CA002: Block legacy "
            "authentication'");
  EXPECT_EQ(r.duplicates[0].fix,
            "Turn on 'CA002: Block legacy authentication' instead of adding a copy of it.");
  EXPECT_EQ(ids(r.closes), std::vector<std::string>{"legacy-auth-not-blocked"});
  EXPECT_TRUE(r.contradicts.empty()) << dump(r.contradicts);
  EXPECT_TRUE(r.findings.empty()) << dump(r.findings);
  const auto json = analysis_json(checked->analysis, checked->directory);
  EXPECT_EQ(json.at("proposed").at("verdict"), "Duplicates 1 policy and closes 1 gap.");
}

TEST(Proposed, ABlockOverlappingAGrantContradictsIt) {
  const auto checked = check_against_corp(data("proposed-block-contractors.json"));
  const ProposedReport& r = checked->report();
  ASSERT_EQ(r.contradicts.size(), 1u) << dump(r.contradicts);
  const Finding& f = r.contradicts[0];
  EXPECT_EQ(f.rule, "block-conflicts-with-grant");
  EXPECT_EQ(f.policies, (std::vector<std::string>{"block-contractors-outside-office",
                                                  "3f6d9a1e-2b47-4c85-9e10-6a7b8c9d0e15"}));
  EXPECT_TRUE(contains(f.explanation, "targets sign-ins from Fabrikam partner network"))
      << f.explanation;
}

TEST(Proposed, AGenericCopyOfAnEntraPolicyIsRecognisedThroughNames) {
  const auto checked = check_against_corp(data("proposed-mfa-copy.json"));
  const ProposedReport& r = checked->report();
  ASSERT_EQ(r.duplicates.size(), 2u) << dump(r.duplicates);
  EXPECT_TRUE(contains(r.duplicates[0].fix + r.duplicates[1].fix,
                       "Do not add it: 'CA001: Require MFA for all users' already does this."));
  // It inherits CA001's holes.
  ASSERT_EQ(r.findings.size(), 1u) << dump(r.findings);
  EXPECT_EQ(r.findings[0].rule, "broad-exclusions");
}

TEST(Proposed, APolicyAlreadyEnforcedByABroaderOneAddsNothing) {
  const auto checked = check_against_corp(R"({"id": "exo", "name": "MFA for Exchange Online",
    "users": {"include": ["all"], "exclude": ["user:breakglass1@corp.example",
              "user:breakglass2@corp.example", "guests", "group:CA-Exclusions",
              "role:Directory Synchronization Accounts"]},
    "apps": ["Office 365 Exchange Online"], "grant": "mfa"})");
  const ProposedReport& r = checked->report();
  ASSERT_FALSE(r.redundant_with.empty());
  EXPECT_EQ(r.redundant_with[0].policies.front(), "3f6d9a1e-2b47-4c85-9e10-6a7b8c9d0e11");
  EXPECT_TRUE(r.supersedes.empty()) << dump(r.supersedes);
}

TEST(Proposed, ABroaderStrongerPolicySupersedesNarrowerOnes) {
  const auto checked = check_against_corp(R"({"id": "strong", "name": "MFA everywhere",
    "users": {"include": ["all"], "exclude": ["user:breakglass1@corp.example",
              "user:breakglass2@corp.example"]},
    "grant": {"authentication_strength": "phishing-resistant"}})");
  const ProposedReport& r = checked->report();
  std::vector<std::string> superseded;
  for (const auto& f : r.supersedes)
    superseded.push_back(f.policies.back());
  // The MFA policies for all users (CA001, its copy CA010, CA008) and the administrators'
  // (CA003). Not CA009, whose sign-in frequency it lacks; not CA011, whose compliant device it
  // does not demand; and not CA005 (Contractors) or CA007 (guests): the break-glass accounts it
  // excludes could, for all the export says, be contractors or guests.
  EXPECT_EQ(superseded,
            (std::vector<std::string>{
                "3f6d9a1e-2b47-4c85-9e10-6a7b8c9d0e11", "3f6d9a1e-2b47-4c85-9e10-6a7b8c9d0e13",
                "3f6d9a1e-2b47-4c85-9e10-6a7b8c9d0e18", "3f6d9a1e-2b47-4c85-9e10-6a7b8c9d0e1a"}))
      << dump(r.supersedes);
  std::vector<std::string> closed = ids(r.closes);
  EXPECT_NE(std::find(closed.begin(), closed.end(), "admins-without-mfa"), closed.end());
  EXPECT_NE(std::find(closed.begin(), closed.end(), "guests-without-mfa"), closed.end());
}

TEST(Proposed, AChangedVersionOfAPolicyReplacesIt) {
  // CA004 with the break-glass accounts excluded: the lock-out risk goes, nothing else changes.
  auto policy =
      boost::json::parse(data("corp-example-entra.json")).at("value").as_array().at(3).as_object();
  ASSERT_EQ(policy.at("displayName"), "CA004: Block access outside allowed countries");
  policy["conditions"].as_object()["users"].as_object()["excludeUsers"] = {
      "5c8a0f31-7e0b-4d7a-9c3e-1a2b3c4d5e01", "5c8a0f31-7e0b-4d7a-9c3e-1a2b3c4d5e02"};
  const auto checked = check_against_corp(boost::json::serialize(policy));
  const ProposedReport& r = checked->report();
  ASSERT_TRUE(r.replaces.has_value());
  EXPECT_EQ(*r.replaces, "3f6d9a1e-2b47-4c85-9e10-6a7b8c9d0e14");
  EXPECT_TRUE(r.findings.empty()) << dump(r.findings);
  EXPECT_TRUE(r.opens.empty()) << dump(r.opens);
}

TEST(Proposed, NarrowingABaselinePolicyOpensAGap) {
  Directory directory;
  auto set = testing::parse(data("clean-entra.json"), directory);
  auto proposed = parse_proposed(R"json({
    "id": "7a1c0e52-9d3b-4f6a-8e21-0c4d5e6f7a02", "displayName": "BASE02: Block legacy (pilot)",
    "state": "enabled",
    "conditions": {"users": {"includeGroups": ["8f3e2a10-4b5c-4d6e-8f90-a1b2c3d4e599"]},
                   "applications": {"includeApplications": ["All"]},
                   "clientAppTypes": ["exchangeActiveSync", "other"]},
    "grantControls": {"operator": "OR", "builtInControls": ["block"]}})json",
                                 directory);
  ASSERT_TRUE(proposed.ok()) << proposed.error().message;
  const Analysis a = analyze(std::move(set), proposed.value(), directory);
  EXPECT_EQ(ids(a.proposed->opens), std::vector<std::string>{"legacy-auth-not-blocked"});
  EXPECT_TRUE(a.proposed->closes.empty());
}

TEST(Proposed, ItsResultCarriesEveryListTheManifestDeclares) {
  const auto checked = check_against_corp(data("proposed-block-legacy.json"));
  const auto json = analysis_json(checked->analysis, checked->directory);
  const auto& proposed = json.at("proposed").as_object();
  for (const char* key :
       {"id", "name", "state", "summary", "verdict", "replaces", "contradicts", "duplicates",
        "redundant_with", "supersedes", "findings", "closes", "opens"})
    EXPECT_TRUE(proposed.contains(key)) << key;
  EXPECT_EQ(proposed.at("summary"),
            "Blocks access for all users except the break-glass accounts on all cloud apps from "
            "legacy clients (Exchange ActiveSync and other clients); enforced");
}

}  // namespace
}  // namespace policy
