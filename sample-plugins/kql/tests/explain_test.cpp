// ExplainKql: one step per statement and operator, in plain language, and the summary.
#include <gtest/gtest.h>

#include "kql_skills/explain.hpp"
#include "test_catalogue.hpp"

namespace kql_skills {
namespace {

Explanation run(std::string_view query) {
  return explain(query, testing::catalogue());
}

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

TEST(Explain, StepsAndSummaryOfATypicalHunt) {
  const auto result =
      run("DeviceProcessEvents\n"
          "| where Timestamp > ago(24h) and FileName =~ \"powershell.exe\"\n"
          "| project Timestamp, DeviceName, ProcessCommandLine\n"
          "| take 10");
  ASSERT_EQ(result.steps.size(), 4u);
  EXPECT_EQ(result.steps[0].kind, "source");
  EXPECT_TRUE(contains(result.steps[0].explanation, "Reads DeviceProcessEvents (process creation"));
  EXPECT_EQ(result.steps[1].name, "where");
  EXPECT_EQ(result.steps[1].range.line, 2u);
  EXPECT_EQ(result.steps[1].explanation,
            "Keeps rows from the last 24 hours where FileName is 'powershell.exe' "
            "(case-insensitive).");
  EXPECT_EQ(result.steps[2].explanation,
            "Keeps only the columns Timestamp, DeviceName and ProcessCommandLine.");
  EXPECT_TRUE(contains(result.steps[3].explanation, "at most 10 rows, in no particular order"));
  EXPECT_TRUE(contains(result.summary, "Reads DeviceProcessEvents"));
  EXPECT_TRUE(contains(result.summary,
                       "; keeps rows from the last 24 hours where FileName is "
                       "'powershell.exe' (case-insensitive);"));
  EXPECT_TRUE(contains(result.summary,
                       "The result has the columns Timestamp (datetime), "
                       "DeviceName (string) and ProcessCommandLine (string)."));
  EXPECT_TRUE(result.valid);
}

TEST(Explain, AggregationsGroupsAndOrder) {
  const auto result =
      run("SigninLogs | where TimeGenerated > ago(7d) | where ResultType != \"0\"\n"
          "| summarize Failures = count(), IPs = dcount(IPAddress) by UserPrincipalName, "
          "bin(TimeGenerated, 1h)\n| top 5 by Failures desc");
  ASSERT_EQ(result.steps.size(), 5u);
  EXPECT_EQ(result.steps[1].explanation, "Keeps rows from the last 7 days.");
  EXPECT_EQ(result.steps[2].explanation, "Keeps rows where ResultType is not '0'.");
  EXPECT_EQ(result.steps[3].explanation,
            "Groups the rows by UserPrincipalName and 1-hour bins of TimeGenerated and computes "
            "for each group Failures = the number of rows and IPs = the number of distinct "
            "IPAddress values.");
  EXPECT_EQ(result.steps[4].explanation, "Keeps the 5 rows with the highest (or latest) Failures.");
}

TEST(Explain, StringOperatorsReadNaturally) {
  const auto result =
      run("DeviceProcessEvents | where Timestamp > ago(1d) | where ProcessCommandLine has \"-enc\" "
          "and FolderPath !startswith @\"C:\\Windows\" and FileName in~ (\"a.exe\", \"b.exe\") and "
          "ProcessCommandLine matches regex \"[0-9]+\" and isnotempty(AccountName)");
  EXPECT_EQ(result.steps[2].explanation,
            "Keeps rows where ProcessCommandLine contains the word '-enc', FolderPath does not "
            "start with 'C:\\Windows', FileName is one of 'a.exe' and 'b.exe' (case-insensitive), "
            "ProcessCommandLine matches the regular expression '[0-9]+' and AccountName is not "
            "empty.");
}

TEST(Explain, LetsJoinsAndLaterSteps) {
  const auto result =
      run("let lookback = 3d;\n"
          "let Admins = DeviceLogonEvents | where Timestamp > ago(lookback) | where IsLocalAdmin;\n"
          "Admins\n"
          "| join kind=leftanti (DeviceInfo | where Timestamp > ago(lookback)) on DeviceId\n"
          "| extend Day = startofday(Timestamp)\n"
          "| sort by Day asc");
  ASSERT_GE(result.steps.size(), 8u);
  EXPECT_EQ(result.steps[0].kind, "let");
  EXPECT_EQ(result.steps[0].explanation, "Defines lookback as 3 days.");
  EXPECT_EQ(result.steps[1].explanation, "Defines Admins as a table, built by the next steps.");
  EXPECT_EQ(result.steps[1].statement, 2);
  EXPECT_EQ(result.steps[4].explanation, "Keeps rows where IsLocalAdmin is true.");
  EXPECT_EQ(result.steps[5].explanation, "Starts from Admins.");
  EXPECT_TRUE(contains(result.steps[6].explanation,
                       "on DeviceId, keeping only the left rows that have no match"));
  EXPECT_EQ(result.steps[7].explanation,
            "Adds the column Day = the start of the day of Timestamp.");
  EXPECT_TRUE(contains(result.summary, "Defines lookback (3 days) and Admins"));
}

TEST(Explain, WarningsAppearInTheSummary) {
  const auto result = run("DeviceInfo | take 5");
  EXPECT_TRUE(result.valid);
  EXPECT_TRUE(contains(result.summary, "Note: DeviceInfo is read without a time filter"))
      << result.summary;
}

TEST(Explain, ABrokenQueryStillGetsWhatCanBeExplained) {
  const auto result = run("DeviceInfo | where | project DeviceName");
  EXPECT_FALSE(result.valid);
  ASSERT_EQ(result.steps.size(), 2u);  // the source and the project; the bad where is skipped
  EXPECT_TRUE(contains(result.summary, "The query does not parse: line 1, column 20"))
      << result.summary;
}

}  // namespace
}  // namespace kql_skills
