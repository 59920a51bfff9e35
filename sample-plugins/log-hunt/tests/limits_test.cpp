// Streaming and limits: take stops reading, the row limit truncates, memory bounds and
// cancellation stop a query with a clear error.
#include <gtest/gtest.h>

#include "log_hunt/query_error.hpp"
#include "test_support.hpp"

namespace log_hunt {
namespace {

// A 100,000-line table: Id 0..99999, Host h0..h999, and a rare "needle" every 25,000 rows.
class BigTable : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    std::string text;
    for (int i = 0; i < kRows; ++i)
      text += "{\"Id\":" + std::to_string(i) + ",\"Host\":\"h" + std::to_string(i % 1000) +
              "\",\"Tag\":\"" + (i % 25000 == 10 ? "needle" : "hay") + "\",\"Pad\":\"" +
              std::string(40, 'x') + "\"}\n";
    file_bytes_ = text.size();
    dir_->write("Big.jsonl", text);
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  LogStore store() const { return LogStore(dir_->path()); }

  static constexpr int kRows = 100'000;
  static inline testing::TempDir* dir_ = nullptr;
  static inline size_t file_bytes_ = 0;
};

TEST_F(BigTable, TakeStopsReadingTheFile) {
  auto result = testing::run("Big | take 10", store());
  EXPECT_EQ(result.rows.size(), 10u);
  EXPECT_EQ(result.stats.rows_scanned, 10u);
  EXPECT_LT(result.stats.bytes_scanned * 1000, file_bytes_);
}

TEST_F(BigTable, FilterThenTakeReadsOnlyUpToTheMatch) {
  auto result = testing::run("Big | where Tag == \"needle\" | project Id | take 1", store());
  ASSERT_EQ(result.rows.size(), 1u);
  EXPECT_EQ(result.rows[0][0].integer, 10);
  EXPECT_EQ(result.stats.rows_scanned, 11u);
}

TEST_F(BigTable, ProjectExtendAndWhereStreamToo) {
  auto result = testing::run(
      "Big | extend Next = Id + 1 | where Next % 2 == 0 | project Id | take 5", store());
  ASSERT_EQ(result.rows.size(), 5u);
  EXPECT_EQ(result.rows[4][0].integer, 9);
  EXPECT_EQ(result.stats.rows_scanned, 10u);
}

TEST_F(BigTable, TheRowLimitTruncatesAndSaysSo) {
  Limits limits;
  limits.max_rows = 100;
  auto result = testing::run("Big | project Id", store(), limits);
  EXPECT_EQ(result.rows.size(), 100u);
  EXPECT_TRUE(result.truncated);
  EXPECT_EQ(result.truncation_reason, "max_rows");
  EXPECT_LE(result.stats.rows_scanned, 101u);
}

TEST_F(BigTable, SummarizeReadsEverythingButKeepsOnlyGroups) {
  auto result = testing::run(
      "Big | summarize n = count() by Host | summarize Groups = count(), Min = min(n), Max = "
      "max(n)",
      store());
  ASSERT_EQ(result.rows.size(), 1u);
  EXPECT_EQ(result.rows[0][0].integer, 1000);
  EXPECT_EQ(result.rows[0][1].integer, 100);
  EXPECT_EQ(result.rows[0][2].integer, 100);
  EXPECT_EQ(result.stats.rows_scanned, static_cast<uint64_t>(kRows));
}

TEST_F(BigTable, TooManyGroupsFailWithTheMemoryBound) {
  Limits limits;
  limits.max_memory_bytes = 1 << 20;
  try {
    testing::run("Big | summarize count() by Id", store(), limits);
    FAIL() << "expected the memory bound to stop the query";
  } catch (const QueryError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::TooLarge);
    EXPECT_NE(std::string(e.what()).find("summarize groups"), std::string::npos) << e.what();
  }
}

TEST_F(BigTable, ABigJoinBuildFailsWithTheMemoryBound) {
  Limits limits;
  limits.max_memory_bytes = 1 << 20;
  try {
    testing::run("Big | take 1 | join kind=inner (Big) on Host", store(), limits);
    FAIL() << "expected the memory bound to stop the join";
  } catch (const QueryError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::TooLarge);
    EXPECT_NE(std::string(e.what()).find("join"), std::string::npos) << e.what();
  }
}

TEST_F(BigTable, SortIsBoundedButTopIsNot) {
  Limits limits;
  limits.max_memory_bytes = 1 << 20;
  EXPECT_THROW(testing::run("Big | sort by Id desc | take 1", store(), limits), QueryError);
  auto top = testing::run("Big | top 3 by Id desc | project Id", store(), limits);
  ASSERT_EQ(top.rows.size(), 3u);
  EXPECT_EQ(top.rows[0][0].integer, kRows - 1);
  EXPECT_EQ(top.rows[2][0].integer, kRows - 3);
}

TEST_F(BigTable, CancellationStopsTheScan) {
  Limits limits;
  int polls = 0;
  limits.cancelled = [&polls] { return ++polls > 2; };
  try {
    testing::run("Big | summarize count() by Host", store(), limits);
    FAIL() << "expected cancellation";
  } catch (const QueryError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Cancelled);
  }
  EXPECT_EQ(polls, 3);
}

TEST_F(BigTable, APassedDeadlineIsATimeout) {
  Limits limits;
  limits.deadline = std::chrono::steady_clock::now() - std::chrono::seconds(1);
  try {
    testing::run("Big | count", store(), limits);
    FAIL() << "expected a timeout";
  } catch (const QueryError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::Timeout);
    EXPECT_NE(std::string(e.what()).find("time filter"), std::string::npos) << e.what();
  }
}

TEST_F(BigTable, TheResultByteBoundTruncates) {
  Limits limits;
  limits.max_result_bytes = 10'000;
  auto result = testing::run("Big", store(), limits);
  EXPECT_TRUE(result.truncated);
  EXPECT_EQ(result.truncation_reason, "max_result_bytes");
  EXPECT_LT(result.rows.size(), 200u);
}

}  // namespace
}  // namespace log_hunt
