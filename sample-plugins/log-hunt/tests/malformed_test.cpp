// Bad lines in real logs: each is skipped and counted, the rest of the file still answers.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace log_hunt {
namespace {

TEST(MalformedLines, AreSkippedCountedAndReported) {
  testing::TempDir dir;
  dir.write("Events.jsonl",
            "{\"Host\":\"a\",\"N\":1}\n"
            "this is not json\n"
            "{\"Host\":\"b\",\"N\":2\n"      // truncated: the object never closes
            "\n"                             // blank lines are not rows
            "{\"Host\":\"c\",\"N\":3}\r\n"   // CRLF line ends are fine
            "[1,2,3]\n"                      // JSON, but not an object
            "{\"Host\":\"d\",\"N\":null}\n"  // a null is a row with a null
            "\x01\x02\xff\xfe garbage\n"
            "{\"Host\":\"e\",\"N\":5}");  // no final newline
  LogStore store(dir.path());
  auto result = testing::run(
      "Events | summarize Rows = count(), Total = sum(N), Hosts = make_list(Host)", store);
  ASSERT_EQ(result.rows.size(), 1u);
  EXPECT_EQ(result.rows[0][0].integer, 4);
  EXPECT_EQ(result.rows[0][1].integer, 9);
  EXPECT_EQ(to_text(result.rows[0][2]), R"(["a","c","d","e"])");
  EXPECT_EQ(result.stats.rows_scanned, 8u);
  EXPECT_EQ(result.stats.malformed_rows, 4u);
  ASSERT_EQ(result.warnings.size(), 1u);
  EXPECT_NE(
      result.warnings[0].find("Events.jsonl: skipped 4 malformed line(s), the first at line 2"),
      std::string::npos)
      << result.warnings[0];
}

TEST(MalformedLines, AFileOfOnlyGarbageGivesNoRows) {
  testing::TempDir dir;
  dir.write("Junk.jsonl", "{\"Host\":\"typed\"}\nnope\n{{{{\n\"str\"\n");
  LogStore store(dir.path());
  auto result = testing::run("Junk | where Host != \"typed\" | count", store);
  EXPECT_EQ(result.rows[0][0].integer, 0);
  EXPECT_EQ(result.stats.malformed_rows, 3u);
}

TEST(MalformedLines, EmptyFilesAndEmptyFoldersAreEmptyTables) {
  testing::TempDir dir;
  dir.write("Empty.jsonl", "");
  dir.write("Parts/one.jsonl", "");
  LogStore store(dir.path());
  EXPECT_EQ(testing::run("Empty | count", store).rows[0][0].integer, 0);
  EXPECT_EQ(testing::run("Parts | count", store).rows[0][0].integer, 0);
}

}  // namespace
}  // namespace log_hunt
