// Classification of one indicator as a user types it, refanging, and URL/domain normalisation.
#include <gtest/gtest.h>

#include "threat_intel/indicator.hpp"
#include "threat_intel/refang.hpp"

namespace threat_intel {
namespace {

struct Expected {
  std::string type;
  std::string value;
};

Expected classify(std::string_view text, std::optional<TypeHint> hint = {}) {
  auto result = classify_indicator(text, hint);
  if (!result.indicator) return {"error", result.error};
  return {std::string(type_name(result.indicator->type)), result.indicator->value};
}

void expect(std::string_view text, std::string_view type, std::string_view value) {
  auto got = classify(text);
  EXPECT_EQ(got.type, type) << text << " -> " << got.value;
  EXPECT_EQ(got.value, value) << text;
}

TEST(Classify, PlainIndicators) {
  expect("198.51.100.7", "ipv4", "198.51.100.7");
  expect("2001:DB8::7", "ipv6", "2001:db8::7");
  expect("Evil.Example.COM", "domain", "evil.example.com");
  expect("evil.example.com.", "domain", "evil.example.com");
  expect("HTTP://Evil.Example.com/Path?Q=1", "url", "http://evil.example.com/Path?Q=1");
  expect("8970FA9BF7C4C9F88CF87511086F29F2", "md5", "8970fa9bf7c4c9f88cf87511086f29f2");
  expect("0f4889e43e50920bd36b7adc0f8733b679203d8c", "sha1",
         "0f4889e43e50920bd36b7adc0f8733b679203d8c");
  expect("b576aee4e3bbe7ba9ed26ef315283aa8758e9de6f62fb6b1579c5b6ac0f28ae0", "sha256",
         "b576aee4e3bbe7ba9ed26ef315283aa8758e9de6f62fb6b1579c5b6ac0f28ae0");
  expect("xn--80ak6aa92e.example", "domain", "xn--80ak6aa92e.example");
  expect("login.xn--p1ai", "domain", "login.xn--p1ai");
}

TEST(Classify, DefangedForms) {
  expect("198.51.100[.]7", "ipv4", "198.51.100.7");
  expect("198[.]51[.]100[.]7", "ipv4", "198.51.100.7");
  expect("198(.)51(.)100(.)7", "ipv4", "198.51.100.7");
  expect("evil[.]example[.]com", "domain", "evil.example.com");
  expect("evil(dot)example(dot)com", "domain", "evil.example.com");
  expect("evil[DOT]example[DOT]com", "domain", "evil.example.com");
  expect("evil{.}example{.}com", "domain", "evil.example.com");
  expect("hxxp://evil[.]example/a", "url", "http://evil.example/a");
  expect("hXXps[:]//evil[.]example/a", "url", "https://evil.example/a");
  expect("hxxps[://]evil[.]example", "url", "https://evil.example/");
  expect("fxp://files.example/x", "url", "ftp://files.example/x");
  expect("2001:db8[:]:7", "ipv6", "2001:db8::7");
  expect("evil\\.example\\.com", "domain", "evil.example.com");
  auto result = classify_indicator("198.51.100[.]7");
  ASSERT_TRUE(result.indicator);
  EXPECT_TRUE(result.indicator->defanged);
  EXPECT_FALSE(classify_indicator("198.51.100.7").indicator->defanged);
}

TEST(Classify, TrimsWrappersAndPorts) {
  expect("  198.51.100.7  ", "ipv4", "198.51.100.7");
  expect("\"evil.example.com\"", "domain", "evil.example.com");
  expect("<https://evil.example/>", "url", "https://evil.example/");
  expect("`198.51.100.7`", "ipv4", "198.51.100.7");
  expect("198.51.100.7:8080", "ipv4", "198.51.100.7");
  expect("[2001:db8::7]:443", "ipv6", "2001:db8::7");
  expect("[2001:db8::7]", "ipv6", "2001:db8::7");
  expect("Evil.Example:8443", "domain", "evil.example");
  EXPECT_EQ(classify("evil.example:99999").type, "error");
}

TEST(Classify, SchemeLessHostPathIsAnHttpUrl) {
  expect("evil.example.com/payload.exe", "url", "http://evil.example.com/payload.exe");
  expect("198.51.100.7/gate.php", "url", "http://198.51.100.7/gate.php");
}

TEST(Classify, NormalisesUrls) {
  expect("https://EVIL.example:443/a#frag", "url", "https://evil.example/a");
  expect("http://evil.example:80", "url", "http://evil.example/");
  expect("http://evil.example:8080/x", "url", "http://evil.example:8080/x");
  expect("http://evil.example?x=1", "url", "http://evil.example/?x=1");
  expect("http://[2001:DB8::7]:8443/x", "url", "http://[2001:db8::7]:8443/x");
  expect("http://user@evil.example/x", "url", "http://user@evil.example/x");
  expect("http://intranet/x", "url", "http://intranet/x");
  auto url = parse_url("https://198.51.100.7/x");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->host, "198.51.100.7");
  ASSERT_TRUE(url->host_ip);
  EXPECT_TRUE(url->host_ip->is_v4());
}

TEST(Classify, RejectsWithActionableMessages) {
  for (const char* bad : {"not an indicator", "hello", "12345", "198.51.100.256", "", "   ",
                          "http://", "http://exa mple.com", "deadbeef", "http://bad_host:99999/"}) {
    auto got = classify(bad);
    EXPECT_EQ(got.type, "error") << bad << " -> " << got.value;
    if (!std::string_view(bad).starts_with(" ") && *bad) {
      EXPECT_NE(got.value.find("is not an IP, domain, URL or hash: "), std::string::npos) << bad;
    }
  }
  EXPECT_NE(classify("").value.find("empty"), std::string::npos);
  EXPECT_NE(classify("hello").value.find("is not an IP, domain, URL or hash"), std::string::npos);
  EXPECT_NE(classify("two words").value.find("ExtractIndicators"), std::string::npos);
  EXPECT_NE(classify("invoice.exe").value.find("file name"), std::string::npos);
  EXPECT_NE(classify("198.51.100.0/24").value.find("network range"), std::string::npos);
  EXPECT_NE(classify("user@evil.example").value.find("look up its domain (evil.example)"),
            std::string::npos);
  EXPECT_NE(classify("CVE-2024-12345").value.find("CVE"), std::string::npos);
}

TEST(Classify, TypeHintForcesAType) {
  EXPECT_EQ(classify("invoice.exe", TypeHint::Domain).type, "domain");
  EXPECT_EQ(classify("intranet", TypeHint::Domain).value, "intranet");
  EXPECT_EQ(classify("evil.example/x", TypeHint::Url).value, "http://evil.example/x");
  EXPECT_EQ(classify("198.51.100.7", TypeHint::Ip).type, "ipv4");
  EXPECT_EQ(classify("198.51.100.7", TypeHint::Ipv6).type, "error");
  EXPECT_EQ(classify("2001:db8::1", TypeHint::Ipv4).type, "error");
  EXPECT_EQ(classify("8970fa9bf7c4c9f88cf87511086f29f2", TypeHint::Hash).type, "md5");
  EXPECT_EQ(classify("8970fa9bf7c4c9f88cf87511086f29f2", TypeHint::Sha256).type, "error");
  EXPECT_NE(classify("xyz", TypeHint::Md5).value.find("leave out `type`"), std::string::npos);
  EXPECT_NE(classify("xyz", TypeHint::Md5).value.find("is not an MD5 hash"), std::string::npos);
}

TEST(Classify, ParsesTypeHints) {
  EXPECT_EQ(parse_type_hint("IP"), TypeHint::Ip);
  EXPECT_EQ(parse_type_hint("ip_address"), TypeHint::Ip);
  EXPECT_EQ(parse_type_hint("SHA-256"), TypeHint::Sha256);
  EXPECT_EQ(parse_type_hint("hostname"), TypeHint::Domain);
  EXPECT_EQ(parse_type_hint("Url"), TypeHint::Url);
  EXPECT_FALSE(parse_type_hint("email"));
}

TEST(Domain, Rules) {
  DomainRules strict;
  EXPECT_TRUE(normalize_domain("a.example", strict));
  EXPECT_TRUE(normalize_domain("_dmarc.example.com", strict));
  EXPECT_FALSE(normalize_domain("example", strict));
  EXPECT_FALSE(normalize_domain("example.c", strict));
  EXPECT_FALSE(normalize_domain("example.c0m", strict));
  EXPECT_FALSE(normalize_domain("-bad.example", strict));
  EXPECT_FALSE(normalize_domain("bad-.example", strict));
  EXPECT_FALSE(normalize_domain("a..example", strict));
  EXPECT_FALSE(normalize_domain(std::string(64, 'a') + ".example", strict));
  EXPECT_TRUE(normalize_domain(std::string(63, 'a') + ".example", strict));
  DomainRules text;
  text.reject_file_extensions = true;
  text.allow_underscore = false;
  EXPECT_FALSE(normalize_domain("setup.exe", text));
  EXPECT_FALSE(normalize_domain("Invoke-Thing.ps1", text));
  EXPECT_FALSE(normalize_domain("some_var.example", text));
  EXPECT_TRUE(normalize_domain("evil.example", text));
  EXPECT_TRUE(is_file_extension("dll"));
  EXPECT_FALSE(is_file_extension("com"));
}

TEST(Hashes, TypeByLength) {
  EXPECT_EQ(hash_type(std::string(32, 'a')), IndicatorType::Md5);
  EXPECT_EQ(hash_type(std::string(40, 'F')), IndicatorType::Sha1);
  EXPECT_EQ(hash_type(std::string(64, '0')), IndicatorType::Sha256);
  EXPECT_FALSE(hash_type(std::string(63, '0')));
  EXPECT_FALSE(hash_type(std::string(31, '0') + "g"));
  EXPECT_FALSE(hash_type(std::string(128, '0')));  // sha512 is not supported
}

TEST(Cve, Normalises) {
  EXPECT_EQ(normalize_cve("cve-2021-44228"), "CVE-2021-44228");
  EXPECT_EQ(normalize_cve("CVE-2024-1234567"), "CVE-2024-1234567");
  EXPECT_FALSE(normalize_cve("CVE-2021-442"));
  EXPECT_FALSE(normalize_cve("CVE-21-44228"));
  EXPECT_FALSE(normalize_cve("CVE-2021-44228x"));
}

TEST(Refang, MarksChangedBytes) {
  auto out = refang("a 198.51.100[.]7 b");
  EXPECT_EQ(out.text, "a 198.51.100.7 b");
  ASSERT_EQ(out.changed.size(), out.text.size());
  EXPECT_TRUE(out.any_changed);
  EXPECT_EQ(out.changed[12], 1);  // the '.'
  EXPECT_EQ(out.changed[2], 0);
  EXPECT_EQ(refang("user [at] evil [dot] example").text, "user@evil.example");
  EXPECT_EQ(refang("user(at)evil.example").text, "user@evil.example");
  EXPECT_EQ(refang("see [1] and (a) or {x}").text, "see [1] and (a) or {x}");
  EXPECT_FALSE(refang("see [1] and (a) or {x}").any_changed);
  EXPECT_EQ(refang("the hxxp header").text, "the hxxp header");  // no ':' after it
  EXPECT_EQ(refang("HXXPS://x").text, "https://x");
}

}  // namespace
}  // namespace threat_intel
