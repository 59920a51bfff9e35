// The settings file: plugin settings, secrets from the environment, egress, errors with locations.
#include <gtest/gtest.h>

#include "secpilot/config/settings.hpp"

namespace secpilot::config {
namespace {

TEST(SettingsFile, ReadsPluginsCaseInsensitively) {
  auto settings = Settings::parse(R"(
plugins:
  RedCanary:
    settings: { InstanceURL: "https://acme.example" }
    secrets: { ApiToken: "t0ken" }
    egress: [ "acme.example", "*.example.org" ]
security:
  allow_writable_plugins: true
)",
                                  "s.yaml");
  ASSERT_TRUE(settings) << settings.error().message;
  const auto* plugin = settings->plugin("redcanary");
  ASSERT_NE(plugin, nullptr);
  EXPECT_EQ(plugin->values.at("instanceurl"), "https://acme.example");
  EXPECT_EQ(plugin->secrets.at("APITOKEN"), "t0ken");
  EXPECT_EQ(plugin->egress.size(), 2u);
  EXPECT_TRUE(settings->allow_writable_plugins());
  EXPECT_EQ(settings->plugin("Jamf"), nullptr);
}

TEST(SettingsFile, ExpandsEnvironmentReferences) {
  ::setenv("SECPILOT_SETTINGS_TEST", "from-env", 1);
  ::unsetenv("SECPILOT_SETTINGS_UNSET");
  auto value =
      expand_environment("a-${SECPILOT_SETTINGS_TEST}-${SECPILOT_SETTINGS_UNSET:-dflt}-$$");
  ASSERT_TRUE(value) << value.error().message;
  EXPECT_EQ(*value, "a-from-env-dflt-$");
}

TEST(SettingsFile, UnsetVariableIsAnErrorWithItsLocation) {
  ::unsetenv("SECPILOT_SETTINGS_UNSET");
  auto settings = Settings::parse(
      "plugins:\n  X:\n    secrets: { Key: \"${SECPILOT_SETTINGS_UNSET}\" }\n", "s.yaml");
  ASSERT_FALSE(settings);
  EXPECT_NE(settings.error().message.find("s.yaml:3:"), std::string::npos)
      << settings.error().message;
  EXPECT_NE(settings.error().message.find("SECPILOT_SETTINGS_UNSET is not set"), std::string::npos);
}

TEST(SettingsFile, MalformedYamlAndUnknownKeysAreLocated) {
  auto broken = Settings::parse("plugins: [unclosed\n", "s.yaml");
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().message.rfind("s.yaml:", 0), 0u) << broken.error().message;

  auto unknown = Settings::parse("plugins:\n  X:\n    secret: {}\n", "s.yaml");
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("s.yaml:3:5: unknown key 'secret'"), std::string::npos)
      << unknown.error().message;
}

TEST(SettingsFile, ReadsQueryBackends) {
  auto settings = Settings::parse("query_backends:\n  Defender: LogHunt.RunKql\n", "s.yaml");
  ASSERT_TRUE(settings) << settings.error().message;
  ASSERT_NE(settings->query_backend("defender"), nullptr);
  EXPECT_EQ(*settings->query_backend("defender"), "LogHunt.RunKql");
  auto unknown = Settings::parse("query_backend:\n  Defender: LogHunt.RunKql\n", "s.yaml");
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("use plugins, security or query_backends"),
            std::string::npos)
      << unknown.error().message;
}

TEST(SettingsFile, MissingFileSaysWhichOne) {
  auto settings = Settings::load("/nonexistent/secpilot.yaml");
  ASSERT_FALSE(settings);
  EXPECT_EQ(settings.error().status, Status::not_found);
  EXPECT_NE(settings.error().message.find("/nonexistent/secpilot.yaml"), std::string::npos);
}

}  // namespace
}  // namespace secpilot::config
