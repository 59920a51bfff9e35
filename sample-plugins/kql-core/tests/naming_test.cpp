// The names KQL gives unnamed result columns, shared by the checker and executors.
#include "kql/naming.hpp"
#include "test_support.hpp"

namespace kql {
namespace {

std::vector<std::string> summarize_names(std::string_view aggregates) {
  const ParseResult parsed = parse("T | summarize " + std::string(aggregates) + " by X");
  EXPECT_TRUE(parsed.ok()) << testing::describe(parsed.diagnostics);
  const auto& summarize =
      std::get<SummarizeOperator>(testing::first_query(parsed).pipeline.front().node);
  return output_names(summarize.aggregates, NamingContext::Aggregate);
}

TEST(Naming, AggregatesFollowKqlsConvention) {
  EXPECT_EQ(
      summarize_names("count(), countif(a > 1), dcount(Ip), sum(Bytes), avg(Bytes), "
                      "make_set(Host), make_list(Host), take_any(User), percentile(Ms, 95),"
                      " n = count()"),
      (std::vector<std::string>{"count_", "countif_", "dcount_Ip", "sum_Bytes", "avg_Bytes",
                                "set_Host", "list_Host", "any_User", "percentile_Ms_95", "n"}));
}

TEST(Naming, ColumnsAndGroupKeys) {
  const ParseResult parsed = parse(
      "T | project a, b.c, d[\"e\"], f[0], tolower(g), tolower(h), x = 1 "
      "| summarize count() by bin(Timestamp, 1h), floor(Size, 10), tolower(Name)");
  ASSERT_TRUE(parsed.ok());
  const auto& pipeline = testing::first_query(parsed).pipeline;
  EXPECT_EQ(
      output_names(std::get<ProjectOperator>(pipeline[0].node).columns, NamingContext::Column),
      (std::vector<std::string>{"a", "b_c", "d_e", "f_0", "Column1", "Column2", "x"}));
  EXPECT_EQ(output_names(std::get<SummarizeOperator>(pipeline[1].node).by, NamingContext::GroupBy),
            (std::vector<std::string>{"Timestamp", "Size", "Column1"}));
}

TEST(Naming, PrintNumbersFromZero) {
  const ParseResult parsed = parse("print 1, x = 2, 3");
  const auto& print = std::get<PrintSource>(testing::first_query(parsed).source);
  EXPECT_EQ(output_names(print.columns, NamingContext::Print),
            (std::vector<std::string>{"print_0", "x", "print_1"}));
}

TEST(Naming, ArgMaxExpandsStarWithoutDuplicates) {
  const ParseResult parsed = parse("T | summarize arg_max(Timestamp, *), arg_min(Size, Name)");
  const auto& summarize =
      std::get<SummarizeOperator>(testing::first_query(parsed).pipeline.front().node);
  const auto& arg_max = std::get<CallExpr>(summarize.aggregates[0].expr->node);
  EXPECT_EQ(aggregate_column_names(arg_max, "", {"Timestamp", "Name", "Size"}),
            (std::vector<std::string>{"Timestamp", "Name", "Size"}));
  const auto& arg_min = std::get<CallExpr>(summarize.aggregates[1].expr->node);
  EXPECT_EQ(aggregate_column_names(arg_min, "", {}), (std::vector<std::string>{"Size", "Name"}));
  EXPECT_EQ(aggregate_column_names(arg_min, "Smallest", {}),
            (std::vector<std::string>{"Smallest", "Name"}));
}

TEST(Naming, ArgMaxNumbersColumnsThatAreNotPaths) {
  const ParseResult parsed = parse("T | summarize arg_max(Timestamp, tolower(Name), Size, Id + 1)");
  const auto& summarize =
      std::get<SummarizeOperator>(testing::first_query(parsed).pipeline.front().node);
  const auto& arg_max = std::get<CallExpr>(summarize.aggregates[0].expr->node);
  EXPECT_EQ(aggregate_column_names(arg_max, "", {}),
            (std::vector<std::string>{"Timestamp", "Column1", "Size", "Column2"}));
}

}  // namespace
}  // namespace kql
