#include "red_canary/time_window.hpp"

#include <gtest/gtest.h>

#include "red_canary/errors.hpp"

namespace red_canary {
namespace {

using namespace std::chrono;

// 2026-11-21T12:00:00Z
const system_clock::time_point kNow = sys_days{year{2026} / 11 / 21} + hours(12);

TEST(Since, IsoDatesAndTimesBecomeUtc) {
  EXPECT_EQ(parse_since("2026-11-20", kNow), "2026-11-20T00:00:00Z");
  EXPECT_EQ(parse_since("2026-11-20T09:14:03Z", kNow), "2026-11-20T09:14:03Z");
  EXPECT_EQ(parse_since("2026-11-20T09:14:03.418Z", kNow), "2026-11-20T09:14:03Z");
  EXPECT_EQ(parse_since("2026-11-20T10:14:03+01:00", kNow), "2026-11-20T09:14:03Z");
  EXPECT_EQ(parse_since("2026-11-20T23:30:00-02:00", kNow), "2026-11-21T01:30:00Z");
  EXPECT_EQ(parse_since("2026-11-20 09:14", kNow), "2026-11-20T09:14:00Z");
}

TEST(Since, LookBacksCountFromNow) {
  EXPECT_EQ(parse_since("24h", kNow), "2026-11-20T12:00:00Z");
  EXPECT_EQ(parse_since("7d", kNow), "2026-11-14T12:00:00Z");
  EXPECT_EQ(parse_since("90m", kNow), "2026-11-21T10:30:00Z");
  EXPECT_EQ(parse_since("2w", kNow), "2026-11-07T12:00:00Z");
}

TEST(Since, AnythingElseSaysWhatIsAccepted) {
  for (const char* text : {"yesterday", "2026-13-01", "2026-02-30", "2026-11-20T25:00:00Z", "0h",
                           "5y", "2026-11-20T09:00:00+0100"}) {
    try {
      parse_since(text, kNow);
      ADD_FAILURE() << text;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::invalid_input);
      EXPECT_NE(std::string(e.what()).find("a look-back such as 30m, 24h, 7d or 2w"),
                std::string::npos)
          << e.what();
    }
  }
}

}  // namespace
}  // namespace red_canary
