// Matching (CIDR v4/v6, parent domains, URLs and their hosts, hashes) and the verdict/confidence
// rules, on hand-built feeds and on the sample feeds shipped in feeds/.
#include <algorithm>
#include <chrono>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "temp_dir.hpp"
#include "threat_intel/feed_store.hpp"
#include "threat_intel/json_writer.hpp"
#include "threat_intel/reputation.hpp"
#include "threat_intel/result_json.hpp"

namespace threat_intel {
namespace {

ParsedFeed feed(std::string name, std::string_view content, FeedFormat format,
                std::optional<Verdict> verdict = {}, std::optional<int> confidence = {}) {
  FeedSpec spec;
  spec.name = std::move(name);
  spec.file = spec.name + ".txt";
  spec.format = format;
  spec.verdict = verdict;
  spec.confidence = confidence;
  return parse_feed(content, spec);
}

Reputation look_up(const IndicatorIndex& index, std::string_view text) {
  auto classified = classify_indicator(text);
  EXPECT_TRUE(classified.indicator) << text << ": " << classified.error;
  if (!classified.indicator) return {};
  return assess(index, *classified.indicator);
}

IndicatorIndex make_index() {
  std::vector<ParsedFeed> feeds;
  feeds.push_back(feed("drop",
                       "198.51.100.0/24 ; SBL1\n"
                       "203.0.113.128/25 ; SBL2\n"
                       "2001:db8:dead::/48 ; SBL3\n"
                       "10.0.0.0/8 ; SBL4\n",
                       FeedFormat::Cidr, Verdict::Malicious, 80));
  feeds.push_back(feed("blocklist",
                       "198.51.100.7\n"
                       "2001:db8:dead:beef::7\n"
                       "example.com\n"
                       "phish.example.net\n"
                       "http://203.0.113.9/gate.php\n"
                       "https://files.example.org/drop/a.exe\n"
                       "8970FA9BF7C4C9F88CF87511086F29F2\n",
                       FeedFormat::Plain, Verdict::Suspicious, 60));
  feeds.push_back(
      feed("allow", "192.0.2.10\nwww.example.com\n", FeedFormat::Plain, Verdict::Clean, 70));
  return IndicatorIndex(std::move(feeds));
}

TEST(Reputation, UnknownWhenNothingMatches) {
  auto index = make_index();
  auto result = look_up(index, "192.0.2.99");
  EXPECT_EQ(result.verdict, Verdict::Unknown);
  EXPECT_EQ(result.confidence, 0);
  EXPECT_TRUE(result.matches.empty());
  EXPECT_EQ(look_up(index, "unlisted.example").verdict, Verdict::Unknown);
  EXPECT_EQ(look_up(index, "com.example").verdict, Verdict::Unknown);
}

TEST(Reputation, Ipv4CidrAndExact) {
  auto index = make_index();
  auto result = look_up(index, "198.51.100.7");
  EXPECT_EQ(result.verdict, Verdict::Malicious);
  ASSERT_EQ(result.matches.size(), 2u);
  EXPECT_EQ(result.matches[0].feed, "drop");
  EXPECT_EQ(result.matches[0].kind, MatchKind::Cidr);
  EXPECT_EQ(result.matches[0].entry, "198.51.100.0/24");
  EXPECT_EQ(result.matches[0].reference, "SBL1");
  EXPECT_EQ(result.matches[0].confidence, 68);  // 80 * 0.85
  EXPECT_EQ(result.matches[1].feed, "blocklist");
  EXPECT_EQ(result.matches[1].kind, MatchKind::Exact);
  EXPECT_EQ(result.matches[1].verdict, Verdict::Suspicious);
  EXPECT_EQ(result.confidence, 68);  // only malicious feeds support "malicious"

  auto edge = look_up(index, "203.0.113.128");
  EXPECT_EQ(edge.verdict, Verdict::Malicious);
  EXPECT_EQ(edge.matches[0].entry, "203.0.113.128/25");
  EXPECT_EQ(look_up(index, "203.0.113.127").verdict, Verdict::Unknown);
  EXPECT_EQ(look_up(index, "10.255.255.255").matches[0].entry, "10.0.0.0/8");
  EXPECT_EQ(look_up(index, "11.0.0.0").verdict, Verdict::Unknown);
}

TEST(Reputation, Ipv6CidrAndExact) {
  auto index = make_index();
  auto inside = look_up(index, "2001:db8:dead:1::1");
  EXPECT_EQ(inside.verdict, Verdict::Malicious);
  ASSERT_EQ(inside.matches.size(), 1u);
  EXPECT_EQ(inside.matches[0].entry, "2001:db8:dead::/48");
  EXPECT_EQ(inside.matches[0].kind, MatchKind::Cidr);
  auto both = look_up(index, "2001:DB8:DEAD:BEEF:0::7");
  ASSERT_EQ(both.matches.size(), 2u);
  EXPECT_EQ(both.matches[1].kind, MatchKind::Exact);
  EXPECT_EQ(both.matches[1].entry, "2001:db8:dead:beef::7");
  EXPECT_EQ(look_up(index, "2001:db8:beef::1").verdict, Verdict::Unknown);
  // An IPv4-mapped IPv6 address matches the IPv4 entries.
  auto mapped = look_up(index, "::ffff:198.51.100.7");
  EXPECT_EQ(mapped.verdict, Verdict::Malicious);
  EXPECT_EQ(mapped.matches.size(), 2u);
}

TEST(Reputation, ParentDomains) {
  auto index = make_index();
  auto sub = look_up(index, "a.b.example.com");
  EXPECT_EQ(sub.verdict, Verdict::Suspicious);
  ASSERT_EQ(sub.matches.size(), 1u);
  EXPECT_EQ(sub.matches[0].kind, MatchKind::ParentDomain);
  EXPECT_EQ(sub.matches[0].entry, "example.com");
  EXPECT_EQ(sub.matches[0].confidence, 45);  // 60 * 0.75
  auto exact = look_up(index, "EXAMPLE.com");
  EXPECT_EQ(exact.matches[0].kind, MatchKind::Exact);
  EXPECT_EQ(exact.confidence, 60);
  // "www.example.com" is on the allowlist and under a suspicious parent: the severer wins.
  auto www = look_up(index, "www.example.com");
  EXPECT_EQ(www.verdict, Verdict::Suspicious);
  EXPECT_EQ(www.matches.size(), 2u);
  EXPECT_EQ(look_up(index, "notexample.com").verdict, Verdict::Unknown);
  EXPECT_EQ(look_up(index, "example.net").verdict, Verdict::Unknown);
}

TEST(Reputation, UrlsExactAndByHost) {
  auto index = make_index();
  auto exact = look_up(index, "HTTP://203.0.113.9:80/gate.php");
  ASSERT_FALSE(exact.matches.empty());
  EXPECT_EQ(exact.matches[0].kind, MatchKind::Exact);
  EXPECT_EQ(exact.matches[0].entry, "http://203.0.113.9/gate.php");

  auto on_listed_domain = look_up(index, "https://login.phish.example.net/index.html");
  ASSERT_EQ(on_listed_domain.matches.size(), 1u);
  EXPECT_EQ(on_listed_domain.matches[0].kind, MatchKind::UrlHostParentDomain);
  EXPECT_EQ(on_listed_domain.matches[0].entry, "phish.example.net");

  auto on_listed_ip = look_up(index, "http://198.51.100.7/x");
  EXPECT_EQ(on_listed_ip.verdict, Verdict::Malicious);
  ASSERT_EQ(on_listed_ip.matches.size(), 2u);
  EXPECT_EQ(on_listed_ip.matches[0].kind, MatchKind::UrlHostCidr);
  EXPECT_EQ(on_listed_ip.matches[1].kind, MatchKind::UrlHost);

  // Another path on a host that served a listed URL.
  auto sibling = look_up(index, "https://files.example.org/other.exe");
  ASSERT_EQ(sibling.matches.size(), 1u);
  EXPECT_EQ(sibling.matches[0].kind, MatchKind::HostOfListedUrl);
  // A host serving a listed URL: at most suspicious, even from a malicious feed.
  auto host = look_up(index, "files.example.org");
  ASSERT_EQ(host.matches.size(), 1u);
  EXPECT_EQ(host.matches[0].kind, MatchKind::HostOfListedUrl);
  EXPECT_EQ(host.matches[0].entry, "https://files.example.org/drop/a.exe");
}

TEST(Reputation, HashesAreCaseInsensitive) {
  auto index = make_index();
  auto result = look_up(index, "8970fa9bf7c4c9f88cf87511086f29f2");
  ASSERT_EQ(result.matches.size(), 1u);
  EXPECT_EQ(result.matches[0].entry, "8970fa9bf7c4c9f88cf87511086f29f2");
  EXPECT_EQ(look_up(index, "8970FA9BF7C4C9F88CF87511086F29F2").matches.size(), 1u);
}

TEST(Reputation, CleanWhenOnlyTheAllowlistMatches) {
  auto index = make_index();
  auto result = look_up(index, "192.0.2.10");
  EXPECT_EQ(result.verdict, Verdict::Clean);
  EXPECT_EQ(result.confidence, 70);
}

TEST(Reputation, ConfidenceCombinesIndependentFeeds) {
  std::vector<ParsedFeed> feeds;
  feeds.push_back(feed("a", "evil.example\n", FeedFormat::Plain, Verdict::Malicious, 60));
  feeds.push_back(
      feed("b", "evil.example\nevil.example\n", FeedFormat::Plain, Verdict::Malicious, 50));
  feeds.push_back(feed("c", "evil.example\n", FeedFormat::Plain, Verdict::Suspicious, 90));
  IndicatorIndex index(std::move(feeds));
  auto result = look_up(index, "evil.example");
  EXPECT_EQ(result.verdict, Verdict::Malicious);
  // 1 - (1 - 0.6) * (1 - 0.5) = 0.8; feed b counts once although it lists the name twice, and
  // the suspicious feed does not add to a malicious verdict.
  EXPECT_EQ(result.confidence, 80);
  EXPECT_EQ(result.matches.size(), 4u);

  std::vector<ParsedFeed> one;
  one.push_back(feed("a", "evil.example\n", FeedFormat::Plain, Verdict::Malicious, 60));
  EXPECT_EQ(look_up(IndicatorIndex(std::move(one)), "evil.example").confidence, 60);
}

TEST(Reputation, RowConfidenceOverridesTheFeeds) {
  std::vector<ParsedFeed> feeds;
  feeds.push_back(
      feed("tf",
           "# \"first_seen_utc\",\"ioc_id\",\"ioc_value\",\"ioc_type\",\"threat_type\","
           "\"fk_malware\",\"malware_alias\",\"malware_printable\",\"last_seen_utc\","
           "\"confidence_level\",\"reference\",\"tags\",\"anonymous\",\"reporter\"\n"
           "\"2024-07-16 10:30:00\",\"2\",\"c2.evil.example\",\"domain\",\"botnet_cc\","
           "\"\",\"\",\"TestRAT\",\"2024-07-20 00:00:00\",\"30\",\"\",\"x\",\"0\",\"a\"\n",
           FeedFormat::Auto, {}, 90));
  IndicatorIndex index(std::move(feeds));
  auto result = look_up(index, "c2.evil.example");
  EXPECT_EQ(result.confidence, 30);
  EXPECT_EQ(result.malware, (std::vector<std::string_view>{"TestRAT"}));
  EXPECT_EQ(result.tags, (std::vector<std::string_view>{"TestRAT", "botnet_cc", "x"}));
  EXPECT_EQ(result.first_seen, "2024-07-16T10:30:00Z");
  EXPECT_EQ(result.last_seen, "2024-07-20T00:00:00Z");
}

TEST(Reputation, LargeFeedsMatchEveryListedAddress) {
  // 200,000 /32s and 50,000 /24s (speed is the benchmark's business, not this test's).
  std::string hosts, nets;
  for (uint32_t i = 0; i < 200000; ++i) {
    uint32_t ip = 0x0A000000u + i * 7;  // 10.x.y.z
    hosts += std::to_string(ip >> 24) + "." + std::to_string((ip >> 16) & 255) + "." +
             std::to_string((ip >> 8) & 255) + "." + std::to_string(ip & 255) + "\n";
  }
  for (uint32_t i = 0; i < 50000; ++i) {
    uint32_t ip = 0x64000000u + (i << 8);  // 100.x.y.0/24
    nets += std::to_string(ip >> 24) + "." + std::to_string((ip >> 16) & 255) + "." +
            std::to_string((ip >> 8) & 255) + ".0/24\n";
  }
  std::vector<ParsedFeed> feeds;
  feeds.push_back(feed("hosts", hosts, FeedFormat::Plain));
  feeds.push_back(feed("nets", nets, FeedFormat::Cidr));
  IndicatorIndex index(std::move(feeds));
  EXPECT_EQ(index.entry_count(), 250000u);
  int found = 0;
  for (uint32_t i = 0; i < 100000; ++i) {
    uint32_t ip = (i % 2 ? 0x0A000000u + i * 7 : 0x64000000u + ((i % 50000) << 8) + 5);
    Indicator indicator;
    indicator.type = IndicatorType::Ipv4;
    indicator.ip = IpAddress::v4(ip);
    indicator.value = indicator.ip->to_string();
    found += index.find(indicator).empty() ? 0 : 1;
  }
  EXPECT_EQ(found, 100000);
}

TEST(Reputation, SampleFeedsShippedWithThePlugin) {
  auto snapshot = load_snapshot(THREAT_INTEL_SOURCE_DIR "/feeds");
  EXPECT_TRUE(snapshot->problems.empty()) << snapshot->problems.front();
  EXPECT_EQ(snapshot->feeds_loaded(), 7u);
  EXPECT_EQ(snapshot->skipped_lines(), 0u);
  auto result = look_up(snapshot->index, "198.51.100[.]7");
  EXPECT_EQ(result.verdict, Verdict::Malicious);
  EXPECT_EQ(result.confidence, 97);  // feodo 90 exact + drop 85*0.85 cidr
  EXPECT_EQ(result.first_seen, "2024-06-15T22:30:00Z");
  EXPECT_EQ(
      look_up(snapshot->index, "b576aee4e3bbe7ba9ed26ef315283aa8758e9de6f62fb6b1579c5b6ac0f28ae0")
          .malware,
      (std::vector<std::string_view>{"DemoLoader"}));
  // A MalwareBazaar row lists the file's three hashes: a match reports the one looked up (in the
  // feed's spelling) and names all three in its details.
  const auto by_sha1 = look_up(snapshot->index, "0F4889E43E50920BD36B7ADC0F8733B679203D8C");
  EXPECT_EQ(by_sha1.verdict, Verdict::Malicious);
  ASSERT_EQ(by_sha1.matches.size(), 1u);
  EXPECT_EQ(by_sha1.matches[0].entry, "0f4889e43e50920bd36b7adc0f8733b679203d8c");
  const auto& details = by_sha1.matches[0].details;
  EXPECT_NE(std::find(details.begin(), details.end(),
                      std::pair<std::string_view, std::string_view>(
                          "md5", "8970fa9bf7c4c9f88cf87511086f29f2")),
            details.end());
  EXPECT_EQ(look_up(snapshot->index, "www.example.com").verdict, Verdict::Clean);
  EXPECT_EQ(look_up(snapshot->index, "x.c2.evil.example").verdict, Verdict::Malicious);
  EXPECT_EQ(look_up(snapshot->index, "hxxps://dl.evil[.]example/payload/setup.exe").matches.size(),
            2u);
}

TEST(Reputation, JsonShape) {
  auto snapshot = load_snapshot(THREAT_INTEL_SOURCE_DIR "/feeds");
  auto result = look_up(snapshot->index, "198.51.100[.]7");
  const auto text = reputation_json(result, "198.51.100[.]7", *snapshot);
  const auto parsed = boost::json::parse(text);  // throws when the text is not JSON
  const auto& json = parsed.as_object();
  EXPECT_EQ(json.at("indicator").as_string(), "198.51.100.7");
  EXPECT_EQ(json.at("type").as_string(), "ipv4");
  EXPECT_EQ(json.at("input").as_string(), "198.51.100[.]7");
  EXPECT_EQ(json.at("defanged").as_bool(), true);
  EXPECT_EQ(json.at("verdict").as_string(), "malicious");
  EXPECT_EQ(json.at("confidence").as_int64(), 97);
  const auto& matches = json.at("matches").as_array();
  ASSERT_EQ(matches.size(), 3u);
  const auto& first = matches[0].as_object();
  for (const char* key :
       {"feed", "format", "match", "entry", "verdict", "confidence", "first_seen", "last_seen",
        "malware", "threat_type", "tags", "reference", "details", "line"})
    EXPECT_TRUE(first.contains(key)) << key;
  EXPECT_EQ(first.at("feed").as_string(), "feodo-sample");
  EXPECT_EQ(first.at("details").at("port").as_string(), "8080");
  EXPECT_EQ(first.at("line").as_int64(), 6);
  EXPECT_TRUE(matches[1].at("malware").is_null());
  EXPECT_EQ(matches[1].at("tags"), (boost::json::array{"hijacked-netblock"}));
  EXPECT_TRUE(json.at("last_seen").is_string());
  EXPECT_EQ(json.at("tags"),
            (boost::json::array{"DemoBot", "botnet_cc", "hijacked-netblock", "local"}));
  const auto& feeds = json.at("feeds").as_object();
  EXPECT_EQ(feeds.at("loaded").as_int64(), 7);
  EXPECT_EQ(feeds.at("entries").as_int64(), 26);
  EXPECT_TRUE(feeds.at("problems").as_array().empty());
  // Only the feeds that listed the indicator, in the folder's order, with their files.
  EXPECT_FALSE(feeds.contains("list"));
  EXPECT_EQ(feeds.at("matched"),
            (boost::json::array{{{"name", "local-blocklist"}, {"file", "local-blocklist.txt"}},
                                {{"name", "drop-sample"}, {"file", "drop.txt"}},
                                {{"name", "feodo-sample"}, {"file", "feodo.csv"}}}));

  const auto unknown = boost::json::parse(
      reputation_json(look_up(snapshot->index, "192.0.2.200"), "192.0.2.200", *snapshot));
  EXPECT_EQ(unknown.at("verdict").as_string(), "unknown");
  EXPECT_TRUE(unknown.at("first_seen").is_null());
  EXPECT_TRUE(unknown.at("matches").as_array().empty());
  EXPECT_TRUE(unknown.at("feeds").at("matched").as_array().empty());
}

// A broken feed is named in every answer's problems, matched or not.
TEST(Reputation, JsonNamesFeedProblems) {
  testing::TempDir dir;
  dir.write("good.txt", "198.51.100.7\nnot an indicator\n");
  dir.write("feeds.json", R"({"feeds": [{"name": "good", "file": "good.txt"},
                                        {"name": "gone", "file": "missing.txt"}]})");
  auto snapshot = load_snapshot(dir.path());
  const auto json = boost::json::parse(
      reputation_json(look_up(snapshot->index, "192.0.2.1"), "192.0.2.1", *snapshot));
  const auto& problems = json.at("feeds").at("problems").as_array();
  ASSERT_EQ(problems.size(), 2u) << boost::json::serialize(problems);
  EXPECT_EQ(problems[0].as_string().subview().substr(0, 10), "good.txt: ");
  EXPECT_EQ(problems[1].as_string().subview().substr(0, 6), "gone: ");
}

// Text from feed files goes into the answer escaped: quotes, backslashes, control characters;
// UTF-8 as it is.
TEST(JsonWriter, EscapesWhatJsonNeedsAndKeepsTheRest) {
  const std::string tricky = "a \"quoted\" \\ path\n\t\x01\x1f caf\xc3\xa9 \xe2\x82\xac /";
  std::string text;
  JsonWriter out(text);
  out.begin_object();
  out.key(tricky);
  out.string(tricky);
  out.key("list");
  out.begin_array();
  out.number(-42);
  out.boolean(false);
  out.string_or_null("");
  out.begin_object();
  out.end_object();
  out.begin_array();
  out.end_array();
  out.end_array();
  out.end_object();
  EXPECT_EQ(text.find('\n'), std::string::npos) << "control characters are escaped";
  const auto parsed = boost::json::parse(text);
  const auto& object = parsed.as_object();
  ASSERT_EQ(object.size(), 2u) << text;
  EXPECT_EQ(object.at(tricky).as_string(), tricky);
  EXPECT_EQ(object.at("list"),
            (boost::json::array{-42, false, nullptr, boost::json::object{}, boost::json::array{}}));
}

// The writer skips eight plain bytes at a time: a character that needs escaping must be caught
// at every offset of such a word, and bytes of 0x80 and above (UTF-8) must pass untouched.
TEST(JsonWriter, EscapesAtEveryOffsetOfALongText) {
  for (const char special : {'"', '\\', '\n', '\x01', '\x1f'}) {
    for (std::size_t length = 1; length <= 24; ++length) {
      for (std::size_t at = 0; at < length; ++at) {
        std::string text(length, 'a');
        for (std::size_t i = 0; i < length; i += 3)
          text[i] = static_cast<char>(0xe9);  // a byte >= 0x80 beside plain ones
        text[at] = special;
        std::string written;
        JsonWriter(written).string(text);
        boost::json::parse_options lone_bytes;  // 0xe9 alone is not UTF-8; the writer copies it
        lone_bytes.allow_invalid_utf8 = true;
        ASSERT_EQ(boost::json::parse(written, {}, lone_bytes).as_string(), text)
            << "length " << length << ", special character " << int(special) << " at " << at;
      }
    }
  }
}

}  // namespace
}  // namespace threat_intel
