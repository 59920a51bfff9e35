// ExtractIndicators: a corpus of texts with their expected indicators (data/extraction_corpus.json)
// plus targeted checks of counting, truncation, thread-safety and the JSON shape.
#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "threat_intel/extract.hpp"
#include "threat_intel/result_json.hpp"

namespace threat_intel {
namespace {

namespace json = boost::json;

json::array load_corpus() {
  std::ifstream in(THREAT_INTEL_SOURCE_DIR "/tests/data/extraction_corpus.json");
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str()).as_array();
}

std::string describe(const Extraction& extraction) {
  std::string out;
  for (const auto& indicator : extraction.indicators)
    out += std::string(type_name(indicator.type)) + " " + indicator.value + " x" +
           std::to_string(indicator.count) + (indicator.defanged ? " defanged" : "") + "\n";
  return out.empty() ? "(nothing)\n" : out;
}

TEST(ExtractCorpus, HasAtLeastTwentyTexts) {
  EXPECT_GE(load_corpus().size(), 20u);
}

TEST(ExtractCorpus, EveryTextYieldsExactlyItsIndicators) {
  for (const auto& item : load_corpus()) {
    const auto& test = item.as_object();
    const std::string name(test.at("name").as_string());
    const std::string text(test.at("text").as_string());
    const auto& expected = test.at("expected").as_array();
    Extraction got = extract_indicators(text);
    SCOPED_TRACE("corpus case: " + name + "\ntext: " + text + "\ngot:\n" + describe(got));
    ASSERT_EQ(got.indicators.size(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i) {
      const auto& want = expected[i].as_object();
      const auto& have = got.indicators[i];
      EXPECT_EQ(type_name(have.type), want.at("type").as_string()) << "#" << i;
      EXPECT_EQ(have.value, want.at("value").as_string()) << "#" << i;
      if (const auto* count = want.if_contains("count")) {
        EXPECT_EQ(static_cast<int64_t>(have.count), count->as_int64()) << "#" << i;
      }
      if (const auto* defanged = want.if_contains("defanged")) {
        EXPECT_EQ(have.defanged, defanged->as_bool()) << "#" << i;
      }
    }
  }
}

TEST(Extract, CountsPerTypeAndOccurrences) {
  auto got = extract_indicators(
      "198.51.100.7, 198.51.100.7, evil.example, https://evil.example/x, CVE-2024-12345");
  EXPECT_EQ(got.counts[static_cast<size_t>(IndicatorType::Ipv4)], 1u);
  EXPECT_EQ(got.counts[static_cast<size_t>(IndicatorType::Domain)], 1u);
  EXPECT_EQ(got.counts[static_cast<size_t>(IndicatorType::Url)], 1u);
  EXPECT_EQ(got.counts[static_cast<size_t>(IndicatorType::Cve)], 1u);
  EXPECT_EQ(got.occurrences, 5u);
  EXPECT_FALSE(got.truncated);
}

TEST(Extract, EmptyAndBinaryInput) {
  EXPECT_TRUE(extract_indicators("").indicators.empty());
  std::string binary;
  for (int i = 0; i < 100000; ++i)
    binary += static_cast<char>((i * 131) % 256);
  EXPECT_NO_THROW(extract_indicators(binary));
  std::string brackets(5000, '[');
  EXPECT_TRUE(extract_indicators(brackets + "(dot)" + brackets).indicators.empty());
  EXPECT_TRUE(extract_indicators(std::string(10000, ':')).indicators.empty());
  EXPECT_TRUE(extract_indicators(std::string(10000, '@')).indicators.empty());
  EXPECT_TRUE(extract_indicators("://://://http://").indicators.empty());
}

TEST(Extract, TruncatesAtTheLimit) {
  std::string text;
  for (int i = 0; i < 300; ++i)
    text += "host" + std::to_string(i) + ".example ";
  ExtractOptions options;
  options.max_indicators = 100;
  auto got = extract_indicators(text, options);
  EXPECT_EQ(got.indicators.size(), 100u);
  EXPECT_TRUE(got.truncated);
  EXPECT_EQ(got.indicators.front().value, "host0.example");
  EXPECT_EQ(got.indicators.back().value, "host99.example");

  // The first to appear are kept, whichever scanner found them (URLs are found first).
  auto mixed = extract_indicators("first.example https://a.example/1 https://b.example/2",
                                  ExtractOptions{1});
  ASSERT_EQ(mixed.indicators.size(), 1u);
  EXPECT_EQ(mixed.indicators[0].value, "first.example");
}

TEST(Extract, LargeTextIsLinear) {
  std::string text;
  for (int i = 0; i < 20000; ++i)
    text += "Line " + std::to_string(i) + ": beacon from 198.51." + std::to_string(i % 256) +
            ".7 to hxxps://c2-" + std::to_string(i % 50) +
            ".evil[.]example/p?id=" + std::to_string(i % 5000) + " (see CVE-2024-" +
            std::to_string(10000 + i % 9) + ")\n";
  auto start = std::chrono::steady_clock::now();
  auto got = extract_indicators(text);
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(got.counts[static_cast<size_t>(IndicatorType::Ipv4)], 256u);
  EXPECT_EQ(got.counts[static_cast<size_t>(IndicatorType::Url)], 5000u);
  EXPECT_FALSE(got.truncated);
  EXPECT_EQ(got.counts[static_cast<size_t>(IndicatorType::Cve)], 9u);
  EXPECT_LT(std::chrono::duration_cast<std::chrono::seconds>(elapsed).count(), 10);
}

TEST(Extract, ThreadSafe) {
  const auto corpus = load_corpus();
  std::vector<std::string> texts;
  std::vector<std::string> expected;
  for (const auto& item : corpus) {
    texts.emplace_back(item.at("text").as_string());
    expected.push_back(describe(extract_indicators(texts.back())));
  }
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int round = 0; round < 50; ++round)
        for (size_t i = 0; i < texts.size(); ++i)
          if (describe(extract_indicators(texts[i])) != expected[i]) ++mismatches;
    });
  for (auto& thread : threads)
    thread.join();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST(Extract, JsonShape) {
  auto out = extraction_json(extract_indicators("C2 at 198.51.100[.]7 and 198.51.100.7"));
  const auto& indicators = out.at("indicators").as_array();
  ASSERT_EQ(indicators.size(), 1u);
  EXPECT_EQ(indicators[0].at("type").as_string(), "ipv4");
  EXPECT_EQ(indicators[0].at("value").as_string(), "198.51.100.7");
  EXPECT_EQ(indicators[0].at("count").as_int64(), 2);
  EXPECT_EQ(indicators[0].at("defanged").as_bool(), true);
  const auto& counts = out.at("counts").as_object();
  for (const char* key :
       {"ipv4", "ipv6", "domain", "url", "email", "md5", "sha1", "sha256", "cve", "total"})
    EXPECT_TRUE(counts.contains(key)) << key;
  EXPECT_EQ(counts.at("ipv4").as_int64(), 1);
  EXPECT_EQ(counts.at("total").as_int64(), 1);
  EXPECT_EQ(out.at("occurrences").as_int64(), 2);
  EXPECT_EQ(out.at("truncated").as_bool(), false);
}

}  // namespace
}  // namespace threat_intel
