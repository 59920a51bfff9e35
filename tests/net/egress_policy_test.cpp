#include <gtest/gtest.h>

#include "secpilot/net/http_client.hpp"

namespace secpilot::net {
namespace {

TEST(EgressPolicy, EmptyListAllowsNothing) {
  EXPECT_FALSE(EgressPolicy().allows("api.example.com", 443));
  EXPECT_FALSE(EgressPolicy(std::vector<std::string>{}).allows("127.0.0.1", 80));
}

TEST(EgressPolicy, ExactHostMatchesCaseInsensitivelyOnAnyPort) {
  const EgressPolicy policy({"API.Example.com"});
  EXPECT_TRUE(policy.allows("api.example.com", 443));
  EXPECT_TRUE(policy.allows("Api.EXAMPLE.Com", 8080));
  EXPECT_TRUE(policy.allows("api.example.com.", 443));  // the DNS root dot changes nothing
  EXPECT_FALSE(policy.allows("example.com", 443));
  EXPECT_FALSE(policy.allows("xapi.example.com", 443));
  EXPECT_FALSE(policy.allows("v2.api.example.com", 443));
  EXPECT_FALSE(policy.allows("api.example.com.evil.net", 443));
  EXPECT_FALSE(policy.allows("", 443));
}

TEST(EgressPolicy, WildcardMatchesSubdomainsButNotTheApex) {
  const EgressPolicy policy({"*.example.com"});
  EXPECT_TRUE(policy.allows("api.example.com", 443));
  EXPECT_TRUE(policy.allows("a.b.EXAMPLE.com", 443));
  EXPECT_FALSE(policy.allows("example.com", 443));
  EXPECT_FALSE(policy.allows("badexample.com", 443));
  EXPECT_FALSE(policy.allows("example.com.evil.net", 443));
  EXPECT_FALSE(policy.allows(".example.com", 443));
}

TEST(EgressPolicy, PortSpecificPatternAllowsOnlyThatPort) {
  const EgressPolicy policy({"example.com:8443", "*.svc.local:9000"});
  EXPECT_TRUE(policy.allows("example.com", 8443));
  EXPECT_FALSE(policy.allows("example.com", 443));
  EXPECT_TRUE(policy.allows("db.svc.local", 9000));
  EXPECT_FALSE(policy.allows("db.svc.local", 9001));
}

TEST(EgressPolicy, Ipv4AddressesMatchExactlyAndWildcardsDoNotApply) {
  EXPECT_TRUE(EgressPolicy({"127.0.0.1"}).allows("127.0.0.1", 8080));
  EXPECT_FALSE(EgressPolicy({"127.0.0.1"}).allows("127.0.0.2", 8080));
  EXPECT_TRUE(EgressPolicy({"127.0.0.1:8080"}).allows("127.0.0.1", 8080));
  EXPECT_FALSE(EgressPolicy({"127.0.0.1:8080"}).allows("127.0.0.1", 8081));
  EXPECT_FALSE(EgressPolicy({"*.0.0.1"}).allows("127.0.0.1", 80));
}

TEST(EgressPolicy, Ipv6AddressesCompareByValue) {
  const EgressPolicy with_port({"[::1]:8080"});
  EXPECT_TRUE(with_port.allows("::1", 8080));
  EXPECT_TRUE(with_port.allows("[::1]", 8080));
  EXPECT_TRUE(with_port.allows("0:0:0:0:0:0:0:1", 8080));
  EXPECT_FALSE(with_port.allows("::1", 8081));
  EXPECT_FALSE(with_port.allows("::2", 8080));

  const EgressPolicy any_port({"[2001:DB8::1]", "fe80::1"});
  EXPECT_TRUE(any_port.allows("2001:db8::1", 443));
  EXPECT_TRUE(any_port.allows("fe80::1", 22));
}

TEST(EgressPolicy, StarAllowsEverythingOrEverythingOnOnePort) {
  EXPECT_TRUE(EgressPolicy({"*"}).allows("anything.example", 1));
  EXPECT_TRUE(EgressPolicy({"*"}).allows("10.0.0.1", 65535));
  EXPECT_TRUE(EgressPolicy({"*:443"}).allows("example.org", 443));
  EXPECT_FALSE(EgressPolicy({"*:443"}).allows("example.org", 80));
}

TEST(EgressPolicy, MalformedPatternsMatchNothing) {
  for (const char* pattern :
       {"", "  ", "api.*.com", "*example.com", "**.example.com", "*.*.example.com", "example.com:0",
        "example.com:70000", "example.com:abc", "example.com:", "[::1", "[::1]8080", "*."}) {
    const EgressPolicy policy({pattern});
    EXPECT_FALSE(policy.allows("api.example.com", 443)) << pattern;
    EXPECT_FALSE(policy.allows("example.com", 443)) << pattern;
    EXPECT_FALSE(policy.allows("::1", 8080)) << pattern;
  }
}

TEST(EgressPolicy, AnyMatchingPatternAllowsAndBadPortsAreRefused) {
  const EgressPolicy policy({"broken:", "a.example.com", " b.example.com "});
  EXPECT_TRUE(policy.allows("a.example.com", 443));
  EXPECT_TRUE(policy.allows("b.example.com", 443));
  EXPECT_FALSE(policy.allows("c.example.com", 443));
  EXPECT_FALSE(policy.allows("a.example.com", 0));
  EXPECT_EQ(policy.patterns().size(), 3u);
}

}  // namespace
}  // namespace secpilot::net
