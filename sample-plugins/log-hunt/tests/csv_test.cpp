// CSV tables: RFC 4180 records, header-named columns, types, and records that do not fit.
#include <gtest/gtest.h>

#include "log_hunt/csv.hpp"
#include "log_hunt/query_error.hpp"
#include "test_support.hpp"

namespace log_hunt {
namespace {

std::vector<std::vector<std::string>> records(std::string_view data, int* malformed = nullptr) {
  CsvReader reader(data);
  std::vector<CsvField> fields;
  std::vector<std::vector<std::string>> out;
  bool bad = false;
  std::string scratch;
  while (reader.next(fields, bad)) {
    if (bad && malformed) ++*malformed;
    std::vector<std::string> row;
    for (const auto& field : fields)
      row.emplace_back(csv_text(field, scratch));
    out.push_back(row);
  }
  return out;
}

TEST(CsvReader, QuotesDoubledQuotesAndLineBreaksInsideFields) {
  auto rows = records("a,\"b, c\",\"say \"\"hi\"\"\"\r\n1,\"two\nlines\",3\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"a", "b, c", "say \"hi\""}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"1", "two\nlines", "3"}));
}

TEST(CsvReader, EmptyFieldsBlankLinesAndNoFinalNewline) {
  auto rows = records("x,,z\n\n\n,,\nlast,row");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"x", "", "z"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"", "", ""}));
  EXPECT_EQ(rows[2], (std::vector<std::string>{"last", "row"}));
}

TEST(CsvReader, AnUnterminatedQuoteIsMalformed) {
  int malformed = 0;
  auto rows = records("ok,1\n\"never closed,2\n", &malformed);
  EXPECT_EQ(rows.size(), 2u);
  EXPECT_EQ(malformed, 1);
}

TEST(CsvTable, ColumnsComeFromTheHeaderAndTypesFromTheValues) {
  testing::TempDir dir;
  dir.write("Assets.csv",
            "Host,Owner,Cores,Load,Patched,Seen\n"
            "web-1,alice,4,0.5,true,2026-11-20T08:00:00Z\n"
            "db-1,\"bob, jr\",16,1.25,false,2026-11-19T23:00:00Z\n");
  LogStore store(dir.path());
  auto result =
      testing::run("Assets | where Cores > 8 | project Owner, Cores, Load, Patched, Seen", store);
  ASSERT_EQ(result.rows.size(), 1u);
  EXPECT_EQ(result.rows[0][0].text, "bob, jr");
  EXPECT_EQ(result.rows[0][1].type, Type::Long);
  EXPECT_EQ(result.rows[0][1].integer, 16);
  EXPECT_EQ(result.rows[0][2].type, Type::Real);
  EXPECT_DOUBLE_EQ(result.rows[0][2].real, 1.25);
  EXPECT_EQ(result.rows[0][3].type, Type::Bool);
  EXPECT_FALSE(result.rows[0][3].boolean);
  EXPECT_EQ(result.rows[0][4].type, Type::DateTime);
  EXPECT_EQ(result.rows[0][4].integer, *parse_datetime("2026-11-19T23:00:00Z"));
}

TEST(CsvTable, RecordsWithTheWrongFieldCountAreSkippedAndCounted) {
  testing::TempDir dir;
  dir.write("T.csv", "a,b\n1,2\n3\n4,5,6\n7,8\n");
  LogStore store(dir.path());
  auto result = testing::run("T | summarize sum(a)", store);
  ASSERT_EQ(result.rows.size(), 1u);
  EXPECT_EQ(result.rows[0][0].integer, 8);  // 1 + 7
  EXPECT_EQ(result.stats.malformed_rows, 2u);
  ASSERT_EQ(result.warnings.size(), 1u);
  EXPECT_NE(result.warnings[0].find("T.csv: skipped 2 malformed record(s)"), std::string::npos)
      << result.warnings[0];
}

TEST(CsvTable, AFolderMayMixCsvAndJsonLinesFiles) {
  testing::TempDir dir;
  dir.write("Mixed/a.csv", "Name,N\nx,1\n");
  dir.write("Mixed/b.jsonl", "{\"Name\":\"y\",\"N\":2}\n");
  LogStore store(dir.path());
  auto result = testing::run("Mixed | summarize Total = sum(N), Names = make_list(Name)", store);
  ASSERT_EQ(result.rows.size(), 1u);
  EXPECT_EQ(result.rows[0][0].integer, 3);
  EXPECT_EQ(to_text(result.rows[0][1]), R"(["x","y"])");
}

}  // namespace
}  // namespace log_hunt
