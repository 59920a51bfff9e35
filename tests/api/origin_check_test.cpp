// Which Origins /mcp serves: this machine's pages and the configured ones, nothing that only
// resolves to this machine (DNS rebinding) or merely starts like an allowed one.
#include "api/origin_check.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace secpilot::api {
namespace {

TEST(OriginCheck, LoopbackPagesAreServed) {
  const std::vector<std::string> none;
  for (const char* origin : {"http://localhost", "http://localhost:6274", "https://LOCALHOST:8480",
                             "http://127.0.0.1:3000", "http://127.1.2.3", "http://[::1]:6274"})
    EXPECT_TRUE(origin_allowed(origin, none)) << origin;
}

TEST(OriginCheck, OtherSitesAreRefusedEvenWhenTheyResolveHere) {
  const std::vector<std::string> none;
  for (const char* origin :
       {"http://evil.example", "http://localhost.evil.example", "http://127.0.0.1.evil.example",
        "http://10.0.0.5:8480", "null", "file://", "ftp://localhost", "http://[::2]",
        "http://127.0.0", "http://127.0.0.1.5", "http://127.0.0.1/path", ""})
    EXPECT_FALSE(origin_allowed(origin, none)) << origin;
}

TEST(OriginCheck, ConfiguredOriginsMatchWhole) {
  const std::vector<std::string> allowed{"https://ide.example.com"};
  EXPECT_TRUE(origin_allowed("https://ide.example.com", allowed));
  EXPECT_TRUE(origin_allowed("https://IDE.example.com", allowed));
  EXPECT_FALSE(origin_allowed("http://ide.example.com", allowed)) << "another scheme";
  EXPECT_FALSE(origin_allowed("https://ide.example.com:8443", allowed)) << "another port";
  EXPECT_FALSE(origin_allowed("https://ide.example.com.evil.example", allowed));
}

}  // namespace
}  // namespace secpilot::api
