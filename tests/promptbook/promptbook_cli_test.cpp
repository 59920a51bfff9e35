// `secpilot promptbook list|show|lint` end to end: the real binary, the shipped promptbooks, the
// sample plugins as the catalog, what a person or a script sees.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <algorithm>
#include <filesystem>

#include "support/files.hpp"
#include "support/run.hpp"
#include "support/temp_dir.hpp"

namespace secpilot {
namespace {

using testing::RunResult;

const std::string kCli = std::string(SECPILOT_BINARY_DIR) + "/bin/secpilot";
const std::string kPlugins = std::string(SECPILOT_BINARY_DIR) + "/plugins";
const std::string kShipped = std::string(SECPILOT_SOURCE_DIR) + "/promptbooks";
const std::string kCorpus = std::string(SECPILOT_SOURCE_DIR) + "/tests/promptbook/corpus";

// Local mode, with no folder from the environment unless a test sets one.
RunResult cli(std::vector<std::string> args, std::vector<std::string> env = {}) {
  args.insert(args.begin(), kCli);
  env.insert(env.end(), {"SECPILOT_SERVER", "SECPILOT_KEY"});
  if (std::none_of(env.begin(), env.end(),
                   [](const std::string& e) { return e.starts_with("SECPILOT_PROMPTBOOKS_DIR="); }))
    env.push_back("SECPILOT_PROMPTBOOKS_DIR");
  return testing::run(args, {.env = env, .input = {}});
}

TEST(PromptbookCli, ListShowsTheShippedPromptbooks) {
  auto run = cli({"promptbook", "list", "--promptbooks-dir", kShipped});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("NAME"), std::string::npos);
  for (const char* name : {"IndicatorTriage", "SuspiciousScriptTriage", "IncidentReport"})
    EXPECT_NE(run.out.find(name), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("indicator, lookback"), std::string::npos) << "the parameters";
  EXPECT_EQ(run.err, "");
}

TEST(PromptbookCli, ListJsonIsForScripts) {
  auto run = cli({"--json", "promptbook", "list", "--promptbooks-dir", kShipped});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto reply = boost::json::parse(run.out).as_object();
  EXPECT_EQ(reply.at("promptbooks").as_array().size(), 3u);
  EXPECT_TRUE(reply.at("broken").as_array().empty());
  const auto& first = reply.at("promptbooks").as_array().at(0).as_object();
  EXPECT_EQ(first.at("name"), "IncidentReport") << "sorted by name";
  EXPECT_EQ(first.at("steps"), 3);
}

TEST(PromptbookCli, FoldersComeFromTheEnvironmentToo) {
  auto run = cli({"promptbook", "list"}, {"SECPILOT_PROMPTBOOKS_DIR=/nonexistent:" + kShipped});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("IndicatorTriage"), std::string::npos) << run.out;
}

TEST(PromptbookCli, ByDefaultTheBuildsPromptbooksFolderIsUsed) {
  // The build copies the shipped promptbooks there (the top-level add_subdirectory(promptbooks)).
  ASSERT_TRUE(std::filesystem::is_directory(std::string(SECPILOT_BINARY_DIR) + "/promptbooks"))
      << "this build has no promptbooks folder: the top-level CMakeLists.txt must keep "
         "add_subdirectory(promptbooks)";
  auto run = cli({"promptbook", "list"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("IndicatorTriage"), std::string::npos) << run.out;
}

TEST(PromptbookCli, ListReportsBrokenFilesAndListsTheRest) {
  testing::TempDir temp;
  testing::write_file(temp / "good.yaml", "Name: Good\nDescription: d\nSteps: [Hello]\n");
  testing::write_file(temp / "bad.yaml", "Name: Bad\nDescription: d\nSteps: [Look up <ip>]\n");
  auto run = cli({"promptbook", "list", "--promptbooks-dir", temp.path().string()});
  ASSERT_EQ(run.exit_code, 0) << "a broken file is not fatal";
  EXPECT_NE(run.out.find("Good"), std::string::npos);
  EXPECT_EQ(run.out.find("Bad"), std::string::npos);
  EXPECT_NE(run.err.find("bad.yaml:3:9: error: step 1 uses <ip>"), std::string::npos) << run.err;
}

TEST(PromptbookCli, ShowPrintsParametersAndStepsAsTheyWillBeSubmitted) {
  auto run = cli({"promptbook", "show", "indicatortriage", "--promptbooks-dir", kShipped});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("IndicatorTriage — Indicator triage"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("lookback"), std::string::npos);
  EXPECT_NE(run.out.find("30d"), std::string::npos) << "the default";
  EXPECT_NE(run.out.find("1. Reputation: /ThreatIntel.LookupIndicator indicator=<indicator>"),
            std::string::npos)
      << run.out;
  EXPECT_NE(
      run.out.find("4. Verdict: Write the SOC report on this session: a verdict on <indicator>"),
      std::string::npos);
}

TEST(PromptbookCli, ShowJsonHasTheWholePromptbook) {
  auto run = cli({"--json", "promptbook", "show", "IncidentReport", "--promptbooks-dir", kShipped});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto view = boost::json::parse(run.out).as_object();
  const auto& parameters = view.at("parameters").as_array();
  ASSERT_EQ(parameters.size(), 2u);
  EXPECT_EQ(parameters.at(1).at("name"), "audience");
  EXPECT_EQ(parameters.at(1).at("default"), "soc_analyst");
  EXPECT_EQ(parameters.at(1).at("required"), false);
  const auto& steps = view.at("steps").as_array();
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(steps.at(2).at("kind"), "skill");
  EXPECT_EQ(steps.at(2).at("skill"), "Incident.WriteReport");
  EXPECT_EQ(steps.at(1).at("kind"), "prompt");
  EXPECT_TRUE(view.at("warnings").as_array().empty());
}

TEST(PromptbookCli, ShowOfAnUnknownNameSuggestsTheClosest) {
  auto run = cli({"promptbook", "show", "IndicatorTriag", "--promptbooks-dir", kShipped});
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.err.find("no promptbook named 'IndicatorTriag' — did you mean IndicatorTriage?"),
            std::string::npos)
      << run.err;
}

TEST(PromptbookCli, ShowOfABrokenPromptbookSaysWhy) {
  testing::TempDir temp;
  testing::write_file(temp / "bad.yaml", "Name: Bad\nDescription: d\nSteps: [Look up <ip>]\n");
  auto run = cli({"promptbook", "show", "Bad", "--promptbooks-dir", temp.path().string()});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("promptbook Bad is broken: promptbook has 1 error(s)"), std::string::npos)
      << run.err;
}

TEST(PromptbookCli, LintOfTheShippedPromptbooksIsClean) {
  auto run =
      cli({"--plugins-dir", kPlugins, "promptbook", "lint", kShipped + "/indicator-triage.yaml",
           kShipped + "/suspicious-script-triage.yaml", kShipped + "/incident-report.yaml"});
  EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_EQ(run.out, "");
  EXPECT_NE(run.err.find("3 file(s): 0 error(s), 0 warning(s)"), std::string::npos) << run.err;
}

TEST(PromptbookCli, LintChecksCallsAgainstThePluginsSkills) {
  testing::TempDir temp;
  testing::write_file(temp / "typo.yaml",
                      "Name: Typo\nDescription: d\nSteps:\n  - Skill: ThreatIntel.LookupIndicatr\n"
                      "    Inputs: {indicator: 192.0.2.1}\n");
  const std::string file = (temp / "typo.yaml").string();
  auto run = cli({"--plugins-dir", kPlugins, "promptbook", "lint", file});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.out, file +
                         ":4:12: error: step 1 calls 'ThreatIntel.LookupIndicatr', which is not in "
                         "the catalog — did you mean ThreatIntel.LookupIndicator?\n");
  EXPECT_NE(run.err.find("1 file(s): 1 error(s), 0 warning(s)"), std::string::npos) << run.err;
}

TEST(PromptbookCli, LintJsonListsEveryDiagnostic) {
  auto run = cli({"--json", "--plugins-dir", kPlugins, "promptbook", "lint",
                  kCorpus + "/bad/duplicate-parameters.yaml"});
  EXPECT_EQ(run.exit_code, 1);
  const auto report = boost::json::parse(run.out).as_array();
  ASSERT_FALSE(report.empty());
  const auto& first = report.at(0).as_object();
  EXPECT_EQ(first.at("severity"), "error");
  EXPECT_EQ(first.at("line"), 6);
  EXPECT_EQ(first.at("column"), 11);
  EXPECT_TRUE(first.at("fix").is_string());
}

TEST(PromptbookCli, LintOfAMissingFileIsAUsageError) {
  auto run = cli({"promptbook", "lint", "/nonexistent/secpilot/pb.yaml"});
  EXPECT_EQ(run.exit_code, 2);
}

}  // namespace
}  // namespace secpilot
