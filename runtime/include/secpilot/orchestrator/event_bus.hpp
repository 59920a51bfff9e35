// Live delivery of an evaluation's events to whoever is watching (server-sent event streams).
// The store keeps every event for replay; the bus only tells listeners that one was recorded.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "secpilot/store/records.hpp"

namespace secpilot::orchestrator {

class EventBus {
 public:
  using Listener = std::function<void(const store::Event&)>;

  // Calls `listener` for each event of `evaluation_id` published from now on, on the publishing
  // thread, until the returned handle is destroyed. Keep listeners short and non-blocking.
  [[nodiscard]] std::shared_ptr<void> subscribe(const std::string& evaluation_id,
                                                Listener listener);
  void publish(const store::Event& event);

 private:
  std::mutex mutex_;
  std::uint64_t next_id_ = 0;
  std::multimap<std::string, std::pair<std::uint64_t, std::shared_ptr<Listener>>> listeners_;
};

}  // namespace secpilot::orchestrator
