// The whole analysis of one script: its layers, the indicators and behaviours in every layer,
// entropy, the verdict, and the limits that cut it short. A pure function of its input and
// limits: safe to call from many threads at once.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "script_analysis/behaviours.hpp"
#include "script_analysis/deobfuscate.hpp"
#include "script_analysis/indicators.hpp"
#include "script_analysis/limits.hpp"
#include "script_analysis/verdict.hpp"

namespace script_analysis {

struct AnalyzeOptions {
  std::optional<Language> language;  // nullopt or Unknown: detect
  Limits limits;
  std::function<bool()> cancelled;  // polled between layers; true stops the work
};

struct Analysis {
  Deobfuscation deobfuscation;
  std::vector<Indicator> indicators;
  std::vector<Behaviour> behaviours;
  std::vector<std::string> techniques;  // distinct ATT&CK ids over all behaviours, sorted
  double input_entropy = 0;
  double final_entropy = 0;
  Assessment assessment;
  std::vector<LimitKind> limits_hit;
};

Analysis analyze(std::string_view script, const AnalyzeOptions& options = {});

// Only the layers, as DeobfuscateScript returns them.
struct DeobfuscationOnly {
  Deobfuscation deobfuscation;
  std::vector<LimitKind> limits_hit;
};

DeobfuscationOnly deobfuscate_only(std::string_view script, const AnalyzeOptions& options = {});

}  // namespace script_analysis
