#include "script_analysis/behaviours.hpp"

#include <algorithm>

#include "behaviour_rules.hpp"
#include "pattern.hpp"
#include "script_analysis/attack.hpp"
#include "script_analysis/text_encoding.hpp"

namespace script_analysis {
namespace {

constexpr size_t kEvidenceBytes = 200;

// The line around a match, cut to kEvidenceBytes on character boundaries.
std::string evidence_at(std::string_view text, size_t at) {
  size_t begin = line_start(text, at);
  size_t end = line_end(text, at);
  if (end - begin > kEvidenceBytes) {
    begin = at > begin + kEvidenceBytes / 2 ? at - kEvidenceBytes / 2 : begin;
    end = std::min(end, begin + kEvidenceBytes);
    auto continuation = [&](size_t i) {
      return (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80;
    };
    while (begin < at && continuation(begin))
      ++begin;
    while (end < text.size() && end > at && continuation(end))
      --end;
  }
  return display_text(trim(text.substr(begin, end - begin)), kEvidenceBytes + 8);
}

std::vector<std::string> technique_ids(const std::vector<std::string_view>& ids,
                                       Language language) {
  std::vector<std::string> out;
  for (std::string_view id : ids) {
    std::string value(id == "T1059.*" ? interpreter_technique(language) : id);
    if (std::find(out.begin(), out.end(), value) == out.end()) out.push_back(std::move(value));
  }
  return out;
}

struct ObfuscationBehaviour {
  std::string_view id;
  std::string_view name;
  Severity severity;
  std::vector<std::string_view> techniques;
};

ObfuscationBehaviour obfuscation_behaviour(ObfuscationClass obfuscation) {
  switch (obfuscation) {
    case ObfuscationClass::CommandObfuscation:
      return {"command_obfuscation", "Obfuscates its commands", Severity::Medium, {"T1027.010"}};
    case ObfuscationClass::Encoding:
      return {"encoded_payload",
              "Decodes an encoded payload at run time",
              Severity::Medium,
              {"T1027", "T1140"}};
    case ObfuscationClass::Compression:
      return {"compressed_payload",
              "Decompresses a hidden payload at run time",
              Severity::High,
              {"T1027", "T1140"}};
    case ObfuscationClass::DynamicExecution:
      return {"dynamic_code", "Runs a string as code", Severity::Low, {"T1059.*"}};
    case ObfuscationClass::None:
      break;
  }
  return {};
}

}  // namespace

std::string_view severity_name(Severity severity) noexcept {
  switch (severity) {
    case Severity::Info:
      return "info";
    case Severity::Low:
      return "low";
    case Severity::Medium:
      return "medium";
    case Severity::High:
      return "high";
    case Severity::Critical:
      return "critical";
  }
  return "info";
}

int severity_weight(Severity severity) noexcept {
  switch (severity) {
    case Severity::Info:
      return 0;
    case Severity::Low:
      return 10;
    case Severity::Medium:
      return 20;
    case Severity::High:
      return 35;
    case Severity::Critical:
      return 60;
  }
  return 0;
}

void BehaviourCollector::scan(const LayerView& layer) {
  const std::string lowered = to_lower(layer.text);
  for (const BehaviourRule& rule : behaviour_rules()) {
    bool known = std::any_of(found_.begin(), found_.end(),
                             [&](const Behaviour& b) { return b.id == rule.id; });
    if (known) continue;
    size_t evidence = std::string_view::npos;
    bool all = true;
    for (const auto& group : rule.all_of) {
      size_t first = std::string_view::npos;
      for (std::string_view spec : group) {
        size_t at = find_pattern(lowered, make_pattern(spec));
        if (at < first) first = at;
      }
      if (first == std::string_view::npos) {
        all = false;
        break;
      }
      if (evidence == std::string_view::npos) evidence = first;
    }
    if (!all) continue;
    add({std::string(rule.id), std::string(rule.name), std::string(rule.category), rule.severity,
         technique_ids(rule.techniques, layer.language), evidence_at(layer.text, evidence),
         layer.index});
  }
}

void BehaviourCollector::obfuscation(const LayerView& layer, Language interpreter) {
  if (layer.obfuscation == ObfuscationClass::None || layer.index == 0) return;
  // A decoded -EncodedCommand is already the powershell_encoded_command behaviour: counting it
  // again as an encoded payload would score one trick twice.
  if (layer.technique == "encoded_command" &&
      std::any_of(found_.begin(), found_.end(),
                  [](const Behaviour& b) { return b.id == "powershell_encoded_command"; }))
    return;
  std::string step = std::string(layer.technique) + " (layer " + std::to_string(layer.index) + ")";
  ObfuscationBehaviour kind = obfuscation_behaviour(layer.obfuscation);
  for (Behaviour& behaviour : found_) {
    if (behaviour.id != kind.id) continue;
    if (behaviour.evidence.size() < 400) behaviour.evidence += ", " + step;
    return;
  }
  add({std::string(kind.id), std::string(kind.name), "defense_evasion", kind.severity,
       technique_ids(kind.techniques, interpreter), "undone: " + step, layer.index});
}

void BehaviourCollector::add(Behaviour behaviour) {
  found_.push_back(std::move(behaviour));
}

std::vector<Behaviour> BehaviourCollector::behaviours() const {
  std::vector<Behaviour> out;
  for (const Behaviour& behaviour : found_) {
    bool superseded = false;
    for (const BehaviourRule& rule : behaviour_rules()) {
      if (std::find(rule.supersedes.begin(), rule.supersedes.end(), behaviour.id) ==
          rule.supersedes.end())
        continue;
      superseded |= std::any_of(found_.begin(), found_.end(),
                                [&](const Behaviour& b) { return b.id == rule.id; });
    }
    if (!superseded) out.push_back(behaviour);
  }
  std::stable_sort(out.begin(), out.end(), [](const Behaviour& a, const Behaviour& b) {
    if (a.severity != b.severity) return a.severity > b.severity;
    return a.layer < b.layer;
  });
  return out;
}

std::vector<Behaviour> detect_behaviours(std::string_view text, Language language) {
  BehaviourCollector collector;
  collector.scan(LayerView{0, "input", ObfuscationClass::None, language, text});
  return collector.behaviours();
}

}  // namespace script_analysis
