// The three Kql skills end to end: the real `secpilot` binary loads the built plugin folder
// (library, manifest, schema data) and invokes them; results also pass the manifest's Outputs
// schemas, which the host validates.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "support/run.hpp"

namespace {

using secpilot::testing::RunResult;

const std::string kCli = std::string(SECPILOT_BINARY_DIR) + "/bin/secpilot";
const std::string kPlugin = std::string(SECPILOT_BINARY_DIR) + "/plugins/kql";

// Local mode, only this plugin's folder, whatever the environment says about a daemon.
RunResult cli(std::vector<std::string> args) {
  args.insert(args.begin(), {kCli, "--plugins-dir", kPlugin});
  return secpilot::testing::run(args, {.env = {"SECPILOT_SERVER", "SECPILOT_KEY"}, .input = {}});
}

boost::json::object invoke(const std::string& skill, const std::string& input) {
  const RunResult run = cli({"invoke", "Kql." + skill, "--input", input});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  return boost::json::parse(run.out).as_object();
}

TEST(KqlCli, PluginLoadsWithItsThreeSkills) {
  const RunResult run = cli({"skills", "list", "--plugin", "Kql"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  for (const char* skill : {"Kql.ValidateKql", "Kql.ExplainKql", "Kql.GenerateKql"})
    EXPECT_NE(run.out.find(skill), std::string::npos) << run.out;
}

TEST(KqlCli, ValidateReportsAnUnknownColumnWithItsPosition) {
  const auto result = invoke(
      "ValidateKql",
      "query=DeviceProcessEvents | where Timestamp > ago(1d) | where FileNme =~ \"cmd.exe\"");
  EXPECT_EQ(result.at("valid"), false);
  const auto& error = result.at("errors").as_array().at(0).as_object();
  EXPECT_EQ(error.at("code"), "unknown-column");
  EXPECT_EQ(error.at("line"), 1);
  EXPECT_EQ(error.at("column"), 57);
  EXPECT_EQ(error.at("hint"), "write 'FileName'");
}

TEST(KqlCli, ValidateAcceptsAGoodQueryAndListsItsColumns) {
  const auto result =
      invoke("ValidateKql",
             "query=SigninLogs | where TimeGenerated > ago(1d) | summarize n = count() by "
             "UserPrincipalName");
  EXPECT_EQ(result.at("valid"), true);
  EXPECT_EQ(result.at("columns").as_array().size(), 2u);
  EXPECT_EQ(result.at("tables").as_array().at(0), "SigninLogs");
}

TEST(KqlCli, ValidateUsesTheRequestToFlagTakeForLatestRows) {
  const RunResult run =
      cli({"invoke", "Kql.ValidateKql", "--json",
           R"({"query": "DeviceProcessEvents | where Timestamp > ago(1d) | take 5",
                                 "request": "the 5 most recent processes"})"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto result = boost::json::parse(run.out).as_object();
  EXPECT_EQ(result.at("warnings").as_array().at(0).at("code"), "take-without-order");
}

TEST(KqlCli, ExplainGivesStepsAndASummary) {
  const auto result = invoke(
      "ExplainKql",
      "query=DeviceProcessEvents | where Timestamp > ago(24h) and FileName =~ \"powershell.exe\""
      " | take 10");
  EXPECT_EQ(result.at("steps").as_array().size(), 3u);
  const std::string summary(result.at("summary").as_string());
  EXPECT_NE(summary.find("keeps rows from the last 24 hours where FileName is 'powershell.exe' "
                         "(case-insensitive)"),
            std::string::npos)
      << summary;
}

TEST(KqlCli, GenerateWritesAValidQuery) {
  const auto result =
      invoke("GenerateKql", "request=failed sign-ins for alice@contoso.com in the last 24 hours");
  EXPECT_EQ(result.at("abstained"), false);
  EXPECT_EQ(result.at("intent"), "failed_sign_ins");
  EXPECT_EQ(result.at("valid"), true);
  const std::string query(result.at("query").as_string());
  EXPECT_NE(query.find("UserPrincipalName =~ \"alice@contoso.com\""), std::string::npos) << query;

  // The generated query checks cleanly through the plugin too.
  const auto checked = invoke("ValidateKql", "query=" + query);
  EXPECT_EQ(checked.at("valid"), true);
  EXPECT_TRUE(checked.at("warnings").as_array().empty());
}

TEST(KqlCli, GenerateAbstainsWithTheIntentsItKnows) {
  const auto result = invoke("GenerateKql", "request=write me a poem about spring");
  EXPECT_EQ(result.at("abstained"), true);
  EXPECT_TRUE(result.at("query").is_null());
  EXPECT_GE(result.at("known_intents").as_array().size(), 14u);
}

TEST(KqlCli, AMissingInputIsTheCallersError) {
  const RunResult run = cli({"invoke", "Kql.ExplainKql", "--input", "query=   "});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("the input 'query' is missing or empty"), std::string::npos) << run.err;
}

TEST(KqlCli, ShippedManifestLintsClean) {
  const RunResult run =
      secpilot::testing::run({kCli, "manifest", "lint", kPlugin + "/kql.yaml"},
                             {.env = {"SECPILOT_SERVER", "SECPILOT_KEY"}, .input = {}});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_EQ(run.out, "") << run.out;
}

}  // namespace
