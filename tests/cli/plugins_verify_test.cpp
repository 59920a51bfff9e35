// `secpilot plugins verify`: the real binary on copies of a real plugin, as an operator or a CI
// job would run it before deploying plugins.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "secpilot/util/sha256.hpp"
#include "support/files.hpp"
#include "support/run.hpp"
#include "support/temp_dir.hpp"

namespace secpilot {
namespace {

const std::string kCli = std::string(SECPILOT_BINARY_DIR) + "/bin/secpilot";

// A plugins folder holding one copy of the plain-c test plugin.
std::filesystem::path plugins_folder_with_plain_c(const std::filesystem::path& root) {
  std::filesystem::create_directories(root / "plugins");
  return testing::copy_plugin("plain-c", root / "plugins");
}

struct PluginsVerify : ::testing::Test {
  testing::TempDir temp;
  std::filesystem::path dir = plugins_folder_with_plain_c(temp.path());
  std::filesystem::path library = dir / "libplain-c.so";
  std::string hash = *sha256_file_hex(library);

  testing::RunResult verify(const std::string& settings_yaml = "", bool json = false) {
    std::vector<std::string> args{kCli, "--plugins-dir", (temp / "plugins").string()};
    testing::write_file(temp / "settings.yaml", settings_yaml);
    args.insert(args.end(), {"--settings", (temp / "settings.yaml").string()});
    if (json) args.push_back("--json");
    args.insert(args.end(), {"plugins", "verify"});
    return testing::run(args, {.env = {"SECPILOT_SERVER", "SECPILOT_KEY"}, .input = {}});
  }
  boost::json::object verify_json(const std::string& settings_yaml = "") {
    auto run = verify(settings_yaml, /*json=*/true);
    auto plugins = boost::json::parse(run.out).as_array();
    EXPECT_EQ(plugins.size(), 1u) << run.out;
    return plugins.at(0).as_object();
  }
  void pin(const std::string& sha256) {
    std::string text = testing::read_file(dir / "plain-c.yaml");
    text.replace(text.find("AbiVersion"), 0, "Sha256: " + sha256 + "\n      ");
    testing::write_file(dir / "plain-c.yaml", text);
  }
};

TEST_F(PluginsVerify, PinnedGoodPluginPassesEveryCheck) {
  pin(hash);
  auto run = verify();
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  for (const char* check :
       {"manifest parses", "manifest owner and mode", "plugin folder owner", "libplain-c.so exists",
        "libplain-c.so owner and mode", "libplain-c.so ABI", "trusted", "isolation"})
    EXPECT_NE(run.out.find(check), std::string::npos) << check << "\n" << run.out;
  EXPECT_NE(run.out.find("pinned, matches " + hash), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find("\n  fail "), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("1 plugin(s) verified: 1 passed, 0 failed."), std::string::npos);
}

TEST_F(PluginsVerify, WrongPinFailsNamingBothHashes) {
  const std::string wrong(64, 'e');
  pin(wrong);
  auto run = verify();
  EXPECT_EQ(run.exit_code, 1) << run.out;
  EXPECT_NE(run.out.find("is " + hash + " but the manifest pins " + wrong), std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("FAILED"), std::string::npos);
}

TEST_F(PluginsVerify, GroupWritableLibraryFailsWithTheFix) {
  std::filesystem::permissions(library, std::filesystem::perms::group_write,
                               std::filesystem::perm_options::add);
  auto run = verify();
  EXPECT_EQ(run.exit_code, 1) << run.out;
  EXPECT_NE(run.out.find(library.string() + " is writable by its group"), std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("chmod go-w " + library.string()), std::string::npos) << run.out;
}

TEST_F(PluginsVerify, TrustedByHashRunsInProcessUntrustedInARunner) {
  const auto untrusted = verify_json();
  EXPECT_EQ(untrusted.at("passed"), true);
  EXPECT_EQ(untrusted.at("trusted"), false);
  EXPECT_EQ(untrusted.at("isolation"), "process");
  // The unpinned library's hash is printed, ready to pin or trust.
  EXPECT_EQ(untrusted.at("libraries").as_array().at(0).at("sha256").as_string(), hash);

  const auto trusted = verify_json("security:\n  trusted_sha256: [" + hash + "]\n");
  EXPECT_EQ(trusted.at("trusted"), true);
  EXPECT_NE(std::string(trusted.at("trusted_by").as_string()).find("trusted_sha256"),
            std::string::npos);
  EXPECT_EQ(trusted.at("isolation"), "in_process");
}

TEST_F(PluginsVerify, RequirePinnedFailsAnUnpinnedPlugin) {
  auto run = verify("security: { require_pinned: true }\n");
  EXPECT_EQ(run.exit_code, 1) << run.out;
  EXPECT_NE(run.out.find("add Sha256: " + hash), std::string::npos) << run.out;
}

TEST(PluginsVerifyFirstParty, TheSamplePluginsAreTrustedByTheListTheBuildWrote) {
  // The built sample plugins, verified by the built CLI: share/secpilot/first-party.sha256 beside
  // it names their libraries, so they are trusted, run in process and need no pin even when
  // pins are required.
  testing::TempDir temp;
  testing::write_file(temp / "settings.yaml", "security: { require_pinned: true }\n");
  auto run =
      testing::run({kCli, "--plugins-dir", std::string(SECPILOT_BINARY_DIR) + "/plugins",
                    "--settings", (temp / "settings.yaml").string(), "--json", "plugins", "verify"},
                   {.env = {"SECPILOT_SERVER", "SECPILOT_KEY"}, .input = {}});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  bool seen = false;
  const auto plugins = boost::json::parse(run.out);
  for (const auto& item : plugins.as_array()) {
    const auto& plugin = item.as_object();
    if (plugin.at("name") != "ThreatIntel") continue;
    seen = true;
    EXPECT_EQ(plugin.at("trusted"), true);
    EXPECT_NE(std::string(plugin.at("trusted_by").as_string()).find("first-party"),
              std::string::npos)
        << boost::json::serialize(plugin);
    EXPECT_EQ(plugin.at("isolation"), "in_process");
  }
  EXPECT_TRUE(seen) << run.out;
}

TEST_F(PluginsVerify, MalformedSettingsExitFour) {
  auto run = verify("security: { isolation: nowhere }\n");
  EXPECT_EQ(run.exit_code, 4);
  EXPECT_NE(run.err.find("settings.yaml:1:24: isolation must be process or in_process"),
            std::string::npos)
      << run.err;
}

}  // namespace
}  // namespace secpilot
