// Format: KQL skills through the host: the template is rendered with the call's checked inputs
// and run by the query backend for the skill's Target (QueryEcho here, which answers with the
// query it got); without a backend the skill says how to get one.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "secpilot/plugin/describe.hpp"
#include "secpilot/plugin/plugin_host.hpp"
#include "secpilot/skills/executor.hpp"
#include "support/files.hpp"
#include "support/temp_dir.hpp"

namespace secpilot {
namespace {

// A Security Copilot-style KQL plugin: its placeholders are quoted by the template itself.
constexpr const char* kHuntingManifest = R"(Descriptor:
  Name: Hunting
  Description: KQL hunting queries.
SkillGroups:
  - Format: KQL
    Skills:
      - Name: SignInsForUser
        Description: Sign-ins of one user.
        Inputs:
          - Name: upn
            Description: The user's UPN.
            Type: user
            Required: true
          - Name: days
            Description: How far back.
            Type: integer
            Required: false
            DefaultValue: "7"
        Settings:
          Target: Defender
          Template: |-
            IdentityLogonEvents
            | where Timestamp > ago({{days}}d)
            | where AccountUpn =~ '{{upn}}'
      - Name: ClusterQuery
        Description: Needs a Kusto backend, which nobody provides.
        Settings:
          Target: Kusto
          Cluster: help
          Database: Samples
          Template: StormEvents | take 1
)";

class KqlSkill : public ::testing::Test {
 protected:
  void load(const std::string& settings_yaml = "") {
    testing::write_file(plugins_.path() / "hunting" / "hunting.yaml", kHuntingManifest);
    plugin::HostOptions options;
    options.plugin_dirs = {testing::test_plugins("query-echo"), plugins_.path()};
    if (!settings_yaml.empty()) {
      auto settings = config::Settings::parse(settings_yaml, "test-settings.yaml");
      ASSERT_TRUE(settings) << settings.error().message;
      options.settings = std::move(*settings);
    }
    host_ = std::make_unique<plugin::PluginHost>(std::move(options));
    ASSERT_EQ(host_->plugin("QueryEcho")->state, plugin::PluginState::Loaded)
        << host_->plugin("QueryEcho")->error;
  }

  const skills::SkillEntry& skill(const std::string& name) {
    const auto* entry = host_->catalog().find(name);
    if (!entry) throw std::runtime_error("no skill " + name);
    return *entry;
  }

  testing::TempDir plugins_;
  std::unique_ptr<plugin::PluginHost> host_;
};

TEST_F(KqlSkill, RunsTheRenderedTemplateOnTheTargetsBackend) {
  load();
  const auto& entry = skill("Hunting.SignInsForUser");
  ASSERT_TRUE(entry.available()) << entry.unavailable_reason;
  ASSERT_NE(entry.query_backend, nullptr);
  EXPECT_EQ(entry.query_backend->full_name, "QueryEcho.Run");

  auto result = skills::invoke(entry, R"({"upn":"alice@contoso.com","days":3})", {});
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(boost::json::parse(*result).at("query").as_string(),
            "IdentityLogonEvents\n| where Timestamp > ago(3d)\n"
            "| where AccountUpn =~ 'alice@contoso.com'");

  // The default fills the optional input; a quote in the UPN stays inside the string.
  result = skills::invoke(entry, R"({"upn":"o'brien@contoso.com"})", {});
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(boost::json::parse(*result).at("query").as_string(),
            "IdentityLogonEvents\n| where Timestamp > ago(7d)\n"
            "| where AccountUpn =~ 'o\\'brien@contoso.com'");
}

TEST_F(KqlSkill, InputsAreCheckedBeforeAnyQueryIsBuilt) {
  load();
  auto result = skills::invoke(skill("Hunting.SignInsForUser"), R"({"days":"3"})", {});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().status, Status::invalid_input);
  EXPECT_NE(result.error().message.find("upn"), std::string::npos) << result.error().message;

  // An integer input takes only an integer: no way to smuggle operators through it.
  result = skills::invoke(skill("Hunting.SignInsForUser"),
                          R"({"upn":"a@b.c","days":"1) | union Secrets | take (1"})", {});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().status, Status::invalid_input);
}

TEST_F(KqlSkill, WithoutABackendTheSkillSaysHowToGetOne) {
  load();
  const auto& entry = skill("Hunting.ClusterQuery");
  EXPECT_FALSE(entry.available());
  EXPECT_NE(entry.unavailable_reason.find("no query backend runs KQL for Target Kusto"),
            std::string::npos)
      << entry.unavailable_reason;
  auto result = skills::invoke(entry, "{}", {});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().status, Status::unsupported);
}

TEST_F(KqlSkill, TheConfigChoosesTheBackend) {
  load("query_backends:\n  Defender: Nobody.RunKql\n");
  const auto& entry = skill("Hunting.SignInsForUser");
  EXPECT_FALSE(entry.available());
  EXPECT_NE(entry.unavailable_reason.find("query_backends.Defender in the config names "
                                          "Nobody.RunKql, which is not loaded"),
            std::string::npos)
      << entry.unavailable_reason;

  load("query_backends:\n  Kusto: QueryEcho.Run\n");
  const auto& cluster = skill("Hunting.ClusterQuery");
  ASSERT_TRUE(cluster.available()) << cluster.unavailable_reason;
  auto result = skills::invoke(cluster, "{}", {});
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(boost::json::parse(*result).at("query").as_string(), "StormEvents | take 1");
}

TEST_F(KqlSkill, TheSkillViewShowsTargetTemplateAndBackend) {
  load();
  auto view = plugin::describe_skill(skill("Hunting.SignInsForUser"), true);
  const auto& query = view.at("query").as_object();
  EXPECT_EQ(query.at("target").as_string(), "Defender");
  EXPECT_EQ(query.at("backend").as_string(), "QueryEcho.Run");
  EXPECT_NE(std::string(query.at("template").as_string()).find("AccountUpn =~ '{{upn}}'"),
            std::string::npos);
}

}  // namespace
}  // namespace secpilot
