// A plugin reads only its own settings and secrets: asking the host for another plugin's secret
// by its exact name gets NOT_FOUND, while its own is there.
#include <gtest/gtest.h>

#include <secpilot/plugin.h>

#include <boost/json/parse.hpp>

#include "secpilot/plugin/plugin_host.hpp"
#include "secpilot/skills/executor.hpp"

namespace secpilot {
namespace {

struct Answer {
  int status = -1;
  std::int64_t length = 0;
};

Answer ask(const plugin::PluginHost& host, const std::string& skill, const std::string& name) {
  const auto* entry = host.catalog().find(skill);
  EXPECT_NE(entry, nullptr) << skill;
  if (!entry) return {};
  auto result = skills::invoke(*entry, R"({"name": ")" + name + R"("})", {});
  EXPECT_TRUE(result) << result.error().message;
  if (!result) return {};
  const auto answer = boost::json::parse(*result).as_object();
  return {static_cast<int>(answer.at("status").as_int64()), answer.at("length").as_int64()};
}

TEST(SecretIsolation, APluginCannotReadAnotherPluginsSecret) {
  plugin::HostOptions options;
  options.plugin_dirs = {std::filesystem::path(SECPILOT_BINARY_DIR) / "test-plugins-secrets"};
  auto settings = config::Settings::parse(R"(
plugins:
  ProbeA:
    secrets: { TokenA: "secret-of-a-123" }
  ProbeB:
    secrets: { TokenB: "secret-of-b-4567" }
)",
                                          "s.yaml");
  ASSERT_TRUE(settings) << settings.error().message;
  options.settings = std::move(*settings);
  plugin::PluginHost host(std::move(options));
  for (const auto& record : host.plugins())
    ASSERT_EQ(record.state, plugin::PluginState::Loaded) << record.name << ": " << record.error;

  // Each reads its own secret...
  EXPECT_EQ(ask(host, "ProbeA.Read", "TokenA").status, SP_OK);
  EXPECT_EQ(ask(host, "ProbeA.Read", "TokenA").length, 15);
  EXPECT_EQ(ask(host, "ProbeB.Read", "TokenB").length, 16);
  // ...and not the other's, by its exact name or in another case.
  EXPECT_EQ(ask(host, "ProbeA.Read", "TokenB").status, SP_ERR_NOT_FOUND);
  EXPECT_EQ(ask(host, "ProbeA.Read", "tokenb").status, SP_ERR_NOT_FOUND);
  EXPECT_EQ(ask(host, "ProbeB.Read", "TokenA").status, SP_ERR_NOT_FOUND);
}

}  // namespace
}  // namespace secpilot
