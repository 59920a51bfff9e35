// `secpilot` end to end: the real binary, real plugins, what a person or a script sees.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "support/files.hpp"
#include "support/run.hpp"
#include "support/temp_dir.hpp"

namespace secpilot {
namespace {

using testing::RunResult;

const std::string kCli = std::string(SECPILOT_BINARY_DIR) + "/bin/secpilot";
const std::string kTestPlugins = std::string(SECPILOT_BINARY_DIR) + "/test-plugins";
const std::string kPlugins = std::string(SECPILOT_BINARY_DIR) + "/plugins";

// Local mode, whatever the environment says about a daemon.
RunResult cli(std::vector<std::string> args) {
  args.insert(args.begin(), kCli);
  return testing::run(args, {.env = {"SECPILOT_SERVER", "SECPILOT_KEY"}, .input = {}});
}

RunResult cli_on_test_plugins(std::vector<std::string> args) {
  args.insert(args.begin(), {"--plugins-dir", kTestPlugins});
  return cli(std::move(args));
}

TEST(Cli, PluginsListShowsStateAndWhyAPluginFailed) {
  auto run = cli_on_test_plugins({"plugins", "list"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("NAME"), std::string::npos);
  EXPECT_NE(run.out.find("PlainC"), std::string::npos);
  EXPECT_NE(run.out.find("loaded"), std::string::npos);
  EXPECT_NE(run.out.find("WrongMajor"), std::string::npos);
  EXPECT_NE(run.out.find("built for plugin ABI 2.0"), std::string::npos) << run.out;
}

TEST(Cli, PluginsListJsonIsForScripts) {
  auto run = cli_on_test_plugins({"--json", "plugins", "list"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto plugins = boost::json::parse(run.out).as_array();
  bool saw_failed = false;
  for (const auto& item : plugins) {
    const auto& plugin = item.as_object();
    if (plugin.at("name") == "Refuses") {
      saw_failed = true;
      EXPECT_EQ(plugin.at("state"), "failed");
      EXPECT_TRUE(plugin.at("error").is_string());
    }
  }
  EXPECT_TRUE(saw_failed);
}

TEST(Cli, PluginsShowNeverPrintsSecrets) {
  testing::TempDir temp;
  testing::write_file(temp / "settings.yaml",
                      "plugins:\n  Misbehaving:\n    secrets: { ApiToken: s3cr3t-value }\n");
  auto run = cli_on_test_plugins(
      {"--settings", (temp / "settings.yaml").string(), "plugins", "show", "misbehaving"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("ApiToken"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("(set)"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("hello"), std::string::npos) << run.out;  // a plain setting's default
  EXPECT_EQ(run.out.find("s3cr3t-value"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("Misbehaving.Echo"), std::string::npos);
}

TEST(Cli, UnknownPluginExitsThree) {
  auto run = cli_on_test_plugins({"plugins", "show", "Nope"});
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.err.find("no plugin named 'Nope'"), std::string::npos) << run.err;
}

TEST(Cli, SkillsListAndShow) {
  auto list = cli_on_test_plugins({"skills", "list", "--plugin", "PlainC"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find("PlainC.Measure"), std::string::npos);
  EXPECT_NE(list.out.find("PlainC.Forgetful"), std::string::npos);
  EXPECT_EQ(list.out.find("Misbehaving"), std::string::npos);

  auto show = cli_on_test_plugins({"skills", "show", "Misbehaving.Echo", "--json"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  auto skill = boost::json::parse(show.out).as_object();
  EXPECT_EQ(skill.at("name"), "Misbehaving.Echo");
  EXPECT_EQ(skill.at("inputs").as_array().size(), 4u);
  EXPECT_EQ(skill.at("aliases").as_array().at(0), "Parrot");
}

TEST(Cli, InvokeWithInputsPrintsTheResult) {
  auto run = cli_on_test_plugins({"invoke", "PlainC.Measure", "--input", "text=abc"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto result = boost::json::parse(run.out).as_object();
  EXPECT_EQ(result.at("bytes"), 14);
  EXPECT_EQ(result.at("calls"), 1);
}

TEST(Cli, InvokeWithJsonInputs) {
  auto run = cli_on_test_plugins(
      {"invoke", "Misbehaving.Parrot", "--json", R"({"text": "hi", "count": 3})"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto result = boost::json::parse(run.out).as_object();
  EXPECT_EQ(result.at("text"), "hi");
  EXPECT_EQ(result.at("count"), 3);
}

TEST(Cli, SkillErrorExitsOneWithTheMessage) {
  auto run = cli_on_test_plugins({"invoke", "Misbehaving.ThrowTyped"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("no incident INC-42 in this tenant"), std::string::npos) << run.err;

  auto json = cli_on_test_plugins({"--json", "invoke", "Misbehaving.ThrowTyped"});
  EXPECT_EQ(json.exit_code, 1);
  const std::string trimmed = json.err.substr(0, json.err.find_last_not_of('\n') + 1);
  const std::string last_line = trimmed.substr(trimmed.rfind('\n') + 1);
  auto error = boost::json::parse(last_line).as_object().at("error").as_object();
  EXPECT_EQ(error.at("status"), "not_found");
}

TEST(Cli, UnknownSkillSuggestsTheClosestName) {
  auto run = cli_on_test_plugins({"invoke", "PlainC.Mesure"});
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.err.find("did you mean PlainC.Measure?"), std::string::npos) << run.err;
}

TEST(Cli, MalformedInputsAreUsageErrors) {
  EXPECT_EQ(cli_on_test_plugins({"invoke", "PlainC.Measure", "--json", "{not json"}).exit_code, 2);
  EXPECT_EQ(cli_on_test_plugins({"invoke", "PlainC.Measure", "--input", "novalue"}).exit_code, 2);
  EXPECT_EQ(cli({"invoke"}).exit_code, 2);
  EXPECT_EQ(cli({"frobnicate"}).exit_code, 2);
}

TEST(Cli, InvalidInputValueExitsOne) {
  auto run = cli_on_test_plugins(
      {"invoke", "Misbehaving.Echo", "--input", "text=a", "--input", "ip=not-an-ip"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("input 'ip' must be an ip"), std::string::npos) << run.err;
}

TEST(Cli, BrokenSettingsFileExitsFour) {
  testing::TempDir temp;
  testing::write_file(temp / "settings.yaml", "plugins: [oops\n");
  auto run =
      cli_on_test_plugins({"--settings", (temp / "settings.yaml").string(), "plugins", "list"});
  EXPECT_EQ(run.exit_code, 4);
  EXPECT_NE(run.err.find("settings.yaml:"), std::string::npos) << run.err;
  EXPECT_EQ(cli_on_test_plugins({"--settings", "/nonexistent.yaml", "plugins", "list"}).exit_code,
            4);
}

TEST(Cli, ManifestLintExitCodes) {
  auto clean = cli({"manifest", "lint", kTestPlugins + "/plain-c/plain-c.yaml"});
  EXPECT_EQ(clean.exit_code, 0) << clean.out << clean.err;
  EXPECT_NE(clean.err.find("0 error(s)"), std::string::npos) << clean.err;

  testing::TempDir temp;
  testing::write_file(temp / "bad.yaml",
                      "Descriptor:\n  Name: Bad Name\n  Description: x\nSkillGroups:\n"
                      "  - Format: Telepathy\n    Skills: []\n");
  auto bad = cli({"manifest", "lint", (temp / "bad.yaml").string()});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.out.find((temp / "bad.yaml").string() + ":5:"), std::string::npos) << bad.out;
  EXPECT_NE(bad.out.find("error:"), std::string::npos);
  EXPECT_NE(bad.out.find("Telepathy"), std::string::npos);

  auto json = cli({"--json", "manifest", "lint", (temp / "bad.yaml").string()});
  EXPECT_EQ(json.exit_code, 1);
  EXPECT_FALSE(boost::json::parse(json.out).as_array().empty());
}

// The sample plugin through the real host: results also pass its manifest's Outputs schemas,
// which the executor validates by default.
TEST(Cli, ThreatIntelLooksUpADefangedIndicator) {
  auto run = cli({"--plugins-dir", kPlugins, "invoke", "ThreatIntel.LookupIndicator", "--input",
                  "indicator=198.51.100[.]7"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto result = boost::json::parse(run.out).as_object();
  EXPECT_EQ(result.at("indicator"), "198.51.100.7");
  EXPECT_EQ(result.at("verdict"), "malicious");
  EXPECT_FALSE(result.at("matches").as_array().empty());
}

TEST(Cli, ThreatIntelAnswersUnknownForAnUnlistedDomain) {
  auto run = cli({"--plugins-dir", kPlugins, "invoke", "ThreatIntel.LookupIndicator", "--input",
                  "indicator=harmless.example.org"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(boost::json::parse(run.out).as_object().at("verdict"), "unknown");
}

TEST(Cli, ThreatIntelRejectsWhatIsNoIndicator) {
  auto run = cli({"--plugins-dir", kPlugins, "invoke", "ThreatIntel.LookupIndicator", "--input",
                  "indicator=not an indicator"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("is not an IP, domain, URL or hash"), std::string::npos) << run.err;
}

TEST(Cli, ThreatIntelExtractsRefangedIndicators) {
  auto run =
      cli({"--plugins-dir", kPlugins, "invoke", "ThreatIntel.ExtractIndicators", "--input",
           "text=Beacon to hxxp://evil-example[.]com/a from 203.0.113[.]9, see CVE-2024-3094"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string out = run.out;
  EXPECT_NE(out.find("http://evil-example.com/a"), std::string::npos) << out;
  EXPECT_NE(out.find("203.0.113.9"), std::string::npos) << out;
  EXPECT_NE(out.find("CVE-2024-3094"), std::string::npos) << out;
}

TEST(Cli, ShippedManifestsLintClean) {
  auto run = cli({"manifest", "lint", kPlugins + "/threat-intel/threat-intel.yaml"});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_EQ(run.out, "") << run.out;
}

}  // namespace
}  // namespace secpilot
