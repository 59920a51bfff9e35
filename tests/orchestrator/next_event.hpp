// Waiting for an evaluation's event in the orchestrator tests: the first event of a type after a
// sequence number, looked for in the store, else awaited on the bus (subscribed first, so that one
// published in between is not missed). The listener shares its state, as a publish may still be
// calling it when this returns.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "secpilot/orchestrator/orchestrator.hpp"
#include "secpilot/store/store.hpp"

namespace secpilot::orchestrator::testing {

inline store::Event next_event(Orchestrator& orchestrator, store::Store& store,
                               const std::string& evaluation, std::string_view type,
                               std::int64_t after = 0) {
  struct Found {
    std::mutex mutex;
    std::condition_variable arrived;
    std::optional<store::Event> event;
  };
  auto found = std::make_shared<Found>();
  auto consider = [found, type = std::string(type), after](const store::Event& event) {
    if (event.type != type || event.seq <= after) return;
    std::lock_guard lock(found->mutex);
    if (!found->event || event.seq < found->event->seq) found->event = event;
    found->arrived.notify_all();
  };
  auto subscription = orchestrator.events().subscribe(evaluation, consider);
  auto stored = store.events_after(evaluation, after, 10000);
  if (!stored) throw std::runtime_error("cannot read events: " + stored.error().message);
  for (const auto& event : *stored)
    consider(event);
  std::unique_lock lock(found->mutex);
  if (!found->arrived.wait_for(lock, std::chrono::seconds(60),
                               [&] { return found->event.has_value(); }))
    throw std::runtime_error("no " + std::string(type) + " event came");
  return *found->event;
}

}  // namespace secpilot::orchestrator::testing
