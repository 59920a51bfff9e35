// ValidateKql's result as a caller sees it.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "kql_skills/validate.hpp"
#include "test_catalogue.hpp"

namespace kql_skills {
namespace {

boost::json::object run(std::string_view query, bool latest = false) {
  kql::CheckOptions options;
  options.wants_latest = latest;
  return validation_json(validate(query, testing::catalogue(), options), query);
}

TEST(Validate, AValidQueryListsItsColumnsAndTables) {
  const auto result =
      run("DeviceProcessEvents | where Timestamp > ago(1d) | summarize n = count() by DeviceName");
  EXPECT_EQ(result.at("valid"), true);
  EXPECT_TRUE(result.at("errors").as_array().empty());
  EXPECT_TRUE(result.at("warnings").as_array().empty());
  const auto& columns = result.at("columns").as_array();
  ASSERT_EQ(columns.size(), 2u);
  EXPECT_EQ(columns[0].at("name"), "DeviceName");
  EXPECT_EQ(columns[0].at("type"), "string");
  EXPECT_EQ(columns[1].at("name"), "n");
  EXPECT_EQ(columns[1].at("type"), "long");
  EXPECT_EQ(result.at("columns_complete"), true);
  EXPECT_EQ(result.at("tables").as_array().at(0), "DeviceProcessEvents");
}

TEST(Validate, ErrorsCarryEveryPositionFieldAndAHint) {
  const std::string query =
      "SigninLogs\n| where TimeGenerated > ago(1d)\n| where UserPrincipleName == \"a\"";
  const auto result = run(query);
  EXPECT_EQ(result.at("valid"), false);
  const auto& error = result.at("errors").as_array().at(0).as_object();
  EXPECT_EQ(error.at("code"), "unknown-column");
  EXPECT_EQ(error.at("line"), 3);
  EXPECT_EQ(error.at("column"), 9);
  EXPECT_EQ(error.at("offset"), query.find("UserPrincipleName"));
  EXPECT_EQ(error.at("length"), std::string("UserPrincipleName").size());
  EXPECT_NE(std::string(error.at("message").as_string()).find("UserPrincipalName"),
            std::string::npos);
  EXPECT_EQ(error.at("hint"), "write 'UserPrincipalName'");
}

TEST(Validate, SyntaxErrorsSkipTheSchemaCheck) {
  const auto result = run("DeviceInfo | where | take 5");
  EXPECT_EQ(result.at("valid"), false);
  EXPECT_EQ(result.at("errors").as_array().size(), 1u);
  EXPECT_EQ(result.at("errors").as_array()[0].at("code"), "syntax");
  EXPECT_TRUE(result.at("columns").as_array().empty());
  EXPECT_EQ(result.at("columns_complete"), false);
}

TEST(Validate, WarningsLeaveTheQueryValid) {
  const auto result = run("DeviceProcessEvents | where ProcessCommandLine contains \"mimikatz\"");
  EXPECT_EQ(result.at("valid"), true);
  std::vector<std::string> codes;
  for (const auto& warning : result.at("warnings").as_array())
    codes.emplace_back(warning.at("code").as_string());
  EXPECT_EQ(codes, (std::vector<std::string>{"no-time-filter", "contains-vs-has"}));
}

TEST(Validate, TakeIsReportedWhenTheRequestWantsTheLatestRows) {
  const std::string query = "DeviceProcessEvents | where Timestamp > ago(1d) | take 10";
  EXPECT_TRUE(run(query).at("warnings").as_array().empty());
  EXPECT_EQ(run(query, true).at("warnings").as_array().at(0).at("code"), "take-without-order");
}

TEST(Validate, RecognisesRequestsForTheLatestRows) {
  EXPECT_TRUE(asks_for_latest("show the latest PowerShell processes"));
  EXPECT_TRUE(asks_for_latest("the 10 most recent sign-ins"));
  EXPECT_TRUE(asks_for_latest("last 5 alerts"));
  EXPECT_FALSE(asks_for_latest("sign-ins in the last 5 days"));
  EXPECT_FALSE(asks_for_latest("failed logons over the last 24h"));
  EXPECT_FALSE(asks_for_latest("count processes per device"));
}

}  // namespace
}  // namespace kql_skills
