#include "script_analysis/deobfuscate.hpp"

#include <functional>
#include <unordered_set>

#include "script_analysis/text_encoding.hpp"
#include "transform.hpp"

namespace script_analysis {
namespace {

// Below this, a layer's own detection is too thin to overrule the language it came from.
constexpr double kConfidentDetection = 0.3;

class LayerLoop {
 public:
  LayerLoop(const DeobfuscateOptions& options, Budget& budget, const LayerVisitor& visit)
      : options_(options), budget_(budget), visit_(visit) {}

  Deobfuscation run(std::string_view script) {
    const Limits& limits = budget_.limits();
    if (script.size() > limits.max_input_bytes) {
      budget_.hit(LimitKind::InputSize);
      script = script.substr(0, limits.max_input_bytes);
    }
    std::string text(script);
    if (options_.language && *options_.language != Language::Unknown) {
      result_.input_language = {*options_.language, 1.0, {"given by the caller"}};
      result_.language_given = true;
    } else {
      result_.input_language = detect_language(text);
    }
    Language language = result_.input_language.language;
    record(text, "input", "the script as given", ObfuscationClass::None, language);
    seen_.insert(std::hash<std::string>{}(text));

    while (!budget_.out_of_time()) {
      auto next = step(text, language);
      if (!next) break;
      if (result_.layers.size() > limits.max_layers) {
        budget_.hit(LimitKind::Layers);
        break;
      }
      auto& [rewrite, transform] = *next;
      Language next_language =
          rewrite.language ? *rewrite.language : detect(rewrite.text, language);
      record(rewrite.text, transform->name, transform->description,
             rewrite.obfuscation.value_or(transform->obfuscation), next_language);
      text = std::move(rewrite.text);
      language = next_language;
    }
    result_.final_text = std::move(text);
    result_.final_language = language;
    return std::move(result_);
  }

 private:
  // The first transform that changes the text into something not seen before.
  std::optional<std::pair<Rewrite, const Transform*>> step(const std::string& text,
                                                           Language language) {
    for (const Transform& transform : transforms()) {
      if ((transform.languages & mask(language)) == 0) continue;
      auto rewrite = transform.run(TransformInput{text, language, budget_});
      if (!rewrite || rewrite->text == text) continue;
      if (rewrite->text.size() > budget_.limits().max_layer_bytes) {
        budget_.hit(LimitKind::LayerSize);
        rewrite->text.resize(budget_.limits().max_layer_bytes);
      }
      // A transform undoing another one's work would loop: a text seen before is no progress.
      if (!seen_.insert(std::hash<std::string>{}(rewrite->text)).second) continue;
      return std::make_pair(std::move(*rewrite), &transform);
    }
    return std::nullopt;
  }

  static Language detect(std::string_view text, Language previous) {
    LanguageGuess guess = detect_language(text);
    if (guess.language == Language::Unknown || guess.confidence < kConfidentDetection)
      return previous;
    return guess.language;
  }

  void record(std::string_view text, std::string_view technique, std::string_view description,
              ObfuscationClass obfuscation, Language language) {
    LayerRecord layer;
    layer.index = result_.layers.size();
    layer.technique = std::string(technique);
    layer.description = std::string(description);
    layer.obfuscation = obfuscation;
    layer.language = language;
    layer.size = text.size();
    layer.text = display_text(text, budget_.limits().max_result_layer_text, &layer.truncated);
    if (layer.truncated) budget_.hit(LimitKind::LayerText);
    if (layer.index > 0) {
      bool known = false;
      for (const auto& name : result_.techniques)
        known |= name == technique;
      if (!known) result_.techniques.emplace_back(technique);
    }
    if (visit_) visit_(LayerView{layer.index, technique, obfuscation, language, text});
    result_.layers.push_back(std::move(layer));
  }

  const DeobfuscateOptions& options_;
  Budget& budget_;
  const LayerVisitor& visit_;
  Deobfuscation result_;
  std::unordered_set<size_t> seen_;
};

}  // namespace

std::string_view obfuscation_name(ObfuscationClass obfuscation) noexcept {
  switch (obfuscation) {
    case ObfuscationClass::None:
      return "none";
    case ObfuscationClass::CommandObfuscation:
      return "command_obfuscation";
    case ObfuscationClass::Encoding:
      return "encoding";
    case ObfuscationClass::Compression:
      return "compression";
    case ObfuscationClass::DynamicExecution:
      return "dynamic_execution";
  }
  return "none";
}

Deobfuscation deobfuscate(std::string_view script, const DeobfuscateOptions& options,
                          Budget& budget, const LayerVisitor& visit) {
  return LayerLoop(options, budget, visit).run(script);
}

}  // namespace script_analysis
