// The verdict: each contribution to the score, and the thresholds.
#include <gtest/gtest.h>

#include "script_analysis/verdict.hpp"

namespace script_analysis {
namespace {

Behaviour behaviour(std::string id, Severity severity) {
  Behaviour b;
  b.id = std::move(id);
  b.name = b.id;
  b.severity = severity;
  b.techniques = {"T1105"};
  return b;
}

std::vector<LayerRecord> layers(std::initializer_list<ObfuscationClass> classes) {
  std::vector<LayerRecord> out(1);
  for (ObfuscationClass c : classes) {
    LayerRecord layer;
    layer.obfuscation = c;
    out.push_back(layer);
  }
  return out;
}

TEST(Verdict, NothingFoundIsBenignLooking) {
  Assessment a = assess({}, layers({}), 4.5, 2000);
  EXPECT_EQ(a.verdict, Verdict::BenignLooking);
  EXPECT_EQ(a.score, 0);
  EXPECT_EQ(a.reasons.back(), "score 0 < 25: benign-looking");
}

TEST(Verdict, ThresholdsAndReasons) {
  Assessment suspicious =
      assess({behaviour("download_execute", Severity::High)}, layers({}), 4.5, 100);
  EXPECT_EQ(suspicious.verdict, Verdict::Suspicious);
  EXPECT_EQ(suspicious.score, 35);
  EXPECT_EQ(suspicious.reasons.front(), "+35 download_execute (high; T1105)");
  Assessment malicious = assess({behaviour("mimikatz", Severity::Critical)}, layers({}), 4.5, 100);
  EXPECT_EQ(malicious.verdict, Verdict::Malicious);
  EXPECT_EQ(verdict_name(malicious.verdict), "malicious");
}

TEST(Verdict, ObfuscationHidingSomethingDangerousWeighsMore) {
  Assessment a = assess({behaviour("download_execute", Severity::High),
                         behaviour("command_obfuscation", Severity::Medium)},
                        layers({}), 4.5, 100);
  EXPECT_EQ(a.score, 35 + 20 + 15);
  EXPECT_EQ(a.verdict, Verdict::Malicious);
  // Obfuscation alone is suspicious at most... unless it is deep.
  EXPECT_EQ(
      assess({behaviour("command_obfuscation", Severity::Medium)}, layers({}), 4.5, 100).verdict,
      Verdict::BenignLooking);
}

TEST(Verdict, NestedEncodingLayersAddDepth) {
  using C = ObfuscationClass;
  EXPECT_EQ(assess({}, layers({C::Encoding, C::Compression}), 4.5, 100).score, 10);
  EXPECT_EQ(
      assess({}, layers({C::Encoding, C::Encoding, C::Encoding, C::Compression}), 4.5, 100).score,
      20);
  EXPECT_EQ(assess({}, layers({C::CommandObfuscation, C::Encoding}), 4.5, 100).score, 0);
}

TEST(Verdict, HighEntropyWithNothingDecoded) {
  EXPECT_EQ(assess({}, layers({}), 7.9, 4096).score, 10);
  EXPECT_EQ(assess({}, layers({}), 7.9, 100).score, 0);                             // too short
  EXPECT_EQ(assess({}, layers({ObfuscationClass::Encoding}), 7.9, 4096).score, 0);  // decoded
}

TEST(Verdict, CappedAtOneHundred) {
  Assessment a = assess({behaviour("a", Severity::Critical), behaviour("b", Severity::Critical)},
                        layers({}), 4.5, 100);
  EXPECT_EQ(a.score, 100);
}

}  // namespace
}  // namespace script_analysis
