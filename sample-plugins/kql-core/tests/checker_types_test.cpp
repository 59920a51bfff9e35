// Type errors, unknown functions, argument counts and aggregation rules.
#include "test_support.hpp"

namespace kql {
namespace {

using testing::check_text;
using testing::find_code;

const Diagnostic& only_error(const CheckResult& result, std::string_view code) {
  const Diagnostic* d = find_code(result.diagnostics, code);
  if (!d)
    throw std::runtime_error("no " + std::string(code) + ":\n" +
                             testing::describe(result.diagnostics));
  return *d;
}

TEST(CheckerTypes, AgoNeedsATimespan) {
  const auto result = check_text("DeviceInfo | where Timestamp > ago(7)");
  const Diagnostic& d = only_error(result, "type-mismatch");
  EXPECT_EQ(d.range.column, 36u);
  EXPECT_NE(d.message.find("ago() needs a timespan"), std::string::npos);
  EXPECT_NE(d.hint.find("ago(1d)"), std::string::npos);
}

TEST(CheckerTypes, DatetimeComparedWithStringSuggestsADatetimeLiteral) {
  const auto result = check_text("DeviceInfo | where Timestamp > \"2024-01-01\"");
  const Diagnostic& d = only_error(result, "type-mismatch");
  EXPECT_EQ(d.range.column, 20u);
  EXPECT_NE(d.message.find("compares a datetime with a string"), std::string::npos);
  EXPECT_NE(d.hint.find("datetime(2024-01-31)"), std::string::npos);
}

TEST(CheckerTypes, DatetimeComparedWithTimespanSuggestsAgo) {
  const auto result = check_text("DeviceInfo | where Timestamp > 1d");
  EXPECT_NE(only_error(result, "type-mismatch").hint.find("Timestamp > ago(1d)"),
            std::string::npos);
}

TEST(CheckerTypes, HasOnANumberIsAnError) {
  const auto result =
      check_text("DeviceNetworkEvents | where Timestamp > ago(1d) | where RemotePort has \"443\"");
  const Diagnostic& d = only_error(result, "type-mismatch");
  EXPECT_NE(d.message.find("'has' works on text, but 'RemotePort' is an int"), std::string::npos);
  EXPECT_NE(d.hint.find("=="), std::string::npos);
}

TEST(CheckerTypes, StringColumnComparedWithANumberSuggestsQuotes) {
  const auto result =
      check_text("SigninLogs | where TimeGenerated > ago(1d) | where ResultType == 0");
  EXPECT_NE(only_error(result, "type-mismatch").hint.find("ResultType == \"0\""),
            std::string::npos);
  // The numeric column compares with numbers fine.
  EXPECT_TRUE(
      check_text("SecurityEvent | where TimeGenerated > ago(1d) | where EventID == 4625").ok());
}

TEST(CheckerTypes, CaseInsensitiveEqualityIsForText) {
  const auto result =
      check_text("SecurityEvent | where TimeGenerated > ago(1d) | where EventID =~ 4625");
  EXPECT_NE(only_error(result, "type-mismatch").message.find("'=~' compares text"),
            std::string::npos);
}

TEST(CheckerTypes, UnknownFunctionSuggestsTheClosest) {
  const auto result =
      check_text("DeviceInfo | where Timestamp > ago(1d) | extend x = tolowr(DeviceName)");
  const Diagnostic& d = only_error(result, "unknown-function");
  EXPECT_EQ(d.range.column, 53u);
  EXPECT_EQ(d.range.length, 6u);
  EXPECT_NE(d.message.find("Did you mean 'tolower'?"), std::string::npos);
}

TEST(CheckerTypes, WrongArgumentCount) {
  const auto result = check_text("DeviceInfo | where Timestamp > ago()");
  const Diagnostic& d = only_error(result, "argument-count");
  EXPECT_NE(d.message.find("ago() takes 1 argument, not 0"), std::string::npos);
  EXPECT_NE(d.hint.find("ago(1d)"), std::string::npos);
  const auto many =
      check_text("DeviceInfo | where Timestamp > ago(1d) | extend s = substring(DeviceName)");
  EXPECT_NE(only_error(many, "argument-count").message.find("2 to 3 arguments"), std::string::npos);
}

TEST(CheckerTypes, BinOfADateNeedsATimespan) {
  const auto result = check_text(
      "DeviceInfo | where Timestamp > ago(1d) | summarize count() by bin(Timestamp, 60)");
  EXPECT_NE(only_error(result, "type-mismatch").message.find("timespan bin size"),
            std::string::npos);
}

TEST(CheckerTypes, AggregationsBelongInSummarize) {
  const auto outside = check_text("DeviceInfo | where Timestamp > ago(1d) | extend n = count()");
  EXPECT_NE(only_error(outside, "aggregate-outside-summarize").hint.find("summarize"),
            std::string::npos);
  const auto scalar = check_text(
      "DeviceInfo | where Timestamp > ago(1d) | summarize tolower(DeviceName) by OSPlatform");
  EXPECT_NE(only_error(scalar, "not-an-aggregate").hint.find("'by'"), std::string::npos);
  EXPECT_TRUE(
      check_text("DeviceInfo | where Timestamp > ago(1d) | summarize n = round(avg(OSBuild), "
                 "1) * 2 by OSPlatform")
          .ok());
}

TEST(CheckerTypes, WhereNeedsACondition) {
  const auto result = check_text("DeviceInfo | where Timestamp > ago(1d) | where DeviceName");
  const Diagnostic& d = only_error(result, "type-mismatch");
  EXPECT_NE(d.message.find("is a string, not true/false"), std::string::npos);
  EXPECT_NE(d.hint.find("isnotempty(DeviceName)"), std::string::npos);
}

TEST(CheckerTypes, PropertiesOfTextNeedParseJson) {
  const auto result =
      check_text("EmailEvents | where Timestamp > ago(1d) | extend x = AdditionalFields.Foo");
  EXPECT_NE(only_error(result, "type-mismatch").hint.find("parse_json(AdditionalFields).Foo"),
            std::string::npos);
}

TEST(CheckerTypes, TextIsJoinedWithStrcatNotPlus) {
  const auto result =
      check_text("DeviceInfo | where Timestamp > ago(1d) | extend x = DeviceName + OSPlatform");
  EXPECT_NE(only_error(result, "type-mismatch").hint.find("strcat"), std::string::npos);
}

TEST(CheckerTypes, InListOfTheWrongType) {
  const auto result =
      check_text("DeviceNetworkEvents | where Timestamp > ago(1d) | where RemotePort in (\"443\")");
  EXPECT_NE(find_code(result.diagnostics, "type-mismatch"), nullptr);
  const auto table = check_text(
      "DeviceNetworkEvents | where Timestamp > ago(1d) | where RemoteIP in (DeviceInfo)");
  EXPECT_NE(find_code(table.diagnostics, "in-table-columns"), nullptr);
}

TEST(CheckerTypes, ResultTypesOfFunctionsFlow) {
  const auto result = check_text(
      "DeviceInfo | where Timestamp > ago(1d)\n"
      "| extend a = iff(OSBuild > 100, \"new\", \"old\"), b = datetime_diff('day', now(), "
      "Timestamp), c = split(DeviceName, \".\")[0], d = extract(@\"(\\d+)\", 1, OSVersion, "
      "typeof(long)), e = coalesce(PublicIP, \"none\")\n"
      "| project a, b, c, d, e");
  EXPECT_TRUE(result.ok()) << testing::describe(result.diagnostics);
  std::vector<std::string> types;
  for (const auto& column : result.output.columns)
    types.emplace_back(type_name(column.type));
  EXPECT_EQ(types, (std::vector<std::string>{"string", "long", "dynamic", "long", "string"}));
}

TEST(CheckerTypes, MvExpandNeedsADynamicValue) {
  const auto result =
      check_text("DeviceInfo | where Timestamp > ago(1d) | mv-expand LoggedOnUsers");
  EXPECT_NE(only_error(result, "type-mismatch").hint.find("parse_json(LoggedOnUsers)"),
            std::string::npos);
}

TEST(CheckerTypes, LetsSeeOnlyEarlierLets) {
  const auto result = check_text("let a = b + 1; DeviceInfo | take 1");
  EXPECT_NE(find_code(result.diagnostics, "unknown-name"), nullptr);
}

}  // namespace
}  // namespace kql
