// Every feed format: detection, fields, malformed lines counted and skipped.
#include <gtest/gtest.h>

#include "threat_intel/feed.hpp"

namespace threat_intel {
namespace {

FeedSpec spec(FeedFormat format = FeedFormat::Auto) {
  FeedSpec result;
  result.name = "test";
  result.file = "test.txt";
  result.format = format;
  return result;
}

std::string detail(const FeedEntry& entry, std::string_view key) {
  for (const auto& [k, v] : entry.details)
    if (k == key) return v;
  return "<none>";
}

constexpr std::string_view kUrlhaus =
    R"(################################################################
# URLhaus-format CSV (test)                                    #
################################################################
#
# id,dateadded,url,url_status,last_online,threat,tags,urlhaus_link,reporter
"1","2024-07-30 08:15:02","http://198.51.100.23:8080/bins/x.arm7","online","2024-08-01 11:00:00","malware_download","elf,DemoBot","https://urlhaus.example.org/url/1/","alice"
"2","2024-07-29 17:40:11","HTTPS://DL.Evil.Example/setup.exe","offline","","malware_download","","https://urlhaus.example.org/url/2/","bob"
"3","2024-07-29 17:40:11","not a url","offline","","malware_download","","",""
"4","2024-07-29 17:40:11,"http://broken.example/"
)";

constexpr std::string_view kFeodo = R"(# Feodo-format (test)
# "first_seen_utc","dst_ip","dst_port","c2_status","last_online","malware"
"2024-06-01 10:00:00","203.0.113.45","443","online","2024-08-01","DemoBot"
"2024-07-02 04:12:45","2001:db8:c2::1","447","online","2024-08-01","TestRAT"
"2024-07-02 04:12:45","203.0.113.999","447","online","2024-08-01","TestRAT"
)";

constexpr std::string_view kBazaar = R"(# MalwareBazaar-format (test)
# "first_seen_utc","sha256_hash","md5_hash","sha1_hash","reporter","file_name","file_type_guess","mime_type","signature","clamav","vtpercent","imphash","ssdeep","tlsh"
"2024-07-30 10:11:12","B576AEE4E3BBE7BA9ED26EF315283AA8758E9DE6F62FB6B1579C5B6AC0F28AE0","8970fa9bf7c4c9f88cf87511086f29f2","0f4889e43e50920bd36b7adc0f8733b679203d8c","alice","invoice, final.exe","exe","application/x-dosexec","DemoLoader","n/a","n/a","n/a","n/a","n/a"
"2024-07-31 01:02:03","a4d0b6e33182316fbcb551c86eea4a6f7ee72ba2d30933789929bacfd37beb6d","n/a","n/a","bob","x.js","js","text/plain","n/a","n/a","n/a","n/a","n/a","n/a"
"2024-07-31 01:02:03","not-a-hash","n/a","n/a","bob","x.js","js","text/plain","n/a","n/a","n/a","n/a","n/a","n/a"
)";

constexpr std::string_view kThreatFox = R"(# ThreatFox-format (test)
# "first_seen_utc","ioc_id","ioc_value","ioc_type","threat_type","fk_malware","malware_alias","malware_printable","last_seen_utc","confidence_level","reference","tags","anonymous","reporter"
"2024-07-15 09:00:00","1","198.51.100.77:8443","ip:port","botnet_cc","win.testrat","TRAT","TestRAT","2024-07-31 22:00:00","100","","TestRAT,c2","0","alice"
"2024-07-16 10:30:00","2","c2.evil.example","domain","botnet_cc","win.testrat","","TestRAT","","75","https://blog.example.com/a","TestRAT","0","alice"
"2024-07-17 11:45:00","3","https://dl.evil.example/payload","url","payload_delivery","win.demoloader","","DemoLoader","","50","","","1","anonymous"
"2024-07-18 12:00:00","4","e1799f49a32df062a1d63ede6657fa5aae49dceed056436a054343c73dfb0b8c","sha256_hash","payload","unknown","","Unknown malware","","25","","","0","alice"
"2024-07-18 12:00:00","5","[2001:db8::5]:443","ip:port","botnet_cc","","","TestRAT","","80","","","0","alice"
"2024-07-18 12:00:00","6","nonsense","sha256_hash","payload","","","","","25","","","0","alice"
"2024-07-18 12:00:00","7","c2.evil.example","domain","botnet_cc","","","","","high","","","0","alice"
)";

TEST(FeedFormat, DetectsFormatsFromTheirHeaders) {
  EXPECT_EQ(detect_format(kUrlhaus), FeedFormat::UrlhausCsv);
  EXPECT_EQ(detect_format(kFeodo), FeedFormat::FeodoCsv);
  EXPECT_EQ(detect_format(kBazaar), FeedFormat::MalwareBazaarCsv);
  EXPECT_EQ(detect_format(kThreatFox), FeedFormat::ThreatFoxCsv);
  EXPECT_EQ(detect_format("; DROP\n198.51.100.0/24 ; SBL1\n"), FeedFormat::Cidr);
  EXPECT_EQ(detect_format("# list\n198.51.100.7\nevil.example\n"), FeedFormat::Plain);
  EXPECT_EQ(detect_format(""), FeedFormat::Plain);
  // An uncommented header line works too.
  EXPECT_EQ(detect_format("first_seen_utc,dst_ip,dst_port,c2_status,last_online,malware\n"),
            FeedFormat::FeodoCsv);
}

TEST(FeedFormat, PlainBlocklist) {
  auto feed = parse_feed(
      "\xEF\xBB\xBF# comment\r\n"
      "198.51.100.7\r\n"
      "198.51.100.0/24   # inline comment\n"
      "\n"
      "Evil.Example.COM\n"
      "hxxp://malicious[.]example/x\n"
      "0.0.0.0 tracker.example.com\n"
      "127.0.0.1 localhost\n"
      "8970FA9BF7C4C9F88CF87511086F29F2\n"
      "2001:db8:bad::7\n"
      "this is ! not an indicator\n"
      "evil.zip\n",
      spec(FeedFormat::Plain));
  EXPECT_EQ(feed.status.format, FeedFormat::Plain);
  EXPECT_EQ(feed.status.verdict, Verdict::Suspicious);
  EXPECT_EQ(feed.status.confidence, 50);
  ASSERT_EQ(feed.entries.size(), 8u);
  EXPECT_EQ(feed.entries[0].value, "198.51.100.7");
  EXPECT_EQ(feed.entries[0].type, IndicatorType::Ipv4);
  EXPECT_EQ(feed.entries[0].line, 2u);
  EXPECT_EQ(feed.entries[1].value, "198.51.100.0/24");
  EXPECT_EQ(feed.entries[2].value, "evil.example.com");
  EXPECT_EQ(feed.entries[3].value, "http://malicious.example/x");
  EXPECT_EQ(feed.entries[3].url_host, "malicious.example");
  EXPECT_EQ(feed.entries[4].value, "tracker.example.com");
  EXPECT_EQ(feed.entries[5].type, IndicatorType::Md5);
  EXPECT_EQ(feed.entries[5].value, "8970fa9bf7c4c9f88cf87511086f29f2");
  EXPECT_EQ(feed.entries[6].type, IndicatorType::Ipv6);
  EXPECT_EQ(feed.entries[7].value, "evil.zip");  // feeds are trusted with odd TLDs
  EXPECT_EQ(feed.status.skipped_lines, 1u);
  ASSERT_EQ(feed.status.problems.size(), 1u);
  EXPECT_EQ(feed.status.problems[0].rfind("line 11: 'this'", 0), 0u) << feed.status.problems[0];
}

TEST(FeedFormat, CidrList) {
  auto feed = parse_feed(
      "; Spamhaus-DROP-style list\n"
      "198.51.100.0/24 ; SBL000001\n"
      "203.0.113.128/25;SBL000002\n"
      "2001:db8:dead::/48 ; SBL000003\n"
      "192.0.2.7\n"
      "192.0.2.0/33 ; SBL000004\n"
      "garbage ; SBL000005\n",
      spec());
  EXPECT_EQ(feed.status.format, FeedFormat::Cidr);
  EXPECT_EQ(feed.status.verdict, Verdict::Malicious);
  EXPECT_EQ(feed.status.confidence, 85);
  ASSERT_EQ(feed.entries.size(), 4u);
  EXPECT_EQ(feed.entries[0].value, "198.51.100.0/24");
  EXPECT_EQ(feed.entries[0].reference, "SBL000001");
  EXPECT_EQ(feed.entries[1].value, "203.0.113.128/25");
  EXPECT_EQ(feed.entries[1].reference, "SBL000002");
  EXPECT_EQ(feed.entries[2].type, IndicatorType::Ipv6);
  EXPECT_EQ(feed.entries[2].network->prefix, 48);
  EXPECT_EQ(feed.entries[3].value, "192.0.2.7");
  EXPECT_EQ(feed.status.skipped_lines, 2u);
}

TEST(FeedFormat, UrlhausCsv) {
  auto feed = parse_feed(kUrlhaus, spec());
  EXPECT_EQ(feed.status.format, FeedFormat::UrlhausCsv);
  ASSERT_EQ(feed.entries.size(), 2u);
  const auto& first = feed.entries[0];
  EXPECT_EQ(first.type, IndicatorType::Url);
  EXPECT_EQ(first.value, "http://198.51.100.23:8080/bins/x.arm7");
  EXPECT_EQ(first.url_host, "198.51.100.23");
  EXPECT_EQ(first.first_seen, "2024-07-30T08:15:02Z");
  EXPECT_EQ(first.last_seen, "2024-08-01T11:00:00Z");
  EXPECT_EQ(first.threat_type, "malware_download");
  EXPECT_EQ(first.tags, (std::vector<std::string>{"elf", "DemoBot"}));
  EXPECT_EQ(first.reference, "https://urlhaus.example.org/url/1/");
  EXPECT_EQ(detail(first, "url_status"), "online");
  EXPECT_EQ(detail(first, "id"), "1");
  EXPECT_EQ(feed.entries[1].value, "https://dl.evil.example/setup.exe");
  EXPECT_EQ(feed.entries[1].last_seen, "");
  EXPECT_EQ(feed.status.skipped_lines, 2u);  // "not a url" and the broken quoting
}

TEST(FeedFormat, FeodoCsv) {
  auto feed = parse_feed(kFeodo, spec());
  EXPECT_EQ(feed.status.format, FeedFormat::FeodoCsv);
  EXPECT_EQ(feed.status.confidence, 90);
  ASSERT_EQ(feed.entries.size(), 2u);
  EXPECT_EQ(feed.entries[0].value, "203.0.113.45");
  EXPECT_EQ(feed.entries[0].malware, "DemoBot");
  EXPECT_EQ(feed.entries[0].threat_type, "botnet_cc");
  EXPECT_EQ(feed.entries[0].first_seen, "2024-06-01T10:00:00Z");
  EXPECT_EQ(feed.entries[0].last_seen, "2024-08-01");
  EXPECT_EQ(detail(feed.entries[0], "port"), "443");
  EXPECT_EQ(detail(feed.entries[0], "c2_status"), "online");
  EXPECT_EQ(feed.entries[1].value, "2001:db8:c2::1");
  EXPECT_EQ(feed.status.skipped_lines, 1u);
}

TEST(FeedFormat, MalwareBazaarCsv) {
  auto feed = parse_feed(kBazaar, spec());
  EXPECT_EQ(feed.status.format, FeedFormat::MalwareBazaarCsv);
  ASSERT_EQ(feed.entries.size(), 2u);
  const auto& first = feed.entries[0];
  EXPECT_EQ(first.type, IndicatorType::Sha256);
  EXPECT_EQ(first.value, "b576aee4e3bbe7ba9ed26ef315283aa8758e9de6f62fb6b1579c5b6ac0f28ae0");
  EXPECT_EQ(first.hashes.size(), 3u);
  EXPECT_EQ(first.malware, "DemoLoader");
  EXPECT_EQ(detail(first, "file_name"), "invoice, final.exe");  // quoted comma
  EXPECT_EQ(first.tags, (std::vector<std::string>{"exe"}));
  EXPECT_EQ(feed.entries[1].hashes.size(), 1u);  // "n/a" md5 and sha1
  EXPECT_EQ(feed.entries[1].malware, "");        // "n/a" signature
  EXPECT_EQ(feed.status.skipped_lines, 1u);
}

TEST(FeedFormat, ThreatFoxCsv) {
  auto feed = parse_feed(kThreatFox, spec());
  EXPECT_EQ(feed.status.format, FeedFormat::ThreatFoxCsv);
  ASSERT_EQ(feed.entries.size(), 5u);
  EXPECT_EQ(feed.entries[0].value, "198.51.100.77");
  EXPECT_EQ(detail(feed.entries[0], "port"), "8443");
  EXPECT_EQ(feed.entries[0].confidence, 100);
  EXPECT_EQ(feed.entries[0].malware, "TestRAT");
  EXPECT_EQ(feed.entries[0].tags, (std::vector<std::string>{"TestRAT", "c2"}));
  EXPECT_EQ(feed.entries[0].last_seen, "2024-07-31T22:00:00Z");
  EXPECT_EQ(feed.entries[1].type, IndicatorType::Domain);
  EXPECT_EQ(feed.entries[1].reference, "https://blog.example.com/a");
  EXPECT_EQ(feed.entries[2].type, IndicatorType::Url);
  EXPECT_EQ(feed.entries[2].confidence, 50);
  EXPECT_EQ(feed.entries[3].type, IndicatorType::Sha256);
  EXPECT_EQ(feed.entries[3].malware, "");  // "Unknown malware"
  EXPECT_EQ(feed.entries[4].value, "2001:db8::5");
  EXPECT_EQ(detail(feed.entries[4], "port"), "443");
  EXPECT_EQ(feed.status.skipped_lines, 2u);  // not a hash; confidence "high"
}

TEST(FeedFormat, DeclaredFormatWithoutHeaderUsesTheDocumentedColumns) {
  auto feed = parse_feed(
      "\"2024-06-01 10:00:00\",\"203.0.113.45\",\"443\",\"online\",\"2024-08-01\",\"DemoBot\"\n",
      spec(FeedFormat::FeodoCsv));
  ASSERT_EQ(feed.entries.size(), 1u);
  EXPECT_EQ(feed.entries[0].malware, "DemoBot");
}

TEST(FeedFormat, ColumnsFollowTheHeaderOrder) {
  auto feed = parse_feed(
      "dst_ip,malware,first_seen_utc\n"
      "203.0.113.45,DemoBot,2024-06-01 10:00:00\n",
      spec());
  EXPECT_EQ(feed.status.format, FeedFormat::FeodoCsv);
  ASSERT_EQ(feed.entries.size(), 1u);
  EXPECT_EQ(feed.entries[0].value, "203.0.113.45");
  EXPECT_EQ(feed.entries[0].malware, "DemoBot");
}

TEST(FeedFormat, GarbageNeverThrows) {
  std::string garbage;
  for (int i = 0; i < 4096; ++i)
    garbage += static_cast<char>((i * 7919) % 256);
  for (FeedFormat format :
       {FeedFormat::Auto, FeedFormat::Plain, FeedFormat::Cidr, FeedFormat::UrlhausCsv,
        FeedFormat::FeodoCsv, FeedFormat::MalwareBazaarCsv, FeedFormat::ThreatFoxCsv}) {
    ParsedFeed feed;
    EXPECT_NO_THROW(feed = parse_feed(garbage, spec(format)));
    EXPECT_GT(feed.status.skipped_lines, 0u);
    EXPECT_LE(feed.status.problems.size(), 5u);
  }
}

TEST(FeedFormat, Iso8601) {
  EXPECT_EQ(iso8601("2024-08-01 12:00:05"), "2024-08-01T12:00:05Z");
  EXPECT_EQ(iso8601("2024-08-01 12:00:05 UTC"), "2024-08-01T12:00:05Z");
  EXPECT_EQ(iso8601("2024-08-01T12:00:05Z"), "2024-08-01T12:00:05Z");
  EXPECT_EQ(iso8601("2024-08-01T12:00:05+02:00"), "2024-08-01T12:00:05+02:00");
  EXPECT_EQ(iso8601("2024-08-01 12:00"), "2024-08-01T12:00:00Z");
  EXPECT_EQ(iso8601("2024-08-01"), "2024-08-01");
  EXPECT_EQ(iso8601("2024-13-01"), "");
  EXPECT_EQ(iso8601("yesterday"), "");
  EXPECT_EQ(iso8601(""), "");
}

TEST(FeedFormat, SplitCsv) {
  EXPECT_EQ(*split_csv(R"("a","b,c",d, e ,"f""g")"),
            (std::vector<std::string>{"a", "b,c", "d", "e", "f\"g"}));
  EXPECT_EQ(*split_csv("a,,b,"), (std::vector<std::string>{"a", "", "b", ""}));
  EXPECT_FALSE(split_csv(R"("unterminated,b)"));
  EXPECT_FALSE(split_csv(R"("a"x,b)"));
}

TEST(FeedFormat, NamesRoundTrip) {
  for (FeedFormat format :
       {FeedFormat::Auto, FeedFormat::Plain, FeedFormat::Cidr, FeedFormat::UrlhausCsv,
        FeedFormat::FeodoCsv, FeedFormat::MalwareBazaarCsv, FeedFormat::ThreatFoxCsv})
    EXPECT_EQ(parse_format(format_name(format)), format);
  EXPECT_EQ(parse_format("ThreatFox"), FeedFormat::ThreatFoxCsv);
  EXPECT_EQ(parse_format("urlhaus-csv"), FeedFormat::UrlhausCsv);
  EXPECT_FALSE(parse_format("stix"));
  EXPECT_EQ(parse_verdict("Malicious"), Verdict::Malicious);
  EXPECT_EQ(parse_verdict("benign"), Verdict::Clean);
  EXPECT_FALSE(parse_verdict("evil"));
}

}  // namespace
}  // namespace threat_intel
