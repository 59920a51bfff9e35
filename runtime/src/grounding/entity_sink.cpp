#include "grounding/entity_sink.hpp"

#include <algorithm>
#include <utility>

namespace secpilot::grounding::detail {

EntitySink::EntitySink(const RefangedText& text, std::size_t max_entities)
    : text_(text),
      max_entities_(max_entities),
      // Collect past the limit so that the entities kept are the first in the text, whichever
      // scanner found them; the bound only stops pathological inputs.
      collect_limit_(std::max<std::size_t>(max_entities * 4, 4096)) {}

void EntitySink::add(Kind kind, std::string value, std::size_t start, std::size_t end) {
  if (value.empty() || end <= start) return;
  const bool defanged = text_.defanged_in(start, end);
  std::string key;
  key.reserve(value.size() + 1);
  key += static_cast<char>(kind);
  key += value;
  if (auto it = index_.find(key); it != index_.end()) {
    Entity& entity = entities_[it->second];
    ++entity.count;
    entity.defanged = entity.defanged || defanged;
    return;
  }
  if (entities_.size() >= collect_limit_) return;
  const auto [offset, original_end] = text_.to_original(start, end);
  Entity entity;
  entity.type = std::string(kind_name(kind));
  entity.value = std::move(value);
  entity.text = std::string(text_.original().substr(offset, original_end - offset));
  entity.offset = offset;
  entity.length = original_end - offset;
  entity.defanged = defanged;
  index_.emplace(std::move(key), entities_.size());
  entities_.push_back(std::move(entity));
}

void EntitySink::add_verbatim(Kind kind, std::size_t start, std::size_t end) {
  const auto [offset, original_end] = text_.to_original(start, end);
  add(kind, std::string(text_.original().substr(offset, original_end - offset)), start, end);
}

std::vector<Entity> EntitySink::finish() && {
  // Order indices, not entities: moving three strings per comparison costs more than the sort.
  std::vector<std::size_t> order(entities_.size());
  for (std::size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return entities_[a].offset < entities_[b].offset;
  });
  std::vector<Entity> out;
  out.reserve(std::min(order.size(), max_entities_));
  for (std::size_t i = 0; i < order.size() && out.size() < max_entities_; ++i)
    out.push_back(std::move(entities_[order[i]]));
  return out;
}

}  // namespace secpilot::grounding::detail
