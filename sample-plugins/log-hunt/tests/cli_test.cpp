// LogHunt.RunKql end to end: the real `secpilot` binary loads the built plugin (library,
// manifest, sample data and table schemas in build/plugins/log-hunt/) and runs queries on it.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "support/files.hpp"
#include "support/run.hpp"
#include "support/temp_dir.hpp"

namespace {

using secpilot::testing::RunResult;

const std::string kCli = std::string(SECPILOT_BINARY_DIR) + "/bin/secpilot";
const std::string kPlugin = std::string(SECPILOT_BINARY_DIR) + "/plugins/log-hunt";

RunResult cli(std::vector<std::string> args) {
  args.insert(args.begin(), {kCli, "--plugins-dir", kPlugin});
  return secpilot::testing::run(
      args, {.env = {"SECPILOT_SERVER", "SECPILOT_KEY", "SECPILOT_SETTINGS"}, .input = {}});
}

boost::json::object invoke_ok(const std::vector<std::string>& inputs) {
  std::vector<std::string> args = {"invoke", "LogHunt.RunKql"};
  for (const auto& input : inputs)
    args.insert(args.end(), {"--input", input});
  auto run = cli(args);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  if (run.exit_code != 0) return {};
  return boost::json::parse(run.out).as_object();
}

TEST(RunKqlCli, FindsTheEncodedPowerShellInTheSampleData) {
  auto result =
      invoke_ok({"query=DeviceProcessEvents | where FileName =~ \"powershell.exe\" and "
                 "ProcessCommandLine has "
                 "\"-enc\" | project Timestamp, DeviceName, InitiatingProcessFileName | order by "
                 "Timestamp asc"});
  ASSERT_FALSE(result.empty());
  const auto& columns = result.at("columns").as_array();
  ASSERT_EQ(columns.size(), 3u);
  EXPECT_EQ(columns[0].at("name"), "Timestamp");
  EXPECT_EQ(columns[0].at("type"), "datetime");
  const auto& rows = result.at("rows").as_array();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].at(1), "ws-fin-07.corp.example");
  EXPECT_EQ(rows[0].at(2), "WINWORD.EXE");
  EXPECT_EQ(result.at("row_count"), 2);
  EXPECT_EQ(result.at("truncated"), false);
  EXPECT_GT(result.at("stats").at("rows_scanned").as_int64(), 1000);
  EXPECT_EQ(result.at("tables").as_array().at(0), "DeviceProcessEvents");
}

TEST(RunKqlCli, TheNowInputMakesAgoDeterministic) {
  auto result =
      invoke_ok({"query=DeviceNetworkEvents | where Timestamp between (ago(30m) .. now())"
                 " | summarize First = min(Timestamp), Last = max(Timestamp)",
                 "now=2026-11-20T10:00:00Z"});
  ASSERT_FALSE(result.empty());
  const auto& row = result.at("rows").as_array().at(0).as_array();
  EXPECT_GE(std::string(row.at(0).as_string()), "2026-11-20T09:30:00Z");
  EXPECT_LT(std::string(row.at(1).as_string()), "2026-11-20T10:00:00Z");
  EXPECT_GT(std::string(row.at(1).as_string()), "2026-11-20T09:50:00Z");
}

TEST(RunKqlCli, MaxRowsTruncatesAndSaysSo) {
  auto result = invoke_ok({"query=DeviceNetworkEvents | project Timestamp, RemoteIP", "maxRows=5"});
  ASSERT_FALSE(result.empty());
  EXPECT_EQ(result.at("row_count"), 5);
  EXPECT_EQ(result.at("truncated"), true);
  EXPECT_EQ(result.at("truncation_reason"), "max_rows");
}

TEST(RunKqlCli, ASyntaxErrorPointsAtItsPlace) {
  auto run =
      cli({"invoke", "LogHunt.RunKql", "--input", "query=DeviceProcessEvents | where FileName =="});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("line 1, column"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("^"), std::string::npos) << run.err;

  auto json = cli({"--json", "invoke", "LogHunt.RunKql", "--input",
                   "query=DeviceProcessEvents | where FileName =="});
  EXPECT_EQ(json.exit_code, 1);
  EXPECT_NE(json.err.find("\"invalid_input\""), std::string::npos) << json.err;
}

TEST(RunKqlCli, AnUnknownTableListsTheTablesThatHaveData) {
  auto run = cli({"invoke", "LogHunt.RunKql", "--input", "query=DeviceProcesEvents | take 1"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("did you mean 'DeviceProcessEvents'"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("SigninLogs"), std::string::npos) << run.err;
}

TEST(RunKqlCli, AFixedNowFromTheSettingsFile) {
  secpilot::testing::TempDir temp;
  secpilot::testing::write_file(
      temp / "settings.yaml",
      "plugins:\n  LogHunt:\n    settings:\n      Now: 2026-11-20T12:00:00Z\n");
  auto run =
      cli({"--settings", (temp / "settings.yaml").string(), "invoke", "LogHunt.RunKql", "--input",
           "query=SigninLogs | where TimeGenerated > ago(1h) and ResultType == \"0\" | project "
           "IPAddress"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto result = boost::json::parse(run.out).as_object();
  bool saw_attacker = false;
  for (const auto& row : result.at("rows").as_array())
    saw_attacker |= row.at(0) == "198.51.100.150";
  EXPECT_TRUE(saw_attacker) << run.out;
}

TEST(RunKqlCli, TheManifestLintsClean) {
  auto run = cli({"manifest", "lint", kPlugin + "/log-hunt.yaml"});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_NE((run.out + run.err).find("0 error(s), 0 warning(s)"), std::string::npos)
      << run.out << run.err;
}

}  // namespace
