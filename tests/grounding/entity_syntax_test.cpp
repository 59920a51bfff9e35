// The shared entity syntax (util/entity_syntax.hpp) that skill input checks and grounding both
// use: IP parsing agrees with inet_pton on every string tried, digests and ids are exact.
#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>

#include "util/entity_syntax.hpp"

namespace secpilot::entity_syntax {
namespace {

std::string random_address_text(std::mt19937& rng) {
  static constexpr std::string_view kAlphabet = "0123456789abcdefABCDEF:.:..::0g/";
  std::uniform_int_distribution<std::size_t> length(1, 44);
  std::uniform_int_distribution<std::size_t> pick(0, kAlphabet.size() - 1);
  std::string text(length(rng), ' ');
  for (char& c : text)
    c = kAlphabet[pick(rng)];
  return text;
}

// A real address written in a random valid or nearly valid way.
std::string random_ipv6_text(std::mt19937& rng) {
  std::uniform_int_distribution<int> word(0, 0xffff);
  std::uniform_int_distribution<int> small(0, 9);
  unsigned char bytes[16];
  for (int i = 0; i < 8; ++i) {
    const int w = small(rng) < 4 ? 0 : word(rng);  // zeros, so that "::" has runs to compress
    bytes[2 * i] = static_cast<unsigned char>(w >> 8);
    bytes[2 * i + 1] = static_cast<unsigned char>(w & 0xff);
  }
  char text[INET6_ADDRSTRLEN];
  ::inet_ntop(AF_INET6, bytes, text, sizeof text);
  std::string out = text;
  if (small(rng) == 0 && !out.empty())
    out.erase(static_cast<std::size_t>(small(rng)) % out.size(), 1);
  if (small(rng) == 1) out += ":";
  if (small(rng) == 2) out.insert(0, ":");
  return out;
}

void expect_same_as_inet_pton(const std::string& text) {
  unsigned char v4[4];
  unsigned char v6[16];
  const bool libc4 = ::inet_pton(AF_INET, text.c_str(), v4) == 1;
  const bool libc6 = ::inet_pton(AF_INET6, text.c_str(), v6) == 1;
  const auto ours4 = parse_ipv4(text);
  const auto ours6 = parse_ipv6(text);
  ASSERT_EQ(ours4.has_value(), libc4) << "IPv4 '" << text << "'";
  ASSERT_EQ(ours6.has_value(), libc6) << "IPv6 '" << text << "'";
  if (libc4) {
    EXPECT_EQ(std::memcmp(ours4->data(), v4, 4), 0) << text;
  }
  if (libc6) {
    EXPECT_EQ(std::memcmp(ours6->data(), v6, 16), 0) << text;
  }
}

TEST(EntitySyntax, IpParsingAgreesWithInetPton) {
  for (const char* text : {"192.0.2.1",
                           "0.0.0.0",
                           "255.255.255.255",
                           "256.1.1.1",
                           "1.2.3",
                           "1.2.3.4.5",
                           "01.2.3.4",
                           "1.2.3.04",
                           "1..2.3",
                           ".1.2.3.4",
                           "1.2.3.4.",
                           "::",
                           "::1",
                           "1::",
                           "2001:db8::1",
                           "2001:0db8:0000:0000:0000:ff00:0042:8329",
                           "::ffff:192.0.2.1",
                           "1:2:3:4:5:6:7:8",
                           "1:2:3:4:5:6:7:8:9",
                           "1:2:3:4:5:6:7::",
                           "::2:3:4:5:6:7:8",
                           "1::2:3:4:5:6:7:8",
                           ":::",
                           "1:::2",
                           "12345::",
                           "1:2:3:4:5:6:1.2.3.4",
                           "1:2:3:4:5:6:7:1.2.3.4",
                           "::1.2.3.4",
                           "1::1.2.3",
                           "fe80::1%eth0",
                           "g::1",
                           ":1::",
                           "1:",
                           "1::2::3",
                           "::ffff:1.2.3.256"})
    expect_same_as_inet_pton(text);
  std::mt19937 rng(20261202);
  for (int i = 0; i < 200000; ++i) {
    expect_same_as_inet_pton(random_address_text(rng));
    expect_same_as_inet_pton(random_ipv6_text(rng));
    if (HasFatalFailure()) return;
  }
}

TEST(EntitySyntax, CidrNeedsAPrefixThatFitsTheAddress) {
  EXPECT_TRUE(is_ip_or_cidr("198.51.100.0/24"));
  EXPECT_TRUE(is_ip_or_cidr("2001:db8::/32"));
  EXPECT_TRUE(is_ip_or_cidr("10.0.0.1"));
  EXPECT_FALSE(is_ip_or_cidr("10.0.0.0/33"));
  EXPECT_FALSE(is_ip_or_cidr("10.0.0.0/08"));
  EXPECT_FALSE(is_ip_or_cidr("10.0.0.0/"));
  EXPECT_FALSE(is_ip_or_cidr("2001:db8::/129"));
}

TEST(EntitySyntax, DigestsAreExactLengthsOfHex) {
  EXPECT_EQ(digest_type("d41d8cd98f00b204e9800998ecf8427e"), "md5");
  EXPECT_EQ(digest_type("DA39A3EE5E6B4B0D3255BFEF95601890AFD80709"), "sha1");
  EXPECT_EQ(digest_type("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            "sha256");
  EXPECT_EQ(digest_type("d41d8cd98f00b204e9800998ecf8427"), "");
  EXPECT_EQ(digest_type("d41d8cd98f00b204e9800998ecf8427g"), "");
}

TEST(EntitySyntax, IdsAndNames) {
  EXPECT_TRUE(is_cve("CVE-2024-3094"));
  EXPECT_TRUE(is_cve("cve-2021-44228"));
  EXPECT_FALSE(is_cve("CVE-2024-309"));
  EXPECT_FALSE(is_cve("CVE-24-12345"));
  EXPECT_TRUE(is_mitre_technique("T1059"));
  EXPECT_TRUE(is_mitre_technique("T1059.001"));
  EXPECT_FALSE(is_mitre_technique("T1059.1"));
  EXPECT_FALSE(is_mitre_technique("TA0001"));
  EXPECT_TRUE(is_dns_name("login.example.com", false));
  EXPECT_TRUE(is_dns_name("example.com.", false));
  EXPECT_FALSE(is_dns_name("localhost", false));
  EXPECT_FALSE(is_dns_name("-bad.example", false));
  EXPECT_FALSE(is_dns_name("a_b.example", false));
  EXPECT_TRUE(is_dns_name("_dmarc.example.com", true));
}

}  // namespace
}  // namespace secpilot::entity_syntax
