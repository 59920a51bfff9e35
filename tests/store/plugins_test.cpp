// Plugin enablement resolution and plugin settings, with secrets kept out of listings.
#include "store/store_fixture.hpp"

namespace secpilot::store::testing {
namespace {

using StorePluginsTest = StoreFixture;

TEST_F(StorePluginsTest, OrganisationDisableBindsEveryoneElseUserChoiceThenOrganisation) {
  EXPECT_TRUE(must(store->plugin_enabled("alice", "Jamf")));  // default: enabled

  must(store->set_plugin_enabled(PluginScope::organization, "", "Jamf", false));
  EXPECT_FALSE(must(store->plugin_enabled("alice", "Jamf")));
  EXPECT_FALSE(must(store->plugin_enabled("bob", "Jamf")));
  EXPECT_FALSE(must(store->plugin_enabled("", "Jamf")));

  // An owner's organisation-wide disable is a restriction: a user's own enable does not lift it.
  must(store->set_plugin_enabled(PluginScope::user, "alice", "Jamf", true));
  EXPECT_FALSE(must(store->plugin_enabled("alice", "Jamf")));
  EXPECT_FALSE(must(store->plugin_enabled("bob", "Jamf")));

  must(store->set_plugin_enabled(PluginScope::user, "bob", "ThreatIntel", false));
  EXPECT_FALSE(must(store->plugin_enabled("bob", "ThreatIntel")));
  EXPECT_TRUE(must(store->plugin_enabled("alice", "ThreatIntel")));

  // Plugin names match case-insensitively, as in manifests; setting again replaces.
  EXPECT_FALSE(must(store->plugin_enabled("bob", "threatintel")));
  must(store->set_plugin_enabled(PluginScope::user, "bob", "THREATINTEL", true));
  EXPECT_TRUE(must(store->plugin_enabled("bob", "ThreatIntel")));

  must(store->clear_plugin_enabled(PluginScope::organization, "", "jamf"));
  EXPECT_TRUE(must(store->plugin_enabled("alice", "Jamf")));  // her own choice applies again
  must(store->clear_plugin_enabled(PluginScope::user, "alice", "Jamf"));
  EXPECT_TRUE(must(store->plugin_enabled("alice", "Jamf")));  // the default

  reopen();
  EXPECT_TRUE(must(store->plugin_enabled("bob", "ThreatIntel")));
}

TEST_F(StorePluginsTest, ListsTheRowsThatApplyToAUser) {
  must(store->set_plugin_enabled(PluginScope::organization, "", "Jamf", false));
  must(store->set_plugin_enabled(PluginScope::user, "alice", "Jamf", true));
  must(store->set_plugin_enabled(PluginScope::user, "bob", "RedCanary", false));

  const auto alices = must(store->list_plugin_enablement("alice"));
  ASSERT_EQ(alices.size(), 2u);
  EXPECT_EQ(alices[0].scope, PluginScope::organization);
  EXPECT_EQ(alices[0].plugin, "Jamf");
  EXPECT_FALSE(alices[0].enabled);
  EXPECT_EQ(alices[1].scope, PluginScope::user);
  EXPECT_EQ(alices[1].user, "alice");
  EXPECT_TRUE(alices[1].enabled);

  EXPECT_EQ(must(store->list_plugin_enablement("")).size(), 3u);
}

TEST_F(StorePluginsTest, RejectsInconsistentScopes) {
  EXPECT_EQ(
      error_of(store->set_plugin_enabled(PluginScope::organization, "alice", "Jamf", false)).status,
      Status::invalid_input);
  EXPECT_EQ(error_of(store->set_plugin_enabled(PluginScope::user, "", "Jamf", false)).status,
            Status::invalid_input);
  EXPECT_EQ(error_of(store->set_plugin_enabled(PluginScope::user, "alice", "", false)).status,
            Status::invalid_input);
}

TEST_F(StorePluginsTest, SecretsAreStoredButNeverListed) {
  const std::string secret = "s3cr3t-token-value-7f2a";
  must(store->set_plugin_setting("Jamf", "InstanceUrl", "https://acme.jamfcloud.com", false));
  must(store->set_plugin_setting("Jamf", "ApiToken", secret, true));
  must(store->set_plugin_setting("Other", "ApiToken", "other-secret", true));

  auto settings = must(store->plugin_settings("Jamf"));
  ASSERT_EQ(settings.size(), 2u);
  EXPECT_EQ(settings[0].name, "ApiToken");
  EXPECT_TRUE(settings[0].secret);
  EXPECT_EQ(settings[0].value, "");
  EXPECT_EQ(settings[1].name, "InstanceUrl");
  EXPECT_FALSE(settings[1].secret);
  EXPECT_EQ(settings[1].value, "https://acme.jamfcloud.com");
  for (const auto& setting : settings)
    EXPECT_EQ(setting.value.find(secret), std::string::npos);

  EXPECT_EQ(must(store->plugin_secret("Jamf", "ApiToken")), secret);
  EXPECT_EQ(must(store->plugin_secret("jamf", "apitoken")), secret);  // names are case-insensitive
  EXPECT_EQ(must(store->plugin_secret("Other", "ApiToken")), "other-secret");
  // A plain setting is not a secret, and an unset one is not found.
  EXPECT_EQ(error_of(store->plugin_secret("Jamf", "InstanceUrl")).status, Status::not_found);
  EXPECT_EQ(error_of(store->plugin_secret("Jamf", "Missing")).status, Status::not_found);

  // Replacing keeps one row; the new value is what the host gets.
  must(store->set_plugin_setting("JAMF", "APITOKEN", "rotated", true));
  EXPECT_EQ(must(store->plugin_secret("Jamf", "ApiToken")), "rotated");
  EXPECT_EQ(must(store->plugin_settings("Jamf")).size(), 2u);

  must(store->delete_plugin_setting("Jamf", "ApiToken"));
  EXPECT_EQ(error_of(store->plugin_secret("Jamf", "ApiToken")).status, Status::not_found);
  EXPECT_EQ(error_of(store->delete_plugin_setting("Jamf", "ApiToken")).status, Status::not_found);
  settings = must(store->plugin_settings("Jamf"));
  ASSERT_EQ(settings.size(), 1u);
  EXPECT_EQ(settings[0].name, "InstanceUrl");

  EXPECT_EQ(error_of(store->set_plugin_setting("", "x", "y", false)).status, Status::invalid_input);
}

TEST_F(StorePluginsTest, AReplacedSecretDoesNotLingerInTheFile) {
  must(store->set_plugin_setting("Jamf", "ApiToken", "first-secret-aaaaaaaaaaaa", true));
  must(store->checkpoint());
  must(store->set_plugin_setting("Jamf", "ApiToken", "second-secret-bbbbbbbbbbb", true));
  close();  // checkpoints the WAL into the file and removes it
  const std::string bytes = file_bytes(file());
  EXPECT_EQ(bytes.find("first-secret-aaaaaaaaaaaa"), std::string::npos);
  EXPECT_NE(bytes.find("second-secret-bbbbbbbbbbb"), std::string::npos);
}

}  // namespace
}  // namespace secpilot::store::testing
