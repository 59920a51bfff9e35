// Policies in plain words: what a reviewer reads first.
#include <gtest/gtest.h>

#include "policy/describe.hpp"
#include "test_support.hpp"

namespace policy {
namespace {

using testing::parse;

std::string summary_of(const std::string& name, const Analysis& analysis) {
  for (size_t i = 0; i < analysis.policies.size(); ++i)
    if (analysis.policies[i].name.starts_with(name)) return analysis.summaries[i];
  ADD_FAILURE() << "no policy " << name;
  return {};
}

TEST(Describe, SummarisesTheCorpExamplePolicies) {
  Directory directory;
  const Analysis a = testing::corp_analysis(directory);
  EXPECT_EQ(summary_of("CA001", a),
            "Requires MFA for all users except the break-glass accounts, guests and external "
            "users, the role Directory Synchronization Accounts and group CA-Exclusions on all "
            "cloud apps; enforced");
  EXPECT_EQ(summary_of("CA002", a),
            "Blocks access for all users except the break-glass accounts on all cloud apps from "
            "legacy clients (Exchange ActiveSync and other clients); report-only");
  EXPECT_EQ(summary_of("CA003", a),
            "Requires phishing-resistant MFA for 5 roles (Global Administrator, Privileged Role "
            "Administrator and 3 more) except the break-glass accounts on all cloud apps; "
            "enforced");
  EXPECT_EQ(summary_of("CA004", a),
            "Blocks access for all users on all cloud apps outside Allowed countries; enforced");
  EXPECT_EQ(summary_of("CA005", a),
            "Requires MFA for group Contractors on Office 365 from Fabrikam partner network; "
            "enforced");
  EXPECT_EQ(summary_of("CA006", a),
            "Blocks access for guests and external users on all cloud apps except Microsoft "
            "Teams Services; enforced");
  EXPECT_EQ(summary_of("CA009", a),
            "Requires MFA for all users except the break-glass accounts on all cloud apps when "
            "sign-in risk is high or medium; session: sign-in frequency: every time; "
            "report-only");
  EXPECT_EQ(summary_of("CA012", a),
            "Requires MFA and a password change for all users except the break-glass accounts "
            "on all cloud apps when user risk is high; disabled");
}

TEST(Describe, NamesUserActionsPlatformsAndSessionOnlyPolicies) {
  const Analysis a = testing::analyze_generic(R"([
    {"id": "register", "name": "Secure registration", "users": ["all"],
     "user_actions": ["register-security-info"], "locations": ["trusted"], "grant": "mfa"},
    {"id": "mobile", "name": "Mobile app protection", "users": ["group:Sales"],
     "platforms": ["ios", "android"], "client_apps": ["mobile-desktop"],
     "grant": {"require": ["approved-app", "app-protection"], "operator": "or"}},
    {"id": "browser", "name": "Unmanaged browser sessions", "state": "disabled",
     "users": ["all"], "client_apps": ["browser"],
     "session": {"app_enforced_restrictions": true, "sign_in_frequency": "every-time"}}])");
  ASSERT_EQ(a.summaries.size(), 3u);
  EXPECT_EQ(a.summaries[0],
            "Requires MFA for all users on the user action registering security information "
            "from trusted locations; enforced");
  EXPECT_EQ(a.summaries[1],
            "Requires an approved client app or an app protection policy for group Sales on all "
            "cloud apps from mobile apps and desktop clients on Android or iOS; enforced");
  EXPECT_EQ(a.summaries[2],
            "Applies session controls for all users on all cloud apps from browsers "
            "(app-enforced restrictions and sign-in frequency: every time); disabled");
}

TEST(Describe, ExplainsAReportOnlyMfaPolicyForEveryoneButBreakGlass) {
  const Analysis a = testing::analyze_generic(R"([
    {"id": "mfa", "name": "MFA", "state": "report-only",
     "users": {"include": ["all"], "exclude": ["user:bg1@corp.example", "user:bg2@corp.example"]},
     "grant": "mfa"},
    {"id": "legacy", "name": "Legacy", "client_apps": ["legacy"], "grant": "block",
     "users": {"include": ["all"], "exclude": ["user:bg1@corp.example", "user:bg2@corp.example"]}}
  ])");
  EXPECT_EQ(a.summaries[0],
            "Requires MFA for all users except the break-glass accounts on all cloud apps; "
            "report-only");
}

TEST(Describe, JoinsWordsAndCutsLongLists) {
  EXPECT_EQ(join_words({"a"}), "a");
  EXPECT_EQ(join_words({"a", "b"}), "a and b");
  EXPECT_EQ(join_words({"a", "b", "c"}, "or"), "a, b or c");
  EXPECT_EQ(join_words({"a", "b", "c", "d", "e"}, "and", 2), "a, b and 3 more");
  EXPECT_EQ(join_words({"a", "b", "c"}, "and", 2), "a, b and c");
}

}  // namespace
}  // namespace policy
