// The ABI is what it claims: negotiation, refusal, missing symbols, broken descriptors and
// plugins that throw — each reported as a failed plugin with an actionable reason.
#include <gtest/gtest.h>

#include "secpilot/plugin/plugin_host.hpp"
#include "secpilot/skills/executor.hpp"
#include "support/files.hpp"

namespace secpilot {
namespace {

using testing::test_plugins;

std::unique_ptr<plugin::PluginHost> host_for(const std::string& name) {
  plugin::HostOptions options;
  options.plugin_dirs = {test_plugins(name)};
  return std::make_unique<plugin::PluginHost>(std::move(options));
}

const plugin::PluginRecord& only_plugin(const plugin::PluginHost& host) {
  EXPECT_EQ(host.plugins().size(), 1u);
  return host.plugins().front();
}

TEST(Abi, PlainC99PluginLoadsAndRuns) {
  auto host = host_for("plain-c");
  const auto& record = only_plugin(*host);
  ASSERT_EQ(record.state, plugin::PluginState::Loaded) << record.error;
  ASSERT_EQ(record.libraries.size(), 1u);
  EXPECT_EQ(record.libraries[0]->version(), "1.2.3");
  EXPECT_EQ(record.libraries[0]->abi_version(), "1.0");

  const auto* skill = host->catalog().find("PlainC.Measure");
  ASSERT_NE(skill, nullptr);
  auto result = skills::invoke(*skill, R"({"text":"abcd"})", {});
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(*result, R"({"bytes": 15, "calls": 1})");
}

TEST(Abi, WrongMajorIsRefusedNamingBothVersions) {
  auto host = host_for("wrong-major");
  const auto& record = only_plugin(*host);
  EXPECT_EQ(record.state, plugin::PluginState::Failed);
  EXPECT_NE(record.error.find("built for plugin ABI 2.0 (SDK 1.0.0)"), std::string::npos)
      << record.error;
  EXPECT_NE(record.error.find("this host speaks ABI 1.0"), std::string::npos) << record.error;
  EXPECT_NE(record.error.find("majors must match"), std::string::npos) << record.error;
}

TEST(Abi, NewerMinorThanHostIsRefused) {
  auto host = host_for("newer-minor");
  const auto& record = only_plugin(*host);
  EXPECT_EQ(record.state, plugin::PluginState::Failed);
  EXPECT_NE(record.error.find("ABI 1.1"), std::string::npos) << record.error;
  EXPECT_NE(record.error.find("upgrade secpilot"), std::string::npos) << record.error;
}

TEST(Abi, NullFromEntryPointIsARefusal) {
  auto host = host_for("refuses");
  const auto& record = only_plugin(*host);
  EXPECT_EQ(record.state, plugin::PluginState::Failed);
  EXPECT_NE(record.error.find("refused to load on host ABI 1.0"), std::string::npos)
      << record.error;
}

TEST(Abi, MissingEntrySymbolIsExplained) {
  auto host = host_for("no-entry");
  const auto& record = only_plugin(*host);
  EXPECT_EQ(record.state, plugin::PluginState::Failed);
  EXPECT_NE(record.error.find("does not export secpilot_plugin_entry"), std::string::npos)
      << record.error;
}

TEST(Abi, ThrowingConstructorFailsInitWithItsMessage) {
  auto host = host_for("fragile");
  const auto& record = only_plugin(*host);
  EXPECT_EQ(record.state, plugin::PluginState::Failed);
  EXPECT_NE(record.error.find("plugin init failed (internal): feed database is corrupt"),
            std::string::npos)
      << record.error;
  // Its skills are listed, but say why they cannot run.
  const auto* skill = host->catalog().find("Fragile.Noop");
  ASSERT_NE(skill, nullptr);
  EXPECT_FALSE(skill->available());
  auto result = skills::invoke(*skill, "{}", {});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().status, Status::unsupported);
}

TEST(Abi, SuccessWithoutResultIsAPluginBug) {
  auto host = host_for("plain-c");
  const auto* skill = host->catalog().find("PlainC.Forgetful");
  ASSERT_NE(skill, nullptr);
  auto result = skills::invoke(*skill, "{}", {});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().status, Status::internal);
  EXPECT_NE(result.error().message.find("without setting a result"), std::string::npos);
}

TEST(Abi, ABrokenPluginDisablesOnlyItself) {
  plugin::HostOptions options;
  options.plugin_dirs = {test_plugins("plain-c"), test_plugins("wrong-major"),
                         test_plugins("fragile")};
  plugin::PluginHost host(std::move(options));
  ASSERT_EQ(host.plugins().size(), 3u);
  EXPECT_EQ(host.plugin("PlainC")->state, plugin::PluginState::Loaded);
  EXPECT_EQ(host.plugin("WrongMajor")->state, plugin::PluginState::Failed);
  EXPECT_EQ(host.plugin("Fragile")->state, plugin::PluginState::Failed);
  EXPECT_TRUE(skills::invoke(*host.catalog().find("PlainC.Measure"), "{}", {}));
}

TEST(Abi, SettingsAreCheckedAgainstThePluginsConfigSchemaBeforeInit) {
  plugin::HostOptions options;
  options.plugin_dirs = {test_plugins("misbehaving")};
  options.settings = *config::Settings::parse(
      "plugins: {Misbehaving: {settings: {Greeting: 'a greeting far longer than twenty'}}}", "s");
  plugin::PluginHost host(std::move(options));
  const auto& record = only_plugin(host);
  EXPECT_EQ(record.state, plugin::PluginState::Failed);
  EXPECT_NE(record.error.find("do not match its configuration schema"), std::string::npos)
      << record.error;
  EXPECT_NE(record.error.find("Greeting"), std::string::npos) << record.error;
}

}  // namespace
}  // namespace secpilot
