// Reading policies in both shapes and every container, and the errors bad input gets.
#include <gtest/gtest.h>

#include "policy/parse.hpp"
#include "test_support.hpp"

namespace policy {
namespace {

using testing::contains;
using testing::data;
using testing::parse;

constexpr const char* kBreakGlass1 = "5c8a0f31-7e0b-4d7a-9c3e-1a2b3c4d5e01";
constexpr const char* kGlobalAdmin = "62e90394-69f5-4237-9190-012177145e10";

const Policy& by_name(const std::vector<Policy>& policies, const std::string& prefix) {
  for (const auto& policy : policies)
    if (policy.name.starts_with(prefix)) return policy;
  ADD_FAILURE() << "no policy named " << prefix;
  return policies.front();
}

TEST(Parse, ReadsAGraphListResponse) {
  Directory directory;
  const auto policies = parse(data("corp-example-entra.json"), directory);
  ASSERT_EQ(policies.size(), 12u);
  const Policy& mfa = by_name(policies, "CA001");
  EXPECT_EQ(mfa.id, "3f6d9a1e-2b47-4c85-9e10-6a7b8c9d0e11");
  EXPECT_EQ(mfa.shape, "entra");
  EXPECT_EQ(mfa.state, State::Enabled);
  EXPECT_TRUE(mfa.conditions.users.all);
  EXPECT_TRUE(mfa.conditions.users.excluded_members.count(kBreakGlass1));
  EXPECT_TRUE(mfa.conditions.users.excluded_collections.count("guests"));
  EXPECT_TRUE(mfa.conditions.users.excluded_collections.count(
      "group:8f3e2a10-4b5c-4d6e-8f90-a1b2c3d4e501"));
  ASSERT_EQ(mfa.grant.controls.size(), 1u);
  EXPECT_EQ(mfa.grant.controls[0].name, "mfa");

  EXPECT_EQ(by_name(policies, "CA002").state, State::ReportOnly);
  EXPECT_EQ(by_name(policies, "CA002").conditions.client_apps, kLegacyClients);
  EXPECT_TRUE(by_name(policies, "CA002").grant.block);

  const Policy& admins = by_name(policies, "CA003");
  EXPECT_TRUE(admins.conditions.users.collections.count(std::string("role:") + kGlobalAdmin));
  ASSERT_EQ(admins.grant.controls.size(), 1u);
  EXPECT_EQ(admins.grant.controls[0].strength, Strength::PhishingResistant);

  const Policy& countries = by_name(policies, "CA004");
  EXPECT_TRUE(countries.conditions.locations.all);
  EXPECT_TRUE(countries.conditions.locations.excluded_collections.count(
      "location:0b7e4c52-2f1d-4e3a-9b6c-7d8e9f0a1b01"));

  EXPECT_TRUE(by_name(policies, "CA006")
                  .conditions.apps.selection.excluded_members.count(
                      "cc15fd57-2c6c-4117-a88c-83b1d56b4bbe"));
  EXPECT_EQ(by_name(policies, "CA009").conditions.sign_in_risk, kRiskHigh | kRiskMedium);
  EXPECT_EQ(by_name(policies, "CA009").session,
            std::vector<std::string>{"sign-in frequency: every time"});
  EXPECT_EQ(by_name(policies, "CA012").state, State::Disabled);
  EXPECT_FALSE(by_name(policies, "CA012").grant.any_of);
}

constexpr const char* kOnePolicy = R"({
  "id": "p1", "displayName": "Require MFA", "state": "enabled",
  "conditions": {"users": {"includeUsers": ["All"]},
                 "applications": {"includeApplications": ["All"]}, "clientAppTypes": ["all"]},
  "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}})";

TEST(Parse, AcceptsOnePolicyAnArrayAndTheGenericContainer) {
  Directory directory;
  EXPECT_EQ(parse(kOnePolicy, directory).size(), 1u);
  EXPECT_EQ(parse("[" + std::string(kOnePolicy) + "]", directory).size(), 1u);
  EXPECT_EQ(parse(data("generic-policies.json"), directory).size(), 5u);
}

TEST(Parse, ReadsPowerShellExportsWithPascalCaseKeys) {
  Directory directory;
  const auto policies = parse(R"([{
    "Id": "p1", "DisplayName": "Block legacy", "State": "enabled",
    "Conditions": {"Users": {"IncludeUsers": ["All"], "ExcludeUsers": ["BG-1"]},
                   "Applications": {"IncludeApplications": ["All"]},
                   "ClientAppTypes": ["exchangeActiveSync", "other"]},
    "GrantControls": {"Operator": "OR", "BuiltInControls": ["block"]}}])",
                              directory);
  ASSERT_EQ(policies.size(), 1u);
  EXPECT_EQ(policies[0].name, "Block legacy");
  EXPECT_TRUE(policies[0].grant.block);
  EXPECT_EQ(policies[0].conditions.client_apps, kLegacyClients);
  EXPECT_TRUE(policies[0].conditions.users.excluded_members.count("bg-1"));
}

TEST(Parse, NotesThatAGraphPageIsNotTheWholeList) {
  Directory directory;
  auto set = parse_policies(R"({"value": [)" + std::string(kOnePolicy) +
                                R"(], "@odata.nextLink": "https://graph.microsoft.com/v1.0/x"})",
                            directory);
  ASSERT_TRUE(set.ok()) << set.error().message;
  ASSERT_EQ(set.value().notes.size(), 1u);
  EXPECT_TRUE(contains(set.value().notes[0], "@odata.nextLink")) << set.value().notes[0];
}

TEST(Parse, GenericShapeResolvesRoleNamesAndTheCallersNames) {
  Directory directory;
  ASSERT_TRUE(
      parse_names(R"({"8f3e2a10-4b5c-4d6e-8f90-a1b2c3d4e503": "Finance"})", directory).ok());
  const auto policies = parse(R"({"policies": [{
    "id": "g", "name": "Finance admins", "state": "report-only",
    "users": {"include": ["role:global administrator", "group:Finance", "user:Alice@corp.example"],
              "exclude": ["guests"]},
    "apps": {"include": ["all"], "exclude": ["Microsoft Graph", "admin-portals"]},
    "client_apps": ["modern"], "platforms": {"include": ["all"], "exclude": ["linux"]},
    "locations": {"include": ["all"], "exclude": ["trusted"]}, "sign_in_risk": ["high"],
    "grant": {"require": ["mfa", "compliant-device"], "operator": "or"},
    "session": {"sign_in_frequency": "7d", "app_control": "block-downloads"}}]})",
                              directory);
  ASSERT_EQ(policies.size(), 1u);
  const Policy& p = policies[0];
  EXPECT_EQ(p.shape, "generic");
  EXPECT_EQ(p.state, State::ReportOnly);
  const Selection& users = p.conditions.users;
  EXPECT_TRUE(users.collections.count(std::string("role:") + kGlobalAdmin));
  EXPECT_TRUE(users.collections.count("group:8f3e2a10-4b5c-4d6e-8f90-a1b2c3d4e503"));
  EXPECT_TRUE(users.members.count("alice@corp.example"));
  EXPECT_TRUE(users.excluded_collections.count("guests"));
  EXPECT_TRUE(
      p.conditions.apps.selection.excluded_members.count("00000003-0000-0000-c000-000000000000"));
  EXPECT_TRUE(p.conditions.apps.selection.excluded_collections.count(kAdminPortals));
  EXPECT_EQ(p.conditions.client_apps, kModernClients);
  EXPECT_EQ(p.conditions.platforms, kAllPlatforms & ~kLinux);
  EXPECT_EQ(p.conditions.sign_in_risk, kRiskHigh);
  EXPECT_TRUE(p.grant.any_of);
  EXPECT_EQ(p.session, (std::vector<std::string>{"Conditional Access App Control (block downloads)",
                                                 "sign-in frequency: every 7 days"}));
}

TEST(Parse, BothShapesGiveTheSameSessionWords) {
  Directory directory;
  const auto policies = parse(R"([
    {"id": "e", "displayName": "e", "state": "enabled",
     "conditions": {"users": {"includeUsers": ["All"]},
                    "applications": {"includeApplications": ["All"]}},
     "sessionControls": {"signInFrequency": {"value": 4, "type": "hours", "isEnabled": true},
                         "persistentBrowser": {"mode": "never", "isEnabled": true}}},
    {"id": "g", "users": ["all"],
     "session": {"sign_in_frequency": "4h", "persistent_browser": "never"}}])",
                              directory);
  ASSERT_EQ(policies.size(), 2u);
  EXPECT_EQ(policies[0].session, policies[1].session);
}

TEST(Parse, NamesAndEmergencyAccountLists) {
  Directory directory;
  EXPECT_FALSE(parse_names("[1]", directory).ok());
  EXPECT_TRUE(contains(parse_names(R"({"x": 1})", directory).error().message, "must be a string"));
  auto listed = parse_account_list("breakglass1@corp.example, breakglass2@corp.example");
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed.value(),
            (std::vector<std::string>{"breakglass1@corp.example", "breakglass2@corp.example"}));
  auto json = parse_account_list(R"(["a", "group:b"])");
  ASSERT_TRUE(json.ok());
  EXPECT_EQ(json.value(), (std::vector<std::string>{"a", "group:b"}));
  EXPECT_FALSE(parse_account_list("[1, 2]").ok());
}

struct BadInput {
  std::string name;
  std::string text;
  std::string says;  // part of the message
};

// Test listings show the case's name, not its bytes.
void PrintTo(const BadInput& input, std::ostream* out) {
  *out << input.name;
}

class ParseErrors : public ::testing::TestWithParam<BadInput> {};

std::string case_name(const ::testing::TestParamInfo<BadInput>& param_info) {
  std::string name;
  for (char c : param_info.param.name)
    name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return name;
}

TEST_P(ParseErrors, SayWhatIsWrongAndWhere) {
  Directory directory;
  auto set = parse_policies(GetParam().text, directory);
  ASSERT_FALSE(set.ok()) << GetParam().name;
  EXPECT_EQ(set.error().kind, Error::Kind::InvalidInput);
  EXPECT_TRUE(contains(set.error().message, GetParam().says))
      << GetParam().name << ": " << set.error().message;
}

std::string policy_with(const std::string& conditions, const std::string& grant) {
  return R"([{"id": "p1", "displayName": "Broken", "state": "enabled", "conditions": )" +
         conditions + R"(, "grantControls": )" + grant + "}]";
}

INSTANTIATE_TEST_SUITE_P(
    Files, ParseErrors,
    ::testing::Values(
        BadInput{"truncated", data("bad-truncated.json"), "is not valid JSON"},
        BadInput{"truncated position", data("bad-truncated.json"), "at line 6"},
        BadInput{"string for an array", data("bad-include-users-string.json"),
                 "policies[0] (\"CA001: Require MFA for all users\"): "
                 "conditions.users.includeUsers must be an array of strings, got a string — "
                 "write [\"All\"]"},
        BadInput{"unknown state", data("bad-state.json"),
                 "state is 'active': use enabled, disabled or enabledForReportingButNotEnforced"},
        BadInput{"unknown client app type", data("bad-client-app-type.json"),
                 "conditions.clientAppTypes holds 'imap': client app types are all, browser"},
        BadInput{"generic typo", data("bad-generic-key.json"),
                 "'grants' is not a key of a generic-shape policy"},
        BadInput{"neither shape", data("bad-neither-shape.json"),
                 "neither an Entra conditionalAccessPolicy"}),
    case_name);

INSTANTIATE_TEST_SUITE_P(
    Inline, ParseErrors,
    ::testing::Values(
        BadInput{"empty", "  \n", "the input 'policies' is empty"},
        BadInput{"no policy", R"({"value": []})", "holds no policy"},
        BadInput{"a number", "42", "is a number: pass one policy"},
        BadInput{"a string policy", R"(["CA001"])", "policies[0] is a string"},
        BadInput{"no conditions", R"([{"id": "p", "displayName": "P", "grantControls": {}}])",
                 "conditions is missing"},
        BadInput{"no applications",
                 policy_with(R"({"users": {"includeUsers": ["All"]}})",
                             R"({"builtInControls": ["mfa"]})"),
                 "conditions.applications is missing"},
        BadInput{"no operator",
                 policy_with(R"({"users": {"includeUsers": ["All"]},
                                 "applications": {"includeApplications": ["All"]}})",
                             R"({"builtInControls": ["mfa", "compliantDevice"]})"),
                 "grantControls.operator is missing: with several grant controls it must be AND"},
        BadInput{"excluding All",
                 policy_with(R"({"users": {"includeUsers": ["All"], "excludeUsers": ["All"]},
                                 "applications": {"includeApplications": ["All"]}})",
                             R"({"builtInControls": ["mfa"]})"),
                 "excludeUsers holds 'All', which cannot be excluded"},
        BadInput{"unknown platform",
                 policy_with(R"({"users": {"includeUsers": ["All"]},
                                 "applications": {"includeApplications": ["All"]},
                                 "platforms": {"includePlatforms": ["amiga"]}})",
                             R"({"builtInControls": ["mfa"]})"),
                 "includePlatforms holds 'amiga': platforms are all, android"},
        BadInput{"does nothing",
                 policy_with(R"({"users": {"includeUsers": ["All"]},
                                 "applications": {"includeApplications": ["All"]}})",
                             R"({"operator": "OR", "builtInControls": []})"),
                 "neither grant controls nor session controls"},
        BadInput{"duplicate ids",
                 R"([{"id": "x", "users": ["all"], "grant": "mfa"},
                     {"id": "X", "users": ["all"], "grant": "block"}])",
                 "policies[1] has the id 'X', which another policy already has"},
        BadInput{"generic block and require",
                 R"([{"id": "x", "users": ["all"], "grant": {"block": true, "require": ["mfa"]}}])",
                 "both blocks and requires controls"},
        BadInput{"generic unknown control",
                 R"([{"id": "x", "users": ["all"], "grant": "fingerprint"}])",
                 "holds 'fingerprint': requirements are block, mfa"},
        BadInput{"generic missing users", R"([{"id": "x", "grant": "mfa"}])", "users is missing"},
        BadInput{"generic bad frequency",
                 R"([{"id": "x", "users": ["all"], "session": {"sign_in_frequency": "often"}}])",
                 "sign_in_frequency is 'often'"}),
    case_name);

TEST(Parse, TooManyPoliciesIsTooLarge) {
  std::string text = "[";
  for (size_t i = 0; i <= kMaxPolicies; ++i)
    text += (i ? "," : "") + std::string(R"({"id": "p)") + std::to_string(i) +
            R"(", "users": ["all"], "grant": "mfa"})";
  text += "]";
  Directory directory;
  auto set = parse_policies(text, directory);
  ASSERT_FALSE(set.ok());
  EXPECT_EQ(set.error().kind, Error::Kind::TooLarge);
  EXPECT_TRUE(contains(set.error().message, "at most 300")) << set.error().message;
}

TEST(Parse, AProposalMustBeExactlyOnePolicy) {
  Directory directory;
  auto two = parse_proposed(R"([{"id": "a", "users": ["all"], "grant": "mfa"},
                                {"id": "b", "users": ["all"], "grant": "mfa"}])",
                            directory);
  ASSERT_FALSE(two.ok());
  EXPECT_TRUE(contains(two.error().message, "holds 2 policies: pass exactly one"))
      << two.error().message;
  auto unnamed = parse_proposed(R"({"users": ["all"], "grant": "mfa"})", directory);
  ASSERT_TRUE(unnamed.ok()) << unnamed.error().message;
  EXPECT_EQ(unnamed.value().id, "proposed");
  auto broken = parse_proposed(R"({"users": "all", "grant": "maybe"})", directory);
  ASSERT_FALSE(broken.ok());
  EXPECT_TRUE(contains(broken.error().message, "proposed")) << broken.error().message;
}

}  // namespace
}  // namespace policy
