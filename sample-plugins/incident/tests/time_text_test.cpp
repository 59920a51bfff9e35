#include <gtest/gtest.h>

#include "incident/time_text.hpp"

namespace incident {
namespace {

TEST(TimeText, ReadsTheFormsTheExportsWrite) {
  const auto expected = parse_time("2026-11-20T09:14:03Z");
  ASSERT_TRUE(expected);
  EXPECT_EQ(format_time(*expected), "2026-11-20T09:14:03Z");
  EXPECT_EQ(parse_time("2026-11-20T09:14:03.1234567Z"), expected);  // Graph: 7 digits
  EXPECT_EQ(parse_time("2026-11-20T09:14:03.123Z"), expected);      // M365 Defender API
  EXPECT_EQ(parse_time("2026-11-20T10:14:03+01:00"), expected);
  EXPECT_EQ(parse_time("2026-11-20T04:14:03-0500"), expected);
  EXPECT_EQ(parse_time("2026-11-20 09:14:03"), expected);  // no zone: UTC
  EXPECT_EQ(format_time(*parse_time("2026-11-20")), "2026-11-20T00:00:00Z");
  EXPECT_EQ(format_time(*parse_time("2024-02-29T23:59")), "2024-02-29T23:59:00Z");
}

TEST(TimeText, RefusesWhatIsNotATime) {
  for (const char* bad :
       {"", "yesterday", "20/11/2026 09:14", "2026-02-30T00:00:00Z", "2025-02-29",
        "2026-11-20T24:00:00Z", "2026-11-20T09:14:03Zjunk", "2026-11-20T09:14:03.Z", "2026-13-01"})
    EXPECT_FALSE(parse_time(bad)) << bad;
}

TEST(TimeText, FormatsSpansForSentences) {
  const auto first = *parse_time("2026-11-20T09:02:11Z");
  EXPECT_EQ(format_span(first, first + 40), "at 2026-11-20 09:02 UTC");
  EXPECT_EQ(format_span(first, *parse_time("2026-11-20T09:19:52Z")),
            "from 2026-11-20 09:02 to 09:19 UTC");
  EXPECT_EQ(format_span(first, *parse_time("2026-11-21T01:00:00Z")),
            "from 2026-11-20 09:02 to 2026-11-21 01:00 UTC");
  EXPECT_EQ(format_long_date(first), "20 November 2026");
  EXPECT_EQ(format_time(0), "1970-01-01T00:00:00Z");
}

}  // namespace
}  // namespace incident
