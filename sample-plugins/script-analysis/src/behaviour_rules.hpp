// The behaviour rules: what each looks for and what it means in ATT&CK terms.
#pragma once

#include <string_view>
#include <vector>

#include "script_analysis/behaviours.hpp"

namespace script_analysis {

struct BehaviourRule {
  std::string_view id;
  std::string_view name;
  std::string_view category;
  Severity severity;
  // ATT&CK ids; "T1059.*" stands for the interpreter of the layer's language.
  std::vector<std::string_view> techniques;
  // Every group must match somewhere in one layer; a group matches when any of its patterns does
  // (pattern.hpp: lower case, '~' for a word boundary). Evidence comes from the first group.
  std::vector<std::vector<std::string_view>> all_of;
  // Rules this one makes redundant when both match (download_execute covers download).
  std::vector<std::string_view> supersedes = {};
};

const std::vector<BehaviourRule>& behaviour_rules();

}  // namespace script_analysis
