#include "script_analysis/analysis.hpp"

#include <algorithm>

#include "script_analysis/entropy.hpp"

namespace script_analysis {

Analysis analyze(std::string_view script, const AnalyzeOptions& options) {
  Budget budget(options.limits, options.cancelled);
  Analysis analysis;
  IndicatorCollector indicators(options.limits.max_indicators);
  BehaviourCollector behaviours;
  const std::string_view analysed = script.substr(0, options.limits.max_input_bytes);
  analysis.input_entropy = shannon_entropy(analysed);

  DeobfuscateOptions deobfuscate_options{options.language};
  analysis.deobfuscation =
      deobfuscate(script, deobfuscate_options, budget, [&](const LayerView& layer) {
        indicators.scan(layer.text, layer.index);
        behaviours.scan(layer);
        behaviours.obfuscation(layer, layer.language);
      });

  analysis.indicators = indicators.indicators();
  if (indicators.truncated()) budget.hit(LimitKind::Indicators);
  analysis.behaviours = behaviours.behaviours();
  for (const Behaviour& behaviour : analysis.behaviours)
    for (const std::string& id : behaviour.techniques)
      if (std::find(analysis.techniques.begin(), analysis.techniques.end(), id) ==
          analysis.techniques.end())
        analysis.techniques.push_back(id);
  std::sort(analysis.techniques.begin(), analysis.techniques.end());
  analysis.final_entropy = shannon_entropy(analysis.deobfuscation.final_text);
  analysis.assessment = assess(analysis.behaviours, analysis.deobfuscation.layers,
                               analysis.input_entropy, analysed.size());
  if (analysis.deobfuscation.final_text.size() > options.limits.max_result_final_text)
    budget.hit(LimitKind::FinalText);
  analysis.limits_hit = budget.hits();
  return analysis;
}

DeobfuscationOnly deobfuscate_only(std::string_view script, const AnalyzeOptions& options) {
  Budget budget(options.limits, options.cancelled);
  DeobfuscationOnly result;
  result.deobfuscation = deobfuscate(script, DeobfuscateOptions{options.language}, budget);
  if (result.deobfuscation.final_text.size() > options.limits.max_result_final_text)
    budget.hit(LimitKind::FinalText);
  result.limits_hit = budget.hits();
  return result;
}

}  // namespace script_analysis
