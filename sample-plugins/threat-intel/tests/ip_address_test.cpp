#include "threat_intel/ip_address.hpp"

#include <gtest/gtest.h>

namespace threat_intel {
namespace {

std::string v4(std::string_view text) {
  auto ip = parse_ipv4(text);
  return ip ? ip->to_string() : "<invalid>";
}

std::string v6(std::string_view text) {
  auto ip = parse_ipv6(text);
  return ip ? ip->to_string() : "<invalid>";
}

TEST(IpAddress, ParsesDottedQuads) {
  EXPECT_EQ(v4("198.51.100.7"), "198.51.100.7");
  EXPECT_EQ(v4("0.0.0.0"), "0.0.0.0");
  EXPECT_EQ(v4("255.255.255.255"), "255.255.255.255");
  EXPECT_TRUE(parse_ipv4("192.0.2.1")->is_v4());
}

TEST(IpAddress, RejectsMalformedIpv4) {
  for (const char* bad : {"256.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.04", "1..2.3",
                          "1.2.3.", ".1.2.3", "1.2.3.4 ", "a.b.c.d", "1234.1.1.1", ""})
    EXPECT_FALSE(parse_ipv4(bad)) << bad;
}

TEST(IpAddress, ParsesIpv6Forms) {
  EXPECT_EQ(v6("2001:db8::7"), "2001:db8::7");
  EXPECT_EQ(v6("2001:0DB8:0000:0000:0000:0000:0000:0007"), "2001:db8::7");
  EXPECT_EQ(v6("::1"), "::1");
  EXPECT_EQ(v6("::"), "::");
  EXPECT_EQ(v6("fe80::"), "fe80::");
  EXPECT_EQ(v6("2001:db8:0:0:1:0:0:1"), "2001:db8::1:0:0:1");     // RFC 5952: first longest run
  EXPECT_EQ(v6("2001:db8:0:1:1:1:1:1"), "2001:db8:0:1:1:1:1:1");  // one zero group stays
  EXPECT_EQ(v6("::ffff:198.51.100.7"), "::ffff:198.51.100.7");
  EXPECT_EQ(v6("64:ff9b::198.51.100.7"), "64:ff9b::c633:6407");
}

TEST(IpAddress, RejectsMalformedIpv6) {
  for (const char* bad : {"2001:db8::7::1", "2001:db8:::1", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7",
                          "12345::", ":1:2:3:4:5:6:7", "1:2:3:4:5:6:7:", "2001:db8::g",
                          "fe80::1%eth0", "1:2:3:4:5:6:7:8::", "::1.2.3", "10:30", "12:30:45"})
    EXPECT_FALSE(parse_ipv6(bad)) << bad;
}

TEST(IpAddress, MappedIpv6SharesTheIpv4Key) {
  auto mapped = parse_ipv6("::ffff:198.51.100.7");
  auto plain = parse_ipv4("198.51.100.7");
  ASSERT_TRUE(mapped && plain);
  EXPECT_EQ(mapped->key(), plain->key());
  EXPECT_TRUE(mapped->is_v4_mapped());
  EXPECT_FALSE(mapped->is_v4());
}

TEST(IpNetwork, ParsesAndMasks) {
  auto network = parse_network("198.51.100.7/24");
  ASSERT_TRUE(network);
  EXPECT_EQ(network->to_string(), "198.51.100.0/24");
  EXPECT_EQ(network->key_prefix(), 120);
  EXPECT_TRUE(network->contains(*parse_ip("198.51.100.255")));
  EXPECT_FALSE(network->contains(*parse_ip("198.51.101.0")));

  auto v6net = parse_network("2001:db8:dead:beef::/48");
  ASSERT_TRUE(v6net);
  EXPECT_EQ(v6net->to_string(), "2001:db8:dead::/48");
  EXPECT_TRUE(v6net->contains(*parse_ip("2001:db8:dead:ffff::1")));
  EXPECT_FALSE(v6net->contains(*parse_ip("2001:db8:beef::1")));

  EXPECT_EQ(parse_network("203.0.113.5")->to_string(), "203.0.113.5");
  EXPECT_TRUE(parse_network("203.0.113.5")->is_single_address());
  EXPECT_EQ(parse_network("0.0.0.0/0")->to_string(), "0.0.0.0/0");
  EXPECT_EQ(parse_network("2001:db8::1/128")->to_string(), "2001:db8::1");
  EXPECT_EQ(parse_network("2001:db8::1/65")->to_string(), "2001:db8::/65");
}

TEST(IpNetwork, RejectsBadPrefixes) {
  for (const char* bad : {"198.51.100.0/33", "198.51.100.0/", "198.51.100.0/-1", "2001:db8::/129",
                          "198.51.100.0/2a", "example.com/24"})
    EXPECT_FALSE(parse_network(bad)) << bad;
}

TEST(U128, MaskPrefixKeepsTheTopBits) {
  U128 all{~0ULL, ~0ULL};
  EXPECT_EQ(mask_prefix(all, 0), (U128{0, 0}));
  EXPECT_EQ(mask_prefix(all, 1), (U128{1ULL << 63, 0}));
  EXPECT_EQ(mask_prefix(all, 64), (U128{~0ULL, 0}));
  EXPECT_EQ(mask_prefix(all, 65), (U128{~0ULL, 1ULL << 63}));
  EXPECT_EQ(mask_prefix(all, 128), all);
}

}  // namespace
}  // namespace threat_intel
