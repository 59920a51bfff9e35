// Test helper: runs the layer loop on a script and keeps what a person would look at (the final
// text, the techniques undone, the limits hit).
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "script_analysis/deobfuscate.hpp"

namespace script_analysis::testing {

struct Peeled {
  std::string final_text;
  std::vector<std::string> techniques;
  std::vector<LimitKind> limits_hit;
  std::vector<LayerRecord> layers;
  Language final_language = Language::Unknown;

  bool undid(std::string_view technique) const {
    return std::find(techniques.begin(), techniques.end(), technique) != techniques.end();
  }
  bool hit(LimitKind kind) const {
    return std::find(limits_hit.begin(), limits_hit.end(), kind) != limits_hit.end();
  }
};

inline Peeled peel(std::string_view script, Language language = Language::Unknown,
                   const Limits& limits = {}) {
  Budget budget(limits);
  DeobfuscateOptions options;
  options.language = language;
  Deobfuscation result = deobfuscate(script, options, budget);
  return {std::move(result.final_text), std::move(result.techniques), budget.hits(),
          std::move(result.layers), result.final_language};
}

}  // namespace script_analysis::testing
