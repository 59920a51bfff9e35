#include "script_analysis/result_json.hpp"

#include <cmath>

#include <boost/json.hpp>

#include "script_analysis/attack.hpp"
#include "script_analysis/text_encoding.hpp"

namespace script_analysis {
namespace json = boost::json;
namespace {

double rounded(double value) {
  return std::round(value * 100.0) / 100.0;
}

json::array strings(const std::vector<std::string>& items) {
  json::array out;
  out.reserve(items.size());
  for (const auto& item : items)
    out.emplace_back(display_text(item, 4096));
  return out;
}

json::object technique_json(std::string_view id) {
  return {{"id", id}, {"name", attack_technique_name(id)}};
}

json::object layer_json(const LayerRecord& layer) {
  return {{"index", layer.index},
          {"technique", layer.technique},
          {"description", layer.description},
          {"obfuscation", obfuscation_name(layer.obfuscation)},
          {"language", language_name(layer.language)},
          {"size", layer.size},
          {"text", layer.text},
          {"truncated", layer.truncated}};
}

json::array limits_hit_json(const std::vector<LimitKind>& hits) {
  json::array out;
  for (LimitKind kind : hits)
    out.emplace_back(limit_name(kind));
  return out;
}

json::object limits_json(const Limits& limits) {
  return {{"max_input_bytes", limits.max_input_bytes},
          {"max_layers", limits.max_layers},
          {"max_layer_bytes", limits.max_layer_bytes},
          {"max_stream_bytes", limits.max_stream_bytes},
          {"max_total_decompressed_bytes", limits.max_total_decompressed},
          {"max_result_layer_text", limits.max_result_layer_text},
          {"max_result_final_text", limits.max_result_final_text},
          {"max_indicators", limits.max_indicators},
          {"max_time_ms", limits.max_time.count()}};
}

// The fields both skills share: language, layers, final text, techniques undone, limits.
void add_layers(json::object& out, const Deobfuscation& deobfuscation,
                const std::vector<LimitKind>& hits, const Limits& limits) {
  const LanguageGuess& language = deobfuscation.input_language;
  out["language"] = language_name(language.language);
  out["language_confidence"] = static_cast<int>(std::lround(language.confidence * 100.0));
  out["language_source"] = deobfuscation.language_given ? "given" : "detected";
  out["language_reasons"] = strings(language.reasons);
  json::array layers;
  for (const LayerRecord& layer : deobfuscation.layers)
    layers.emplace_back(layer_json(layer));
  out["layers"] = std::move(layers);
  bool final_truncated = false;
  out["final_text"] =
      display_text(deobfuscation.final_text, limits.max_result_final_text, &final_truncated);
  out["final_truncated"] = final_truncated;
  out["final_language"] = language_name(deobfuscation.final_language);
  out["deobfuscation"] = strings(deobfuscation.techniques);
  out["limits_hit"] = limits_hit_json(hits);
  out["limits"] = limits_json(limits);
}

}  // namespace

json::object analysis_json(const Analysis& analysis, const Limits& limits) {
  json::object out;
  out["verdict"] = verdict_name(analysis.assessment.verdict);
  out["score"] = analysis.assessment.score;
  out["reasons"] = strings(analysis.assessment.reasons);

  json::array behaviours;
  for (const Behaviour& behaviour : analysis.behaviours) {
    json::array techniques;
    for (const auto& id : behaviour.techniques)
      techniques.emplace_back(technique_json(id));
    behaviours.emplace_back(json::object{{"id", behaviour.id},
                                         {"name", behaviour.name},
                                         {"category", behaviour.category},
                                         {"severity", severity_name(behaviour.severity)},
                                         {"techniques", std::move(techniques)},
                                         {"evidence", behaviour.evidence},
                                         {"layer", behaviour.layer}});
  }
  out["behaviours"] = std::move(behaviours);

  json::array techniques;
  for (const auto& id : analysis.techniques)
    techniques.emplace_back(technique_json(id));
  out["techniques"] = std::move(techniques);

  json::array indicators;
  for (const Indicator& indicator : analysis.indicators) {
    json::array layers;
    for (size_t layer : indicator.layers)
      layers.emplace_back(layer);
    indicators.emplace_back(json::object{{"type", indicator_type_name(indicator.type)},
                                         {"value", display_text(indicator.value, 1024)},
                                         {"layer", indicator.layer},
                                         {"layers", std::move(layers)},
                                         {"defanged", indicator.defanged}});
  }
  out["indicators"] = std::move(indicators);
  out["entropy"] = {{"input", rounded(analysis.input_entropy)},
                    {"final", rounded(analysis.final_entropy)}};
  add_layers(out, analysis.deobfuscation, analysis.limits_hit, limits);
  return out;
}

json::object deobfuscation_json(const DeobfuscationOnly& result, const Limits& limits) {
  json::object out;
  add_layers(out, result.deobfuscation, result.limits_hit, limits);
  return out;
}

}  // namespace script_analysis
