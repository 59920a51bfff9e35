// Security Copilot-style KQL skills (manifests/defender-hunting.yaml: templates and Targets, no
// code) run end to end through the real `secpilot` binary on LogHunt, the query backend that
// declares those Targets, over LogHunt's sample intrusion data.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "support/run.hpp"

namespace secpilot {
namespace {

const std::string kCli = std::string(SECPILOT_BINARY_DIR) + "/bin/secpilot";
const std::string kPlugins = std::string(SECPILOT_BINARY_DIR) + "/plugins";

testing::RunResult cli(std::vector<std::string> args) {
  args.insert(args.begin(), {kCli, "--plugins-dir", kPlugins});
  return testing::run(args, {.env = {"SECPILOT_SERVER", "SECPILOT_KEY"}, .input = {}});
}

// The rows of a LogHunt result, each as column name → value.
std::vector<boost::json::object> rows_of(const std::string& result) {
  const auto document = boost::json::parse(result).as_object();
  std::vector<std::string> names;
  for (const auto& column : document.at("columns").as_array())
    names.emplace_back(column.at("name").as_string());
  std::vector<boost::json::object> rows;
  for (const auto& row : document.at("rows").as_array()) {
    boost::json::object named;
    for (std::size_t i = 0; i < names.size(); ++i)
      named[names[i]] = row.as_array().at(i);
    rows.push_back(std::move(named));
  }
  return rows;
}

TEST(KqlSkillsCli, TheSkillShowsItsTargetAndBackend) {
  auto run = cli({"--json", "skills", "show", "DefenderHunting.EncodedPowerShell"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto shown = boost::json::parse(run.out).as_object();
  EXPECT_TRUE(shown.at("available").as_bool()) << run.out;
  EXPECT_EQ(shown.at("query").at("target").as_string(), "Defender");
  EXPECT_EQ(shown.at("query").at("backend").as_string(), "LogHunt.RunKql");
}

TEST(KqlSkillsCli, FindsTheIntrusionsEncodedPowerShell) {
  auto run = cli({"invoke", "DefenderHunting.EncodedPowerShell"});
  ASSERT_EQ(run.exit_code, 0) << run.err << run.out;
  const auto rows = rows_of(run.out);
  ASSERT_FALSE(rows.empty()) << run.out;
  bool on_the_finance_workstation = false;
  for (const auto& row : rows) {
    const std::string command(row.at("ProcessCommandLine").as_string());
    EXPECT_NE(command.find("-e"), std::string::npos) << command;
    on_the_finance_workstation =
        on_the_finance_workstation || row.at("DeviceName").as_string() == "ws-fin-07.corp.example";
  }
  EXPECT_TRUE(on_the_finance_workstation) << run.out;
}

TEST(KqlSkillsCli, InputsFillTheTemplate) {
  auto run = cli(
      {"invoke", "DefenderHunting.ConnectionsToIndicator", "--input", "indicator=203.0.113.45"});
  ASSERT_EQ(run.exit_code, 0) << run.err << run.out;
  const auto rows = rows_of(run.out);
  ASSERT_FALSE(rows.empty()) << run.out;
  for (const auto& row : rows)
    EXPECT_EQ(row.at("RemoteIP").as_string(), "203.0.113.45");

  run = cli({"invoke", "DefenderHunting.SignInsForUser", "--input", "upn=MRIVERA@corp.example",
             "--input", "lookback=3650d"});
  ASSERT_EQ(run.exit_code, 0) << run.err << run.out;
  const auto signins = rows_of(run.out);
  ASSERT_FALSE(signins.empty()) << run.out;
  for (const auto& row : signins)
    EXPECT_EQ(row.at("UserPrincipalName").as_string(), "mrivera@corp.example");
}

TEST(KqlSkillsCli, AnInputCannotInjectOperators) {
  // Were the quote not escaped, this would match every sign-in of every user.
  auto run = cli(
      {"invoke", "DefenderHunting.SignInsForUser", "--input", "upn=x' or UserPrincipalName != '"});
  ASSERT_EQ(run.exit_code, 0) << run.err << run.out;
  EXPECT_TRUE(rows_of(run.out).empty()) << run.out;

  // (Values outside quotes become literals of their own: tests/skills/kql_template_test.cpp.)
}

}  // namespace
}  // namespace secpilot
