// Something built from a plugin host's catalog (a retrieval index, a planner over it): built on
// first use and again when the host changes (a plugin reload swaps it). Thread-safe; a caller
// keeps what it got for as long as it uses it, whatever reloads meanwhile.
#pragma once

#include <memory>
#include <mutex>

namespace secpilot::plugin {
class PluginHost;
}

namespace secpilot::orchestrator {

// T is constructible from the host and keeps it in a member named `host`.
template <class T>
class PerHost {
 public:
  std::shared_ptr<const T> get(const std::shared_ptr<const plugin::PluginHost>& host) const {
    std::lock_guard lock(mutex_);
    if (!value_ || value_->host != host) value_ = std::make_shared<const T>(host);
    return value_;
  }

 private:
  mutable std::mutex mutex_;
  mutable std::shared_ptr<const T> value_;
};

}  // namespace secpilot::orchestrator
