#include <gtest/gtest.h>

#include "jamf/macos_version.hpp"

namespace jamf {
namespace {

MacosVersion v(const char* text) {
  auto version = MacosVersion::parse(text);
  EXPECT_TRUE(version) << text;
  return version.value_or(*MacosVersion::parse("0"));
}

TEST(MacosVersion, ComparesNumberByNumberNotAsText) {
  EXPECT_LT(v("13.9"), v("13.10"));
  EXPECT_LT(v("9.9"), v("10.0"));
  EXPECT_LT(v("13.6.1"), v("26.7"));
  EXPECT_LT(v("15.7.4"), v("26.7"));
  EXPECT_GT(v("26.7.1"), v("26.7"));
  EXPECT_GT(v("27.0.1"), v("26.7.2"));
}

TEST(MacosVersion, MissingPartsAreZero) {
  EXPECT_EQ(v("14"), v("14.0"));
  EXPECT_EQ(v("14.0"), v("14.0.0"));
  EXPECT_FALSE(v("14.0.1") == v("14"));
}

TEST(MacosVersion, IgnoresARapidSecurityResponseSuffix) {
  EXPECT_EQ(v("13.4.1 (a)"), v("13.4.1"));
  EXPECT_EQ(v("13.4.1 (a)").text(), "13.4.1");
}

TEST(MacosVersion, KeepsItsText) {
  EXPECT_EQ(v("26.7").text(), "26.7");
  EXPECT_EQ(v("13.6.1").text(), "13.6.1");
}

TEST(MacosVersion, RefusesWhatIsNotAVersion) {
  for (const char* text :
       {"", "macOS 14", "14.", ".14", "14..1", "14.x", "1.2.3.4.5", "-1", "1234567", "14 "})
    EXPECT_FALSE(MacosVersion::parse(text)) << text;
}

}  // namespace
}  // namespace jamf
