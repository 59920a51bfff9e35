// Where scanners put what they find: deduplicated by type and value (first occurrence kept,
// occurrences counted), mapped back to the original text, bounded, ordered by offset.
#pragma once

#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

#include "grounding/entity_kinds.hpp"
#include "grounding/entity_refang.hpp"
#include "secpilot/grounding/entities.hpp"

namespace secpilot::grounding::detail {

class EntitySink {
 public:
  EntitySink(const RefangedText& text, std::size_t max_entities);

  // An entity with canonical `value` at [start, end) of the refanged text.
  void add(Kind kind, std::string value, std::size_t start, std::size_t end);
  // An entity whose value is its original text (scripts and KQL: never refanged or re-cased).
  void add_verbatim(Kind kind, std::size_t start, std::size_t end);

  // The entities, first occurrences in offset order, at most max_entities of them.
  std::vector<Entity> finish() &&;

 private:
  const RefangedText& text_;
  std::size_t max_entities_;
  std::size_t collect_limit_;
  std::unordered_map<std::string, std::size_t> index_;  // kind byte + value -> entities_
  std::vector<Entity> entities_;
};

}  // namespace secpilot::grounding::detail
