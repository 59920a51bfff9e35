// Syntax errors: the exact place, a message that says what is wrong, a hint that says how to fix
// it, and recovery so that one query reports several independent mistakes.
#include "test_support.hpp"

namespace kql {
namespace {

struct Expected {
  uint32_t line;
  uint32_t column;
  std::string message_part;
  std::string hint_part;
};

void expect_errors(std::string_view text, const std::vector<Expected>& expected) {
  const ParseResult parsed = parse(text);
  const std::string all = testing::describe(parsed.diagnostics);
  ASSERT_EQ(parsed.diagnostics.size(), expected.size()) << text << "\n" << all;
  for (size_t i = 0; i < expected.size(); ++i) {
    const Diagnostic& d = parsed.diagnostics[i];
    EXPECT_EQ(d.severity, Severity::Error);
    EXPECT_EQ(d.code, "syntax");
    EXPECT_EQ(d.range.line, expected[i].line) << text << "\n" << all;
    EXPECT_EQ(d.range.column, expected[i].column) << text << "\n" << all;
    EXPECT_NE(d.message.find(expected[i].message_part), std::string::npos) << all;
    EXPECT_NE(d.hint.find(expected[i].hint_part), std::string::npos) << all;
  }
}

TEST(ParserErrors, MissingConditionAfterWhere) {
  expect_errors("SigninLogs\n| where\n| take 5",
                {{3, 1, "expected a condition after 'where'", "ago(1d)"}});
}

TEST(ParserErrors, MisspeltOperatorSuggestsTheRightOne) {
  expect_errors("T | projct a, b", {{1, 5, "unknown operator 'projct'", "did you mean 'project'"}});
}

TEST(ParserErrors, SqlHabitsGetKqlHints) {
  expect_errors("T | select a", {{1, 5, "unknown operator 'select'", "project"}});
  expect_errors("T | where a like \"x%\"", {{1, 13, "no 'like'", "has, contains"}});
  expect_errors("T | where a = 1", {{1, 13, "'=' assigns", "'=='"}});
  expect_errors("T | where a == 1 AND b == 2", {{1, 18, "'AND' must be written 'and'", "'and'"}});
  expect_errors("T | where not a", {{1, 11, "'not' is a function", "not(condition)"}});
  expect_errors("T | Where a == 1", {{1, 5, "unknown operator 'Where'", "did you mean 'where'"}});
}

TEST(ParserErrors, RecoversAtEachPipeAndReportsEveryMistake) {
  const ParseResult parsed = parse("DeviceInfo\n| projct a\n| where\n| summarize by\n| take 10");
  ASSERT_EQ(parsed.diagnostics.size(), 3u) << testing::describe(parsed.diagnostics);
  EXPECT_EQ(parsed.diagnostics[0].range.line, 2u);
  EXPECT_EQ(parsed.diagnostics[1].range.line, 4u);
  EXPECT_EQ(parsed.diagnostics[2].range.line, 5u);
  // The good operator after the bad ones is still in the tree.
  const Query& query = testing::first_query(parsed);
  ASSERT_EQ(query.pipeline.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<TakeOperator>(query.pipeline[0].node));
}

TEST(ParserErrors, PipeProblems) {
  expect_errors("T |", {{1, 4, "expected an operator after '|'", "remove the '|'"}});
  expect_errors("T | | take 1", {{1, 5, "expected an operator after '|'", ""}});
  expect_errors("| where x", {{1, 1, "no table before its first '|'", "start with a table"}});
  expect_errors("T where x == 1", {{1, 3, "unexpected 'where'", "'| where ...'"}});
}

TEST(ParserErrors, UnbalancedParentheses) {
  expect_errors("T | where f(a, b", {{1, 17, "expected ')' to close the call to f", ")"}});
  expect_errors("T | take 10)", {{1, 12, "unexpected ')'", "remove the extra ')'"}});
  expect_errors("T | where (a == 1", {{1, 18, "expected ')'", "line 1, column 11"}});
}

TEST(ParserErrors, JoinAndSortShapes) {
  expect_errors("T | join (U)", {{1, 13, "expected 'on'", "$left.DeviceId"}});
  expect_errors("T | join kind=lefouter (U) on Id",
                {{1, 10, "'lefouter' is not a join kind", "kind=leftouter"}});
  expect_errors("T | sort Timestamp", {{1, 10, "expected 'by' after 'sort'", "sort by"}});
  expect_errors("T | top by x", {{1, 9, "expected how many rows after 'top'", "top 10 by"}});
  expect_errors("T | join (U) on $left.a == $left.b",
                {{1, 28, "both sides of the join condition are $left", "$right"}});
}

TEST(ParserErrors, ListsAndLiterals) {
  expect_errors("T | where a in ()", {{1, 17, "the list is empty", "at least one"}});
  expect_errors("T | where t > datetime(2024-13-01)",
                {{1, 15, "'2024-13-01' is not a date", "datetime(2024-01-31)"}});
  expect_errors("T | where g == guid(not-a-guid)", {{1, 16, "is not a GUID", "guid("}});
  expect_errors("T | extend d = dynamic([a])",
                {{1, 25, "expected a constant inside dynamic", "pack_array"}});
  expect_errors("T | where a == long(x)", {{1, 21, "needs a constant", "tolong(x)"}});
}

TEST(ParserErrors, StringProblemsComeFromTheLexer) {
  expect_errors("T\n| where Path == \"C:\\Temp\"",
                {{2, 20, "'\\T' is not an escape", "@\"C:\\Windows\\System32\""}});
  expect_errors("T\n| where a == \"open\n| take 1", {{2, 14, "not closed", "```"}});
}

TEST(ParserErrors, LetStatements) {
  expect_errors("let x = 1", {{1, 10, "is not followed by a query", "end it with ';'"}});
  expect_errors("let f = (a:string) { T }; f(\"x\")", {{1, 9, "user-defined functions", "inline"}});
  expect_errors("let = 5; T", {{1, 5, "expected a name after 'let'", ""}});
}

TEST(ParserErrors, UnsupportedOperatorsSaySo) {
  expect_errors("T | mv-apply x on (take 1)",
                {{1, 5, "'mv-apply' is not supported", "docs/plugins/kql.md"}});
}

TEST(ParserErrors, DiagnosticsArePositionOrdered) {
  const ParseResult parsed = parse("T | projct a | where x = \"\\q\"");
  ASSERT_GE(parsed.diagnostics.size(), 2u);
  for (size_t i = 1; i < parsed.diagnostics.size(); ++i)
    EXPECT_LE(parsed.diagnostics[i - 1].range.offset, parsed.diagnostics[i].range.offset);
}

TEST(ParserErrors, ErrorCountIsBounded) {
  std::string text = "T";
  for (int i = 0; i < 500; ++i)
    text += " | projct a";
  const ParseResult parsed = parse(text);
  EXPECT_EQ(parsed.diagnostics.size(), ParseOptions{}.max_diagnostics);
  EXPECT_NE(parsed.diagnostics.back().hint.find("further errors were not reported"),
            std::string::npos);
}

}  // namespace
}  // namespace kql
