#include "script_analysis/verdict.hpp"

#include <algorithm>
#include <cstdio>

namespace script_analysis {
namespace {

constexpr double kHighEntropy = 5.5;
constexpr size_t kEntropyMinimumSize = 512;

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

}  // namespace

std::string_view verdict_name(Verdict verdict) noexcept {
  switch (verdict) {
    case Verdict::Malicious:
      return "malicious";
    case Verdict::Suspicious:
      return "suspicious";
    case Verdict::BenignLooking:
      break;
  }
  return "benign-looking";
}

Assessment assess(const std::vector<Behaviour>& behaviours, const std::vector<LayerRecord>& layers,
                  double input_entropy, size_t input_size) {
  Assessment result;
  int score = 0;
  for (const Behaviour& behaviour : behaviours) {
    int weight = severity_weight(behaviour.severity);
    if (weight == 0) continue;
    score += weight;
    result.reasons.push_back("+" + std::to_string(weight) + " " + behaviour.name + " (" +
                             std::string(severity_name(behaviour.severity)) + "; " +
                             joined(behaviour.techniques) + ")");
  }
  size_t decoding_layers =
      static_cast<size_t>(std::count_if(layers.begin(), layers.end(), [](const LayerRecord& layer) {
        return layer.obfuscation == ObfuscationClass::Encoding ||
               layer.obfuscation == ObfuscationClass::Compression;
      }));
  if (decoding_layers >= 2) {
    int depth = decoding_layers >= 4 ? 20 : 10;
    score += depth;
    result.reasons.push_back("+" + std::to_string(depth) + " " + std::to_string(decoding_layers) +
                             " nested encoding or compression layers");
  }
  auto is_obfuscation = [](const Behaviour& b) {
    return b.id == "command_obfuscation" || b.id == "encoded_payload" ||
           b.id == "compressed_payload";
  };
  bool obfuscated = std::any_of(behaviours.begin(), behaviours.end(), is_obfuscation);
  bool dangerous = std::any_of(behaviours.begin(), behaviours.end(), [&](const Behaviour& b) {
    return !is_obfuscation(b) && b.severity >= Severity::High;
  });
  if (obfuscated && dangerous) {
    score += 15;
    result.reasons.push_back("+15 obfuscation hides a high-severity behaviour");
  }
  if (input_size >= kEntropyMinimumSize && input_entropy > kHighEntropy && layers.size() <= 1) {
    score += 10;
    char entropy[32];
    std::snprintf(entropy, sizeof entropy, "%.2f", input_entropy);
    result.reasons.push_back(
        std::string("+10 high entropy (") + entropy +
        " bits/byte) and nothing could be decoded: packed or encrypted content?");
  }
  result.score = std::min(score, 100);
  result.verdict = result.score >= kMaliciousScore    ? Verdict::Malicious
                   : result.score >= kSuspiciousScore ? Verdict::Suspicious
                                                      : Verdict::BenignLooking;
  std::string threshold = result.verdict == Verdict::Malicious    ? " >= 60: "
                          : result.verdict == Verdict::Suspicious ? " >= 25: "
                                                                  : " < 25: ";
  if (result.reasons.empty()) result.reasons.push_back("no suspicious behaviour found");
  result.reasons.push_back("score " + std::to_string(result.score) + threshold +
                           std::string(verdict_name(result.verdict)));
  return result;
}

}  // namespace script_analysis
