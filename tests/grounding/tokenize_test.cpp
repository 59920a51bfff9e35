// Retrieval terms: what a prompt or a skill's text turns into, rule by rule (stem.hpp,
// tokenize.hpp, security_lexicon.hpp).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "grounding/security_lexicon.hpp"
#include "grounding/stem.hpp"
#include "grounding/tokenize.hpp"

namespace secpilot::grounding {
namespace {

using Terms = std::vector<std::string>;

Terms terms_of(std::string_view text) {
  Terms terms;
  tokenize(text, terms);
  return terms;
}

Terms words_of(std::string_view text) {
  WordSplitter splitter;
  const auto words = splitter.split(text);
  return Terms(words.begin(), words.end());
}

TEST(SplitWords, SplitsSkillNamesOnCaseAndKeepsTheWholeName) {
  EXPECT_EQ(words_of("LookupIndicator"), (Terms{"lookup", "indicator", "lookupindicator"}));
  EXPECT_EQ(words_of("GetDetectionTimeline"),
            (Terms{"get", "detection", "timeline", "getdetectiontimeline"}));
  EXPECT_EQ(words_of("RunKql"), (Terms{"run", "kql", "runkql"}));
  EXPECT_EQ(words_of("RunKQL"), (Terms{"run", "kql", "runkql"}));
}

TEST(SplitWords, SplitsAcronymsBeforeAWordButNotBeforeAVersion) {
  EXPECT_EQ(words_of("IPAddress"), (Terms{"ip", "address", "ipaddress"}));
  EXPECT_EQ(words_of("IPv4 and IPv6"), (Terms{"ipv4", "and", "ipv6"}));
  EXPECT_EQ(words_of("Base64Decode"), (Terms{"base64", "decode", "base64decode"}));
}

TEST(SplitWords, SplitsOnSeparators) {
  EXPECT_EQ(words_of("max_days_since_check_in"), (Terms{"max", "days", "since", "check", "in"}));
  EXPECT_EQ(words_of("bash/sh, e-mail"), (Terms{"bash", "sh", "mail"}));
  EXPECT_EQ(words_of("pwsh -EncodedCommand"),
            (Terms{"pwsh", "encoded", "command", "encodedcommand"}));
}

TEST(SplitWords, DropsValuesButKeepsHashNames) {
  EXPECT_EQ(words_of("is 203.0.113.45 malicious"), (Terms{"is", "malicious"}));
  EXPECT_EQ(words_of("is mbp-fin-12 encrypted"), (Terms{"is", "encrypted"}));
  EXPECT_EQ(words_of("198.51.100[.]7 T1059.001 2026-11-20 4127 24h"), Terms{});
  EXPECT_EQ(words_of("SHA-256 and SHA-1"), (Terms{"sha256", "and", "sha1"}));
  EXPECT_EQ(words_of("an MD5 hash"), (Terms{"an", "md5", "hash"}));
  EXPECT_EQ(words_of("alice@contoso.com on evil[.]example ran powershell.exe."),
            (Terms{"on", "ran"}));
}

TEST(SplitWords, ReusesItsBuffersAcrossTexts) {
  WordSplitter splitter;
  EXPECT_EQ(splitter.split("SHA-256 of LookupIndicator").size(), 5u);
  const auto words = splitter.split("run KQL");
  EXPECT_EQ(Terms(words.begin(), words.end()), (Terms{"run", "kql"}));
}

TEST(SplitWords, FoldsLatinLettersAndSeparatesOtherCharacters) {
  EXPECT_EQ(words_of("Résumé naïve Straße"), (Terms{"resume", "naive", "strasse"}));
  EXPECT_EQ(words_of("server’s “config”"), (Terms{"server", "config"}));
  EXPECT_EQ(words_of("日本語 KQL"), (Terms{"kql"}));
}

TEST(SplitWords, DropsEncodedBlobs) {
  EXPECT_EQ(words_of("decode SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQAIABOAGUAdAAuAFcAZQBi"),
            (Terms{"decode"}));
}

TEST(Stem, RemovesPluralAndVerbEndingsPredictably) {
  EXPECT_EQ(stem("detections"), "detect");
  EXPECT_EQ(stem("detected"), "detect");
  EXPECT_EQ(stem("detecting"), "detect");
  EXPECT_EQ(stem("policies"), "policy");
  EXPECT_EQ(stem("hashes"), "hash");
  EXPECT_EQ(stem("addresses"), "address");
  EXPECT_EQ(stem("processes"), "process");
  EXPECT_EQ(stem("looking"), "look");
  EXPECT_EQ(stem("running"), "run");
  EXPECT_EQ(stem("logged"), "log");
  EXPECT_EQ(stem("called"), "call");
  EXPECT_EQ(stem("encryption"), "encrypt");
  EXPECT_EQ(stem("encrypted"), "encrypt");
}

TEST(Stem, LeavesShortWordsAndWordsWithDigitsAlone) {
  EXPECT_EQ(stem("ips"), "ips");
  EXPECT_EQ(stem("red"), "red");
  EXPECT_EQ(stem("sha256"), "sha256");
  EXPECT_EQ(stem("status"), "status");
  EXPECT_EQ(stem("analysis"), "analysis");
  EXPECT_EQ(stem("string"), "string");  // no vowel before -ing
}

TEST(Stem, BringsVerbFormsAndBritishSpellingTogether) {
  EXPECT_EQ(stem("encode"), stem("encoded"));
  EXPECT_EQ(stem("encode"), stem("encoding"));
  EXPECT_EQ(stem("summarise"), stem("summarize"));
  EXPECT_EQ(stem("summarised"), stem("summarizes"));
  EXPECT_EQ(stem("analyse"), stem("analyzed"));
  EXPECT_EQ(stem("deobfuscation"), stem("deobfuscate"));
}

TEST(Tokenize, DropsStopwordsButKeepsWordsThatMatterInSecurity) {
  EXPECT_EQ(terms_of("Which of the detections are still open?"),
            (Terms{"detect", "still", "open"}));
  EXPECT_EQ(terms_of("Macs with FileVault off, not checked in"),
            (Terms{"mac", "file", "vault", "filevault", "off", "not", "check"}));
}

TEST(Tokenize, WritesOneSpellingPerMeaning) {
  EXPECT_EQ(terms_of("e-mails"), terms_of("emails"));
  EXPECT_EQ(terms_of("macOS"), (Terms{"mac", "os", "mac"}));
  EXPECT_EQ(terms_of("look up"), terms_of("lookup"));
  EXPECT_EQ(terms_of("IPs"), terms_of("ip"));
  EXPECT_EQ(terms_of("sign-ins"), (Terms{"sign", "ins"}));
  EXPECT_EQ(terms_of("signins"), (Terms{"sign"}));
  EXPECT_EQ(terms_of("IOCs"), (Terms{"indicator"}));
}

TEST(Tokenize, EmptyAndGarbageTextHasNoTerms) {
  EXPECT_TRUE(terms_of("").empty());
  EXPECT_TRUE(terms_of("   \t\n").empty());
  EXPECT_TRUE(terms_of("?!?! ... --- 12345 ###").empty());
  EXPECT_TRUE(terms_of("\xff\xfe\xc3").empty());
}

TEST(SecurityLexicon, RelatesJargonToTheWordsSkillsUse) {
  const auto contains = [](std::string_view word, std::string_view wanted) {
    for (const auto& related : related_terms(normalise_word(word)))
      if (related.term == normalise_word(wanted)) return related.weight > 0;
    return false;
  };
  EXPECT_TRUE(contains("sha256", "hash"));
  EXPECT_TRUE(contains("md5", "hash"));
  EXPECT_TRUE(contains("kql", "query"));
  EXPECT_TRUE(contains("hunt", "kql"));
  EXPECT_TRUE(contains("edr", "detection"));
  EXPECT_TRUE(contains("vulnerability", "cve"));
  EXPECT_TRUE(contains("encrypted", "filevault"));
  EXPECT_TRUE(contains("laptop", "mac"));
  EXPECT_FALSE(contains("indicator", "hash"));
}

}  // namespace
}  // namespace secpilot::grounding
