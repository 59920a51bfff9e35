// Grant controls: which grants are at least as demanding as others, and how strong the
// authentication they guarantee is.
#include <gtest/gtest.h>

#include "policy/controls.hpp"
#include "test_support.hpp"

namespace policy {
namespace {

Control mfa() {
  return {"mfa", "", "", Strength::Mfa};
}
Control phishing_resistant() {
  return {"authenticationStrength", "00000000-0000-0000-0000-000000000004",
          "Phishing-resistant MFA", Strength::PhishingResistant};
}
Control compliant_device() {
  return {"compliantDevice", "", "", Strength::None};
}

Grant all_of(std::vector<Control> controls) {
  return {false, false, std::move(controls)};
}
Grant any_of(std::vector<Control> controls) {
  return {false, true, std::move(controls)};
}
Grant block() {
  return {true, false, {}};
}

TEST(Controls, PhishingResistantMfaMeetsAnMfaRequirementButNotTheOtherWayRound) {
  EXPECT_TRUE(implies(all_of({phishing_resistant()}), all_of({mfa()})));
  EXPECT_FALSE(implies(all_of({mfa()}), all_of({phishing_resistant()})));
}

TEST(Controls, RequiringAllIsStrongerThanRequiringAny) {
  EXPECT_TRUE(implies(all_of({mfa(), compliant_device()}), any_of({mfa(), compliant_device()})));
  EXPECT_FALSE(implies(any_of({mfa(), compliant_device()}), all_of({mfa(), compliant_device()})));
  EXPECT_FALSE(implies(any_of({mfa(), compliant_device()}), all_of({mfa()})));
}

TEST(Controls, ABlockEqualsOnlyABlock) {
  EXPECT_TRUE(implies(block(), block()));
  EXPECT_FALSE(implies(block(), all_of({mfa()})));
  EXPECT_FALSE(implies(all_of({mfa()}), block()));
}

TEST(Controls, MfaOrACompliantDeviceGuaranteesNoMfa) {
  EXPECT_EQ(guaranteed_strength(any_of({mfa(), compliant_device()})), Strength::None);
  EXPECT_EQ(guaranteed_strength(all_of({mfa(), compliant_device()})), Strength::Mfa);
  EXPECT_EQ(guaranteed_strength(any_of({phishing_resistant()})), Strength::PhishingResistant);
  EXPECT_EQ(guaranteed_strength(block()), Strength::None);
}

TEST(Controls, OnlyBlocksAndDeviceOnlyGrantsCanLockAnAccountOut) {
  EXPECT_TRUE(can_lock_out(block()));
  EXPECT_TRUE(can_lock_out(any_of({compliant_device(), {"domainJoinedDevice", "", "", {}}})));
  EXPECT_FALSE(can_lock_out(any_of({compliant_device(), mfa()})));
  EXPECT_FALSE(can_lock_out(all_of({mfa()})));
}

TEST(Controls, ACustomStrengthIsRatedByItsWeakestAllowedCombination) {
  using testing::parse;
  Directory directory;
  const auto policies = parse(R"([
    {"id": "a", "users": ["all"], "grant": {"authentication_strength":
       {"name": "Contoso strong", "combinations": ["fido2", "windowsHelloForBusiness"]}}},
    {"id": "b", "users": ["all"], "grant": {"authentication_strength":
       {"name": "Contoso app or SMS", "combinations": ["password,microsoftAuthenticatorPush",
                                                      "password,sms"]}}},
    {"id": "c", "users": ["all"], "grant": {"authentication_strength":
       {"name": "Contoso weak", "combinations": ["fido2", "sms"]}}}
  ])",
                              directory);
  ASSERT_EQ(policies.size(), 3u);
  EXPECT_EQ(guaranteed_strength(policies[0].grant), Strength::PhishingResistant);
  EXPECT_EQ(guaranteed_strength(policies[1].grant), Strength::Mfa);
  EXPECT_EQ(guaranteed_strength(policies[2].grant), Strength::None);
}

TEST(Controls, SessionControlsAreComparedAsSets) {
  EXPECT_TRUE(session_at_least({"a", "b"}, {"a"}));
  EXPECT_FALSE(session_at_least({"a"}, {"a", "b"}));
  EXPECT_TRUE(session_at_least({}, {}));
}

}  // namespace
}  // namespace policy
