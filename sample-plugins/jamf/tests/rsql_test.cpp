// RSQL building: every value quoted and escaped, so that no input can add an operator.
#include <gtest/gtest.h>

#include "jamf/computer_filter.hpp"
#include "jamf/rsql.hpp"

namespace jamf {
namespace {

TEST(Rsql, QuotesEveryValue) {
  EXPECT_EQ(rsql::quote("mbp-fin-12"), "\"mbp-fin-12\"");
  EXPECT_EQ(rsql::compare("general.name", "==", "mbp-fin-12"), "general.name==\"mbp-fin-12\"");
}

TEST(Rsql, EscapesQuotesAndBackslashes) {
  EXPECT_EQ(rsql::quote(R"(a"b)"), R"("a\"b")");
  EXPECT_EQ(rsql::quote(R"(c:\x)"), R"("c:\\x")");
  EXPECT_EQ(rsql::quote("Dana's MacBook Air"), "\"Dana's MacBook Air\"");
}

TEST(Rsql, OperatorsInsideAValueStayInsideTheQuotes) {
  // Without quoting, this would add "or every computer".
  EXPECT_EQ(rsql::compare("general.name", "==", R"(x",general.name=="*)"),
            R"(general.name=="x\",general.name==\"*")");
  EXPECT_EQ(rsql::compare("general.name", "==", "a;b,c (d)"), R"x(general.name=="a;b,c (d)")x");
}

TEST(Rsql, KeepsTheWildcard) {
  EXPECT_EQ(rsql::compare("operatingSystem.version", "==", "13.*"),
            R"(operatingSystem.version=="13.*")");
}

TEST(Rsql, RefusesUnknownOperators) {
  EXPECT_THROW(rsql::compare("id", "=like=", "1"), std::invalid_argument);
}

TEST(Rsql, JoinsTermsWithAndAndParenthesisesOrGroups) {
  EXPECT_EQ(rsql::all_of({}), "");
  EXPECT_EQ(rsql::all_of({"a==\"1\"", "", "b==\"2\""}), "a==\"1\";b==\"2\"");
  EXPECT_EQ(rsql::any_of({"a==\"1\"", "b==\"2\""}), "(a==\"1\",b==\"2\")");
  EXPECT_EQ(rsql::any_of({}), "");
}

TEST(ComputerFilter, NothingGivenIsNoFilter) {
  EXPECT_EQ(to_rsql({}), "");
}

TEST(ComputerFilter, CombinesEveryCriterion) {
  ComputerFilter filter;
  filter.name = "mbp-fin-*";
  filter.serial = "C02FN12MBP7Q";
  filter.user = "jchen@corp.example";
  filter.os_version = "13.*";
  filter.checked_in_before = parse_timestamp("2026-11-13");
  filter.checked_in_after = parse_timestamp("2026-11-01T08:00:00+02:00");
  EXPECT_EQ(to_rsql(filter), R"(general.name=="mbp-fin-*";hardware.serialNumber=="C02FN12MBP7Q";)"
                             R"((userAndLocation.username=="jchen@corp.example",)"
                             R"(userAndLocation.email=="jchen@corp.example",)"
                             R"(userAndLocation.realname=="jchen@corp.example");)"
                             R"(operatingSystem.version=="13.*";)"
                             R"(general.lastContactTime<"2026-11-13T00:00:00Z";)"
                             R"(general.lastContactTime>="2026-11-01T06:00:00Z")");
}

}  // namespace
}  // namespace jamf
