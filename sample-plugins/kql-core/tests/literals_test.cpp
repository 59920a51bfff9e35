// datetime and timespan values: reading KQL's spellings and writing them back.
#include <gtest/gtest.h>

#include "kql/ast.hpp"
#include "kql/literals.hpp"

namespace kql {
namespace {

constexpr int64_t kDay = 86400 * kTicksPerSecond;

TEST(Literals, DatetimeForms) {
  EXPECT_EQ(parse_datetime_text("1970-01-01"), 0);
  EXPECT_EQ(parse_datetime_text("1970-01-02"), kDay);
  EXPECT_EQ(parse_datetime_text("2024-02-29T12:30:15.5Z"),
            parse_datetime_text("2024-02-29 12:30:15.5"));
  EXPECT_EQ(*parse_datetime_text("2024-01-31 10:00+02:00"),
            *parse_datetime_text("2024-01-31 08:00"));
  EXPECT_EQ(parse_datetime_text("2024/01/31"), parse_datetime_text("2024-01-31"));
  EXPECT_EQ(parse_datetime_text("\"2024-01-31\""), parse_datetime_text("2024-01-31"));
  EXPECT_LT(*parse_datetime_text("1969-12-31"), 0);
}

TEST(Literals, InvalidDatesAreRejected) {
  for (const char* text : {"2023-02-29", "2024-13-01", "2024-00-10", "2024-01-32", "24-01-01",
                           "2024-01-01 25:00", "2024-01-01x", "yesterday", ""})
    EXPECT_FALSE(parse_datetime_text(text).has_value()) << text;
}

TEST(Literals, DatetimeFormatsAsIso8601) {
  EXPECT_EQ(format_datetime(*parse_datetime_text("2024-03-05 07:08:09")), "2024-03-05T07:08:09Z");
  EXPECT_EQ(format_datetime(*parse_datetime_text("2024-03-05 07:08:09.1234567")),
            "2024-03-05T07:08:09.1234567Z");
  EXPECT_EQ(format_datetime(*parse_datetime_text("1600-02-29")), "1600-02-29T00:00:00Z");
}

TEST(Literals, TimespanForms) {
  EXPECT_EQ(parse_timespan_text("1d"), kDay);
  EXPECT_EQ(parse_timespan_text("2.5h"), 9000 * kTicksPerSecond);
  EXPECT_EQ(parse_timespan_text("1.02:03:04"), kDay + (2 * 3600 + 3 * 60 + 4) * kTicksPerSecond);
  EXPECT_EQ(parse_timespan_text("00:30"), 1800 * kTicksPerSecond);
  EXPECT_EQ(parse_timespan_text("-1h"), -3600 * kTicksPerSecond);
  EXPECT_EQ(parse_timespan_text("2"), 2 * kDay);
  EXPECT_FALSE(parse_timespan_text("1x").has_value());
  EXPECT_FALSE(parse_timespan_text("25:00").has_value());
}

TEST(Literals, TimespanWrittenBack) {
  EXPECT_EQ(format_timespan_literal(kDay), "1d");
  EXPECT_EQ(format_timespan_literal(36 * 3600 * kTicksPerSecond), "36h");
  EXPECT_EQ(format_timespan_literal(90 * kTicksPerSecond), "90s");
  EXPECT_EQ(format_timespan_literal(-15 * 60 * kTicksPerSecond), "-15m");
  EXPECT_EQ(format_timespan_literal(kTicksPerSecond / 2), "500ms");
  EXPECT_EQ(describe_timespan(7 * kDay), "7 days");
  EXPECT_EQ(describe_timespan(36 * 3600 * kTicksPerSecond), "36 hours");
  EXPECT_EQ(describe_timespan(5400 * kTicksPerSecond), "1 hour 30 minutes");
  EXPECT_EQ(describe_timespan(kDay), "1 day");
}

TEST(Literals, TimespanUnits) {
  EXPECT_EQ(timespan_unit_ticks("hours"), 3600 * kTicksPerSecond);
  EXPECT_EQ(timespan_unit_ticks("ms"), kTicksPerSecond / 1000);
  EXPECT_EQ(timespan_unit_ticks("tick"), 1);
  EXPECT_FALSE(timespan_unit_ticks("fortnight").has_value());
}

}  // namespace
}  // namespace kql
