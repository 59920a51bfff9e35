// The schema flowing down a pipeline: which columns exist after each operator, and the
// unknown-table / unknown-column errors with their suggestions.
#include "test_support.hpp"

namespace kql {
namespace {

using testing::check_text;
using testing::find_code;

std::vector<std::string> names(const TableSchema& schema) {
  return schema.column_names();
}

std::string type_of_column(const TableSchema& schema, std::string_view name) {
  const Column* column = schema.find(name);
  return column ? std::string(type_name(column->type)) : "missing";
}

TEST(CheckerFlow, UnknownTableSuggestsTheClosestTable) {
  const auto result = check_text("DeviceProcesEvents | take 1");
  const Diagnostic* d = find_code(result.diagnostics, "unknown-table");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->range.column, 1u);
  EXPECT_EQ(d->range.length, 18u);
  EXPECT_NE(d->message.find("Did you mean 'DeviceProcessEvents'?"), std::string::npos);
  // An unknown table does not cascade into unknown-column errors.
  EXPECT_EQ(result.diagnostics.size(), 1u) << testing::describe(result.diagnostics);
}

TEST(CheckerFlow, UnknownColumnSuggestsTheClosestColumnAtItsPosition) {
  const auto result = check_text(
      "DeviceProcessEvents\n| where Timestamp > ago(1d)\n| where ProcesCommandLine has \"x\"");
  const Diagnostic* d = find_code(result.diagnostics, "unknown-column");
  ASSERT_NE(d, nullptr) << testing::describe(result.diagnostics);
  EXPECT_EQ(d->range.line, 3u);
  EXPECT_EQ(d->range.column, 9u);
  EXPECT_EQ(d->range.length, 17u);
  EXPECT_NE(d->message.find("Did you mean 'ProcessCommandLine'?"), std::string::npos);
  EXPECT_EQ(d->hint, "write 'ProcessCommandLine'");
}

TEST(CheckerFlow, ColumnNamesAreCaseSensitive) {
  const auto result =
      check_text("SigninLogs | where TimeGenerated > ago(1d) | where resulttype == \"0\"");
  const Diagnostic* d = find_code(result.diagnostics, "unknown-column");
  ASSERT_NE(d, nullptr);
  EXPECT_NE(d->hint.find("case-sensitive"), std::string::npos);
}

TEST(CheckerFlow, ProjectKeepsOnlyWhatItNamesAndSaysWhoDroppedAColumn) {
  const auto result = check_text(
      "DeviceProcessEvents | where Timestamp > ago(1d)\n| project Timestamp, DeviceName, Cmd = "
      "ProcessCommandLine\n| where FileName == \"x\"");
  EXPECT_EQ(names(result.output), (std::vector<std::string>{"Timestamp", "DeviceName", "Cmd"}));
  EXPECT_EQ(type_of_column(result.output, "Cmd"), "string");
  const Diagnostic* d = find_code(result.diagnostics, "unknown-column");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->range.line, 3u);
  EXPECT_NE(d->message.find("no longer available"), std::string::npos);
  EXPECT_NE(d->message.find("the project at line 2, column 3"), std::string::npos);
}

TEST(CheckerFlow, ExtendAddsTypedColumnsVisibleToLaterOnes) {
  const auto result = check_text(
      "DeviceLogonEvents | where Timestamp > ago(1d)\n"
      "| extend Age = now() - Timestamp, Hours = Age / 1h, Upper = toupper(AccountName)\n"
      "| project Age, Hours, Upper");
  EXPECT_TRUE(result.ok()) << testing::describe(result.diagnostics);
  EXPECT_EQ(type_of_column(result.output, "Age"), "timespan");
  EXPECT_EQ(type_of_column(result.output, "Hours"), "real");
  EXPECT_EQ(type_of_column(result.output, "Upper"), "string");
}

TEST(CheckerFlow, SummarizeOutputsGroupKeysThenAggregatesWithKqlNames) {
  const auto result = check_text(
      "DeviceNetworkEvents | where Timestamp > ago(1d)\n"
      "| summarize count(), dcount(RemoteIP), Ports = make_set(RemotePort), max(Timestamp) "
      "by DeviceName, bin(Timestamp, 1h)");
  EXPECT_TRUE(result.ok()) << testing::describe(result.diagnostics);
  EXPECT_EQ(names(result.output),
            (std::vector<std::string>{"DeviceName", "Timestamp", "count_", "dcount_RemoteIP",
                                      "Ports", "max_Timestamp"}));
  EXPECT_EQ(type_of_column(result.output, "count_"), "long");
  EXPECT_EQ(type_of_column(result.output, "Ports"), "dynamic");
  EXPECT_EQ(type_of_column(result.output, "max_Timestamp"), "datetime");
  EXPECT_EQ(type_of_column(result.output, "Timestamp"), "datetime");
}

TEST(CheckerFlow, ArgMaxWithStarKeepsEveryColumn) {
  const auto result = check_text(
      "DeviceInfo | where Timestamp > ago(1d) | summarize arg_max(Timestamp, *) by DeviceId");
  EXPECT_EQ(result.output.columns.front().name, "DeviceId");
  EXPECT_EQ(result.output.columns[1].name, "Timestamp");
  EXPECT_NE(result.output.find("OSPlatform"), nullptr);
  EXPECT_EQ(result.output.columns.size(),
            testing::shipped_catalogue().find("DeviceInfo")->columns.size());
}

TEST(CheckerFlow, AfterSummarizeOnlyItsColumnsExist) {
  const auto result = check_text(
      "SigninLogs | where TimeGenerated > ago(1d) | summarize n = count() by UserPrincipalName"
      " | where IPAddress == \"1.2.3.4\"");
  const Diagnostic* d = find_code(result.diagnostics, "unknown-column");
  ASSERT_NE(d, nullptr);
  EXPECT_NE(d->message.find("the summarize at line 1"), std::string::npos);
}

TEST(CheckerFlow, JoinAddsTheRightColumnsWithASuffixOnCollisions) {
  const auto result = check_text(
      "DeviceLogonEvents | where Timestamp > ago(1d) | project DeviceId, AccountName\n"
      "| join kind=inner (DeviceInfo | where Timestamp > ago(1d) | project DeviceId, OSPlatform) "
      "on DeviceId");
  EXPECT_TRUE(result.ok()) << testing::describe(result.diagnostics);
  EXPECT_EQ(names(result.output),
            (std::vector<std::string>{"DeviceId", "AccountName", "DeviceId1", "OSPlatform"}));
}

TEST(CheckerFlow, AntiAndSemiJoinsKeepOneSide) {
  const auto left = check_text(
      "DeviceInfo | where Timestamp > ago(1d) | project DeviceId, DeviceName | join kind=leftanti "
      "(DeviceLogonEvents | where Timestamp > ago(1d)) on DeviceId");
  EXPECT_EQ(names(left.output), (std::vector<std::string>{"DeviceId", "DeviceName"}));
  const auto right = check_text(
      "DeviceInfo | where Timestamp > ago(1d) | project DeviceId | join kind=rightsemi "
      "(DeviceLogonEvents | where Timestamp > ago(1d) | project DeviceId, LogonType) on DeviceId");
  EXPECT_EQ(names(right.output), (std::vector<std::string>{"DeviceId", "LogonType"}));
}

TEST(CheckerFlow, JoinKeysMustExistOnTheirSide) {
  const auto result = check_text(
      "DeviceInfo | where Timestamp > ago(1d) | join (EmailEvents | where Timestamp > ago(1d)) "
      "on $left.DeviceId == $right.DeviceId");
  const Diagnostic* d = find_code(result.diagnostics, "unknown-column");
  ASSERT_NE(d, nullptr);
  EXPECT_NE(d->message.find("the join's right side"), std::string::npos);
  EXPECT_EQ(d->range.column, 110u);
}

TEST(CheckerFlow, UnionOuterInnerAndWithSource) {
  const auto outer = check_text(
      "union withsource=Table DeviceLogonEvents, DeviceNetworkEvents | where Timestamp > ago(1h)"
      " | project Table, LogonType, RemoteUrl");
  EXPECT_TRUE(outer.ok()) << testing::describe(outer.diagnostics);
  const auto inner = check_text(
      "union kind=inner DeviceLogonEvents, DeviceNetworkEvents | where Timestamp > ago(1h) "
      "| project LogonType");
  ASSERT_NE(find_code(inner.diagnostics, "unknown-column"), nullptr);
  EXPECT_EQ(outer.tables, (std::vector<std::string>{"DeviceLogonEvents", "DeviceNetworkEvents"}));
}

TEST(CheckerFlow, ParseAndMvExpandAddColumns) {
  const auto result = check_text(
      "Syslog | where TimeGenerated > ago(1d)\n"
      "| parse SyslogMessage with * \"port \" Port:int \" \" Rest\n"
      "| extend Parts = split(Rest, \",\")\n"
      "| mv-expand with_itemindex=I Part = Parts to typeof(string)\n"
      "| project Port, Part, I");
  EXPECT_TRUE(result.ok()) << testing::describe(result.diagnostics);
  EXPECT_EQ(type_of_column(result.output, "Port"), "int");
  EXPECT_EQ(type_of_column(result.output, "Part"), "string");
  EXPECT_EQ(type_of_column(result.output, "I"), "long");
}

TEST(CheckerFlow, RenameAwayKeepAndCount) {
  const auto result = check_text(
      "DeviceFileEvents | where Timestamp > ago(1d) | project-away Initiating*, Request*, "
      "Previous* | project-rename Host = DeviceName | project-keep Host, File* | count");
  EXPECT_TRUE(result.ok()) << testing::describe(result.diagnostics);
  EXPECT_EQ(names(result.output), (std::vector<std::string>{"Count"}));
  const auto renamed = check_text(
      "DeviceFileEvents | where Timestamp > ago(1d) | project-rename Host = DeviceName | "
      "project DeviceName");
  ASSERT_NE(find_code(renamed.diagnostics, "unknown-column"), nullptr);
}

TEST(CheckerFlow, LetsCarryTypesAndSchemas) {
  const auto result = check_text(
      "let since = ago(2d);\n"
      "let Admins = DeviceLogonEvents | where Timestamp > since | where IsLocalAdmin | "
      "project DeviceId, AccountName;\n"
      "Admins | join kind=inner (DeviceInfo | where Timestamp > since | project DeviceId, "
      "OSPlatform) on DeviceId | project AccountName, OSPlatform");
  EXPECT_TRUE(result.ok()) << testing::describe(result.diagnostics);
  EXPECT_EQ(names(result.output), (std::vector<std::string>{"AccountName", "OSPlatform"}));
  EXPECT_EQ(result.tables, (std::vector<std::string>{"DeviceLogonEvents", "DeviceInfo"}));
}

TEST(CheckerFlow, EvaluateOpensTheSchema) {
  const auto result = check_text(
      "DeviceEvents | where Timestamp > ago(1d) | evaluate bag_unpack(AdditionalFields) "
      "| where AnythingFromTheBag == 1");
  EXPECT_TRUE(result.ok()) << testing::describe(result.diagnostics);
  EXPECT_TRUE(result.output.open);
}

TEST(CheckerFlow, ScriptWithOnlyLetsIsAnError) {
  const auto result = check_text("let x = 1;");
  EXPECT_NE(find_code(result.diagnostics, "no-query"), nullptr);
}

}  // namespace
}  // namespace kql
