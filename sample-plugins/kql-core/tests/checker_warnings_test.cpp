// Warnings about costly or misleading queries: they never make a query invalid.
#include "test_support.hpp"

namespace kql {
namespace {

using testing::check_text;
using testing::count_code;
using testing::find_code;

TEST(CheckerWarnings, TableWithoutTimeFilter) {
  const auto result = check_text("DeviceProcessEvents\n| where FileName =~ \"cmd.exe\"");
  EXPECT_TRUE(result.ok());
  const Diagnostic* d = find_code(result.diagnostics, "no-time-filter");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->severity, Severity::Warning);
  EXPECT_EQ(d->range.line, 1u);
  EXPECT_EQ(d->range.column, 1u);
  EXPECT_NE(d->hint.find("| where Timestamp > ago(1d)"), std::string::npos);
  const auto sentinel = check_text("SigninLogs | take 5");
  EXPECT_NE(find_code(sentinel.diagnostics, "no-time-filter")->hint.find("TimeGenerated"),
            std::string::npos);
}

TEST(CheckerWarnings, TimeFiltersInAllTheirForms) {
  for (const char* text : {
           "DeviceInfo | where Timestamp > ago(1d)",
           "DeviceInfo | where Timestamp >= datetime(2024-01-01) and DeviceName has \"x\"",
           "DeviceInfo | where Timestamp between (ago(2d) .. ago(1d))",
           "let since = ago(7d); DeviceInfo | where Timestamp > since",
           "let T = DeviceInfo | where Timestamp > ago(1d); T | count",
           "DeviceInfo | where DeviceName has \"x\" | where ago(1d) < Timestamp",
       }) {
    const auto result = check_text(text);
    EXPECT_EQ(find_code(result.diagnostics, "no-time-filter"), nullptr) << text;
  }
  // A time condition inside `or` does not bound the rows.
  const auto either = check_text("DeviceInfo | where Timestamp > ago(1d) or DeviceName has \"x\"");
  EXPECT_NE(find_code(either.diagnostics, "no-time-filter"), nullptr);
}

TEST(CheckerWarnings, ContainsWhereHasWouldWork) {
  const auto result = check_text(
      "DeviceProcessEvents | where Timestamp > ago(1d) | where ProcessCommandLine contains "
      "\"mimikatz\"");
  const Diagnostic* d = find_code(result.diagnostics, "contains-vs-has");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->range.column, 76u);
  EXPECT_NE(d->hint.find("ProcessCommandLine has \"mimikatz\""), std::string::npos);
  // Text that is not a whole word (a path fragment, a short string) keeps contains.
  for (const char* text :
       {"DeviceFileEvents | where Timestamp > ago(1d) | where FolderPath contains @\"\\Temp\\\"",
        "DeviceFileEvents | where Timestamp > ago(1d) | where FileName contains \"ab\""}) {
    EXPECT_EQ(find_code(check_text(text).diagnostics, "contains-vs-has"), nullptr) << text;
  }
}

TEST(CheckerWarnings, SearchesThatReadEverything) {
  const auto star = check_text("search *");
  EXPECT_EQ(count_code(star.diagnostics, "search-star"), 2u);  // no `in`, and `*`
  const auto unscoped = check_text("search \"evil.example\"");
  EXPECT_NE(find_code(unscoped.diagnostics, "search-star"), nullptr);
  const auto columns = check_text("DeviceInfo | where Timestamp > ago(1d) | where * has \"x\"");
  const Diagnostic* d = find_code(columns.diagnostics, "search-star");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->range.column, 48u);
  const auto scoped = check_text("search in (DeviceInfo) \"x\" | where Timestamp > ago(1d)");
  EXPECT_EQ(find_code(scoped.diagnostics, "search-star"), nullptr);
  EXPECT_EQ(find_code(scoped.diagnostics, "no-time-filter"), nullptr);
}

TEST(CheckerWarnings, JoinWithoutATimeBoundedLeftSide) {
  const auto result = check_text(
      "DeviceLogonEvents\n| join kind=inner (DeviceInfo | where Timestamp > ago(1d)) on DeviceId");
  const Diagnostic* d = find_code(result.diagnostics, "unbounded-join");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->range.line, 2u);
  EXPECT_EQ(d->range.column, 3u);
  EXPECT_NE(d->message.find("DeviceLogonEvents"), std::string::npos);
  const auto bounded = check_text(
      "DeviceLogonEvents | where Timestamp > ago(1d) | join kind=inner (DeviceInfo | where "
      "Timestamp > ago(1d)) on DeviceId");
  EXPECT_TRUE(bounded.diagnostics.empty()) << testing::describe(bounded.diagnostics);
  // An unfiltered right side is still a table read without a time filter.
  const auto right = check_text(
      "DeviceLogonEvents | where Timestamp > ago(1d) | join kind=inner (DeviceInfo) on DeviceId");
  const Diagnostic* r = find_code(right.diagnostics, "no-time-filter");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->range.column, 66u);
}

TEST(CheckerWarnings, TakeThenSortIsNotTheLatest) {
  const auto result = check_text(
      "DeviceProcessEvents | where Timestamp > ago(1d) | take 10 | sort by Timestamp desc");
  const Diagnostic* d = find_code(result.diagnostics, "take-without-order");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->range.column, 51u);
  EXPECT_NE(d->hint.find("top N by Timestamp desc"), std::string::npos);
  const auto top =
      check_text("DeviceProcessEvents | where Timestamp > ago(1d) | top 10 by Timestamp desc");
  EXPECT_TRUE(top.diagnostics.empty());
  const auto sorted = check_text(
      "DeviceProcessEvents | where Timestamp > ago(1d) | sort by Timestamp desc | take 10");
  EXPECT_TRUE(sorted.diagnostics.empty());
}

TEST(CheckerWarnings, TakeWhenTheLatestRowsAreWanted) {
  const std::string text = "DeviceProcessEvents | where Timestamp > ago(1d) | take 10";
  EXPECT_EQ(find_code(check_text(text).diagnostics, "take-without-order"), nullptr);
  CheckOptions latest;
  latest.wants_latest = true;
  EXPECT_NE(find_code(check_text(text, latest).diagnostics, "take-without-order"), nullptr);
}

TEST(CheckerWarnings, WarningsNeverInvalidateAQuery) {
  const auto result =
      check_text("search * | where * contains \"abcdef\" | take 5 | sort by TimeGenerated");
  EXPECT_TRUE(result.ok()) << testing::describe(result.diagnostics);
  EXPECT_GE(result.diagnostics.size(), 3u);
}

}  // namespace
}  // namespace kql
