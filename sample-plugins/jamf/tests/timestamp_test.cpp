#include <gtest/gtest.h>

#include "jamf/timestamp.hpp"

namespace jamf {
namespace {

std::string round_trip(const char* text) {
  auto parsed = parse_timestamp(text);
  return parsed ? format_timestamp(*parsed) : "(none)";
}

TEST(Timestamp, ReadsJamfDateTimes) {
  EXPECT_EQ(round_trip("2026-11-12T16:42:10.512Z"), "2026-11-12T16:42:10Z");
  EXPECT_EQ(round_trip("2026-11-12T16:42:10Z"), "2026-11-12T16:42:10Z");
  EXPECT_EQ(round_trip("2026-11-12T16:42Z"), "2026-11-12T16:42:00Z");
  EXPECT_EQ(round_trip("2026-11-12t16:42:10"), "2026-11-12T16:42:10Z");
}

TEST(Timestamp, AppliesOffsets) {
  EXPECT_EQ(round_trip("2026-11-12T16:42:10+02:00"), "2026-11-12T14:42:10Z");
  EXPECT_EQ(round_trip("2026-11-12T16:42:10-0500"), "2026-11-12T21:42:10Z");
  EXPECT_EQ(round_trip("2026-12-31T23:30:00-01:00"), "2027-01-01T00:30:00Z");
}

TEST(Timestamp, ADateIsMidnightUtc) {
  EXPECT_EQ(round_trip("2026-11-20"), "2026-11-20T00:00:00Z");
}

TEST(Timestamp, RefusesImpossibleOrMalformedTimes) {
  for (const char* text :
       {"", "2026-02-30", "2026-13-01", "2026-11-20T25:00:00Z", "20261120",
        "2026-11-20T10:00:00 UTC", "yesterday", "2026-11-20T10:00:00.Z", "2026-11-20T10:00:00+2"})
    EXPECT_FALSE(parse_timestamp(text)) << text;
}

}  // namespace
}  // namespace jamf
