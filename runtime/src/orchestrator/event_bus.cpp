#include "secpilot/orchestrator/event_bus.hpp"

#include <vector>

namespace secpilot::orchestrator {

std::shared_ptr<void> EventBus::subscribe(const std::string& evaluation_id, Listener listener) {
  std::uint64_t id = 0;
  {
    std::lock_guard lock(mutex_);
    id = ++next_id_;
    listeners_.emplace(evaluation_id,
                       std::make_pair(id, std::make_shared<Listener>(std::move(listener))));
  }
  // The handle unsubscribes when it goes; `this` outlives every handle (the daemon owns both).
  return std::shared_ptr<void>(nullptr, [this, evaluation_id, id](void*) {
    std::lock_guard lock(mutex_);
    auto [first, last] = listeners_.equal_range(evaluation_id);
    for (auto it = first; it != last; ++it)
      if (it->second.first == id) {
        listeners_.erase(it);
        break;
      }
  });
}

void EventBus::publish(const store::Event& event) {
  std::vector<std::shared_ptr<Listener>> targets;
  {
    std::lock_guard lock(mutex_);
    auto [first, last] = listeners_.equal_range(event.evaluation_id);
    for (auto it = first; it != last; ++it)
      targets.push_back(it->second.second);
  }
  for (const auto& listener : targets)
    (*listener)(event);  // outside the lock
}

}  // namespace secpilot::orchestrator
