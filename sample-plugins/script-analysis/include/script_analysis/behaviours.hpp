// Suspicious behaviours of a script, each mapped to MITRE ATT&CK techniques with the evidence
// that triggered it: download-and-execute, AMSI and Defender tampering, persistence, credential
// access, lateral movement, signed-binary proxies (LOLBins), obfuscation itself. Rules are
// case-insensitive patterns over every layer's text (behaviour_rules.cpp); obfuscation
// behaviours come from the techniques the layer loop had to undo.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "script_analysis/deobfuscate.hpp"
#include "script_analysis/language.hpp"

namespace script_analysis {

enum class Severity { Info, Low, Medium, High, Critical };

std::string_view severity_name(Severity severity) noexcept;

// What a behaviour adds to the verdict's score (verdict.hpp): 0, 10, 20, 35, 60.
int severity_weight(Severity severity) noexcept;

struct Behaviour {
  std::string id;        // stable, e.g. "download_execute"
  std::string name;      // for people, e.g. "Downloads and runs code"
  std::string category;  // execution, defense_evasion, persistence, credential_access, ...
  Severity severity = Severity::Info;
  std::vector<std::string> techniques;  // ATT&CK ids
  std::string evidence;                 // the line (or the techniques) that showed it
  size_t layer = 0;                     // the first layer it showed in
};

// Collects behaviours layer by layer; each behaviour is reported once, from its first layer.
class BehaviourCollector {
 public:
  // Matches the rules against one layer's text; `language` fills in T1059 sub-techniques.
  void scan(const LayerView& layer);

  // Records that the layer loop undid a technique of this class (from LayerView::obfuscation).
  void obfuscation(const LayerView& layer, Language interpreter);

  // The behaviours found, most severe first, then in order of appearance.
  std::vector<Behaviour> behaviours() const;

 private:
  void add(Behaviour behaviour);

  std::vector<Behaviour> found_;
  std::vector<std::string> obfuscation_steps_;
};

// The behaviours of one text taken as layer 0: for tests and one-off use.
std::vector<Behaviour> detect_behaviours(std::string_view text, Language language);

}  // namespace script_analysis
