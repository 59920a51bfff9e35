// Policy end to end: the real `secpilot` binary loads the built plugin folder and runs
// AnalyzePolicies, as a person or a script would. The host validates every result against the
// manifest's Outputs schema, so a passing call also proves the result has the documented shape.
#include <filesystem>
#include <set>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "support/files.hpp"
#include "support/run.hpp"

namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using secpilot::testing::RunResult;

const std::string kCli = std::string(SECPILOT_BINARY_DIR) + "/bin/secpilot";
const std::string kPlugin = std::string(SECPILOT_BINARY_DIR) + "/plugins/policy";
const fs::path kData = fs::path(POLICY_TEST_DATA);

// Local mode against this plugin only, whatever the environment says about a daemon.
RunResult cli(std::vector<std::string> args) {
  args.insert(args.begin(), {kCli, "--plugins-dir", kPlugin});
  return secpilot::testing::run(args, {.env = {"SECPILOT_SERVER", "SECPILOT_KEY"}, .input = {}});
}

std::string data(const std::string& file) {
  return secpilot::testing::read_file(kData / file);
}

std::set<std::string> rules(const json::object& result) {
  std::set<std::string> out;
  for (const auto& f : result.at("findings").as_array())
    out.insert(std::string(f.at("rule").as_string()));
  return out;
}

TEST(PolicyCli, AnalyzesTheCorpExampleExportPassedAsInputs) {
  auto run = cli({"invoke", "Policy.AnalyzePolicies", "--input",
                  "policies=" + data("corp-example-entra.json"), "--input",
                  "names=" + data("corp-example-names.json")});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto result = json::parse(run.out).as_object();
  EXPECT_EQ(result.at("policy_count"), 12);
  EXPECT_EQ(result.at("enforced"), 8);
  EXPECT_EQ(result.at("report_only"), 3);
  EXPECT_EQ(result.at("disabled"), 1);
  EXPECT_EQ(result.at("severity_counts").at("high"), 3);
  const auto found = rules(result);
  for (const char* rule : {"block-overrides-grant", "block-without-emergency-exclusion",
                           "legacy-auth-not-blocked", "admins-without-mfa", "guests-without-mfa",
                           "duplicate-policy", "redundant-policy", "no-sign-in-risk-policy"})
    EXPECT_TRUE(found.count(rule)) << rule << "\n" << run.out;
  const auto& first = result.at("findings").as_array().at(0).as_object();
  EXPECT_EQ(first.at("severity"), "high");
  EXPECT_EQ(result.at("policies").as_array().at(0).at("summary"),
            "Requires MFA for all users except the break-glass accounts, guests and external "
            "users, the role Directory Synchronization Accounts and group CA-Exclusions on all "
            "cloud apps; enforced");
  EXPECT_EQ(result.at("emergency_accounts").at("source"), "inferred");
}

TEST(PolicyCli, ChecksAProposedPolicyAgainstTheSet) {
  const json::object inputs{{"policies", data("corp-example-entra.json")},
                            {"names", data("corp-example-names.json")},
                            {"proposed", data("proposed-block-legacy.json")}};
  auto run = cli({"invoke", "Policy.AnalyzePolicies", "--json", json::serialize(inputs)});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto proposed = json::parse(run.out).at("proposed").as_object();
  EXPECT_EQ(proposed.at("verdict"), "Duplicates 1 policy and closes 1 gap.");
  EXPECT_EQ(proposed.at("duplicates").as_array().at(0).at("policies").as_array().at(1).at("name"),
            "CA002: Block legacy authentication");
  EXPECT_EQ(proposed.at("closes").as_array().at(0).at("rule"), "legacy-auth-not-blocked");
}

TEST(PolicyCli, TheCleanTenantHasNoFindingAndGivenBreakGlassAccountsAreUsed) {
  auto run = cli({"invoke", "Policy.AnalyzePolicies", "--input",
                  "policies=" + data("clean-entra.json"), "--input",
                  "emergency_accounts=5c8a0f31-7e0b-4d7a-9c3e-1a2b3c4d5e01, "
                  "5c8a0f31-7e0b-4d7a-9c3e-1a2b3c4d5e02"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto result = json::parse(run.out).as_object();
  EXPECT_TRUE(result.at("findings").as_array().empty()) << run.out;
  EXPECT_EQ(result.at("emergency_accounts").at("source"), "given");
  EXPECT_EQ(result.at("emergency_accounts").at("accounts").as_array().size(), 2u);
}

TEST(PolicyCli, TheGenericShapeWorksToo) {
  auto run = cli(
      {"invoke", "Policy.AnalyzePolicies", "--input", "policies=" + data("generic-policies.json")});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto result = json::parse(run.out).as_object();
  EXPECT_EQ(result.at("policies").as_array().at(0).at("shape"), "generic");
  EXPECT_TRUE(rules(result).count("block-conflicts-with-grant")) << run.out;
}

TEST(PolicyCli, MalformedPoliciesAreInvalidInputWithTheReason) {
  auto run = cli({"invoke", "Policy.AnalyzePolicies", "--input",
                  "policies=" + data("bad-include-users-string.json")});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("invalid_input"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("conditions.users.includeUsers must be an array of strings"),
            std::string::npos)
      << run.err;

  run = cli(
      {"invoke", "Policy.AnalyzePolicies", "--input", "policies=" + data("bad-truncated.json")});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("is not valid JSON"), std::string::npos) << run.err;

  run = cli({"invoke", "Policy.AnalyzePolicies"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("missing required input 'policies'"), std::string::npos) << run.err;
}

TEST(PolicyCli, TheShippedManifestLintsCleanAndDescribesItsSkill) {
  auto lint = cli({"manifest", "lint", kPlugin + "/policy.yaml"});
  EXPECT_EQ(lint.exit_code, 0) << lint.out << lint.err;
  EXPECT_EQ(lint.out, "") << lint.out;

  auto show = cli({"skills", "show", "Policy.AnalyzePolicies", "--json"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  const auto skill = json::parse(show.out).as_object();
  std::set<std::string> inputs;
  for (const auto& input : skill.at("inputs").as_array())
    inputs.insert(std::string(input.at("name").as_string()));
  EXPECT_EQ(inputs, (std::set<std::string>{"policies", "proposed", "names", "emergency_accounts"}));
}

}  // namespace
