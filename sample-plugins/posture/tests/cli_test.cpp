// Posture end to end: the real `secpilot` binary loads the built plugin folder and assesses the
// prepared host trees, as a person or a script would. The host validates every result against
// the manifest's Outputs schema, so a passing call also proves the result has the documented
// shape.
#include <sys/stat.h>

#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "support/files.hpp"
#include "support/run.hpp"
#include "test_trees.hpp"

namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using posture::testing::StagedTree;
using secpilot::testing::RunResult;
using secpilot::testing::TempDir;

const std::string kCli = std::string(SECPILOT_BINARY_DIR) + "/bin/secpilot";
const std::string kPlugin = std::string(SECPILOT_BINARY_DIR) + "/plugins/posture";

// Local mode against this plugin only, whatever the environment says about a daemon.
RunResult cli(std::vector<std::string> args, const std::string& settings = "") {
  std::vector<std::string> command{kCli, "--plugins-dir", kPlugin};
  if (!settings.empty()) command.insert(command.end(), {"--settings", settings});
  command.insert(command.end(), args.begin(), args.end());
  return secpilot::testing::run(
      command, {.env = {"SECPILOT_SERVER", "SECPILOT_KEY", "SECPILOT_SETTINGS"}, .input = {}});
}

std::string text(const json::value& value) {
  return std::string(value.as_string());
}

json::object assess(const std::vector<std::string>& extra, const std::string& settings = "") {
  std::vector<std::string> args{"invoke", "Posture.AssessHost"};
  args.insert(args.end(), extra.begin(), extra.end());
  const RunResult run = cli(args, settings);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  if (run.exit_code != 0) return {};
  return json::parse(run.out).as_object();
}

const json::object& check(const json::object& result, const std::string& id) {
  for (const auto& item : result.at("checks").as_array())
    if (text(item.at("id")) == id) return item.as_object();
  ADD_FAILURE() << "no check " << id;
  static const json::object missing;
  return missing;
}

TEST(PostureCli, AssessHostOnAWeakHostPutsTheWorstRiskFirst) {
  // Staged copies have fixed modes (git keeps none), so the file walk sees what the test makes.
  const StagedTree tree("weak");
  const fs::path root = tree.root();
  const json::object result = assess({"--input", "root=" + root.string()});
  ASSERT_FALSE(result.empty());
  EXPECT_EQ(text(result.at("root")), root.string());
  EXPECT_LT(result.at("score").as_int64(), 20);
  const auto& first = result.at("risks").as_array().at(0).as_object();
  EXPECT_EQ(first.at("id"), "network.risky_listeners");
  EXPECT_EQ(first.at("severity"), "critical");
  EXPECT_EQ(first.at("evidence").as_array().at(0).at("value"), "tcp 0.0.0.0:23 (telnet)");

  const auto& root_login = check(result, "ssh.permit_root_login");
  EXPECT_EQ(root_login.at("status"), "fail");
  const auto& evidence = root_login.at("evidence").as_array().at(0).as_object();
  EXPECT_EQ(evidence.at("file"), "/etc/ssh/sshd_config");
  EXPECT_EQ(evidence.at("line"), 6);
  EXPECT_EQ(evidence.at("value"), "PermitRootLogin yes");
  EXPECT_NE(std::string(root_login.at("fix").as_string()).find("PermitRootLogin no"),
            std::string::npos);
  EXPECT_GT(result.at("failed_by_severity").at("high").as_int64(), 0);
}

TEST(PostureCli, AHardenedHostScoresFullMarks) {
  const StagedTree tree("hardened");
  const json::object result = assess({"--input", "root=" + tree.root().string()});
  ASSERT_FALSE(result.empty());
  EXPECT_EQ(result.at("score"), 100) << json::serialize(result.at("risks"));
  EXPECT_EQ(result.at("summary").at("fail"), 0);
  EXPECT_EQ(result.at("summary").at("checks"), 32);
  EXPECT_TRUE(result.at("risks").as_array().empty());
}

TEST(PostureCli, FilesMadeWorldWritableOrSetuidAtRunTimeAreFound) {
  const StagedTree tree("hardened");
  const fs::path root = tree.root();
  tree.write("etc/cron.d/backup", "0 3 * * * root /bin/true\n", 0666);
  const fs::path dropper = tree.write("var/tmp/.x/sh", "#!/bin/true\n");
  struct stat info {};
  const bool setuid = ::chmod(dropper.c_str(), 04755) == 0 && ::stat(dropper.c_str(), &info) == 0 &&
                      (info.st_mode & S_ISUID);
  const json::object result = assess({"--input", "root=" + root.string()});
  ASSERT_FALSE(result.empty());
  const auto& writable = check(result, "files.world_writable");
  EXPECT_EQ(writable.at("status"), "fail");
  EXPECT_EQ(writable.at("evidence").as_array().at(0).at("file"), "/etc/cron.d/backup");
  if (!setuid) GTEST_SKIP() << "cannot set the set-user-ID bit in " << root;
  const auto& setid = check(result, "files.setid");
  EXPECT_EQ(setid.at("status"), "fail");
  EXPECT_EQ(setid.at("severity"), "high");
  EXPECT_EQ(setid.at("evidence").as_array().at(0).at("file"), "/var/tmp/.x/sh");
}

TEST(PostureCli, TheRootInputWinsOverTheRootDirectorySetting) {
  const StagedTree hardened_tree("hardened");
  const StagedTree weak_tree("weak");
  const fs::path hardened = hardened_tree.root();
  const fs::path weak = weak_tree.root();
  TempDir temp;
  const fs::path settings = temp / "settings.yaml";
  secpilot::testing::write_file(
      settings, "plugins:\n  Posture:\n    settings:\n      RootDirectory: " + hardened.string() +
                    "\n      MaxFiles: \"0\"\n");
  const json::object from_setting = assess({}, settings.string());
  ASSERT_FALSE(from_setting.empty());
  EXPECT_EQ(text(from_setting.at("root")), hardened.string());
  EXPECT_EQ(from_setting.at("file_walk").at("ran"), false);
  const json::object from_input = assess({"--input", "root=" + weak.string()}, settings.string());
  ASSERT_FALSE(from_input.empty());
  EXPECT_EQ(text(from_input.at("root")), weak.string());
}

TEST(PostureCli, AMissingRootIsNotFoundAndSaysWhereItCameFrom) {
  const RunResult run =
      cli({"invoke", "Posture.AssessHost", "--input", "root=/nonexistent/web-01"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("not_found"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("the root folder '/nonexistent/web-01' does not exist"), std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("(from the input 'root')"), std::string::npos) << run.err;
}

TEST(PostureCli, ARelativeRootOrAFolderWithoutEtcIsInvalidInput) {
  const RunResult relative = cli({"invoke", "Posture.AssessHost", "--input", "root=mnt/web-01"});
  EXPECT_EQ(relative.exit_code, 1);
  EXPECT_NE(relative.err.find("invalid_input"), std::string::npos) << relative.err;
  EXPECT_NE(relative.err.find("not an absolute path"), std::string::npos) << relative.err;
  TempDir temp;
  const RunResult empty =
      cli({"invoke", "Posture.AssessHost", "--input", "root=" + temp.path().string()});
  EXPECT_EQ(empty.exit_code, 1);
  EXPECT_NE(empty.err.find("has no etc/ folder"), std::string::npos) << empty.err;
}

TEST(PostureCli, ABadLimitSettingIsInvalidInput) {
  TempDir temp;
  const fs::path settings = temp / "settings.yaml";
  secpilot::testing::write_file(settings,
                                "plugins:\n  Posture:\n    settings:\n      MaxFiles: lots\n");
  const StagedTree tree("edge");
  const RunResult run =
      cli({"invoke", "Posture.AssessHost", "--input", "root=" + tree.root().string()},
          settings.string());
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("the setting 'MaxFiles' is 'lots': use a whole number of files"),
            std::string::npos)
      << run.err;
}

TEST(PostureCli, TheShippedManifestLintsClean) {
  const RunResult lint = cli({"manifest", "lint", kPlugin + "/posture.yaml"});
  EXPECT_EQ(lint.exit_code, 0) << lint.out << lint.err;
  EXPECT_EQ(lint.out, "") << lint.out;
  const RunResult show = cli({"skills", "show", "Posture.AssessHost", "--json"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  const auto skill = json::parse(show.out).as_object();
  EXPECT_EQ(skill.at("inputs").as_array().at(0).at("name"), "root");
  EXPECT_EQ(skill.at("inputs").as_array().at(0).at("required"), false);
}

}  // namespace
