// Helpers for the entity extraction tests: entities as "type:value" strings, easy to compare.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "secpilot/grounding/entities.hpp"

namespace secpilot::grounding::test {

inline std::vector<std::string> typed_values(std::string_view text,
                                             const ExtractOptions& options = {}) {
  std::vector<std::string> out;
  for (const Entity& entity : extract_entities(text, options))
    out.push_back(entity.type + ":" + entity.value);
  return out;
}

inline std::vector<std::string> values_of_type(std::string_view text, std::string_view type) {
  std::vector<std::string> out;
  for (const Entity& entity : extract_entities(text))
    if (entity.type == type) out.push_back(entity.value);
  return out;
}

}  // namespace secpilot::grounding::test
