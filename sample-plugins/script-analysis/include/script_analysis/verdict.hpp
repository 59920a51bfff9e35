// The verdict: a score from 0 to 100 built from the behaviours found, how deep the obfuscation
// went and how random the input looks, with every contribution given as a reason.
//
//   behaviour     critical +60, high +35, medium +20, low +10 (each behaviour once)
//   depth         +10 for 2-3 encoding or compression layers, +20 for 4 or more
//   concealment   +15 when obfuscation hides a high or critical behaviour: an obfuscated
//                 download cradle is worse than the plain one an installer may use
//   entropy       +10 when the input (at least 512 bytes) is above 5.5 bits per byte and nothing
//                 in it could be decoded: packed or encrypted content
//   verdict       score >= 60 malicious, >= 25 suspicious, else benign-looking (capped at 100)
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "script_analysis/behaviours.hpp"
#include "script_analysis/deobfuscate.hpp"

namespace script_analysis {

enum class Verdict { BenignLooking, Suspicious, Malicious };

// "benign-looking", "suspicious", "malicious".
std::string_view verdict_name(Verdict verdict) noexcept;

inline constexpr int kMaliciousScore = 60;
inline constexpr int kSuspiciousScore = 25;

struct Assessment {
  Verdict verdict = Verdict::BenignLooking;
  int score = 0;                     // 0..100
  std::vector<std::string> reasons;  // each contribution, then the conclusion
};

Assessment assess(const std::vector<Behaviour>& behaviours, const std::vector<LayerRecord>& layers,
                  double input_entropy, size_t input_size);

}  // namespace script_analysis
