// libFuzzer target: entity extraction on arbitrary bytes, and back-references in a prompt
// resolved against the entities of an earlier turn (the input split at its first NUL byte).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "secpilot/grounding/entities.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace grounding = secpilot::grounding;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const auto& entity : grounding::extract_entities(text)) {
    // What the header promises: the first occurrence lies within the text.
    if (entity.offset > text.size() || entity.length > text.size() - entity.offset) std::abort();
  }

  const auto split = text.find('\0');
  if (split == std::string_view::npos) return 0;
  const grounding::Turn history[] = {{grounding::TurnRole::prompt, text.substr(0, split)}};
  const std::string_view prompt = text.substr(split + 1);
  const auto session = grounding::extract_session_entities(history);
  for (const auto& reference : grounding::resolve_references(prompt, session)) {
    if (reference.offset > prompt.size() || reference.length > prompt.size() - reference.offset)
      std::abort();
  }
  return 0;
}
