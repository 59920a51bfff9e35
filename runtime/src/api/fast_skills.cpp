#include "api/fast_skills.hpp"

#include <mutex>

#include "secpilot/plugin/native_library.hpp"

namespace secpilot::api {

bool FastSkills::eligible(const skills::SkillEntry& entry) noexcept {
  return entry.format == manifest::Format::Native && entry.native &&
         entry.native->placement() == plugin::Placement::in_process && entry.thread_safe &&
         entry.available() && !entry.overran_deadline->load(std::memory_order_relaxed);
}

bool FastSkills::trusted(const skills::SkillEntry& entry) const {
  if (!eligible(entry)) return false;
  std::shared_lock lock(mutex_);
  const auto found = streaks_.find(entry.full_name);
  return found != streaks_.end() && found->second->load(std::memory_order_relaxed) >= kTrustAfter;
}

void FastSkills::record(const skills::SkillEntry& entry, std::chrono::nanoseconds took) {
  const bool fast = took < kFast && eligible(entry);
  std::atomic<unsigned>* streak = nullptr;
  {
    std::shared_lock lock(mutex_);
    if (const auto found = streaks_.find(entry.full_name); found != streaks_.end())
      streak = found->second.get();
  }
  if (streak == nullptr) {
    if (!fast) return;  // no record is as good as a broken streak
    std::unique_lock lock(mutex_);
    if (streaks_.size() >= kMaxSkills) return;
    auto& slot = streaks_[entry.full_name];
    if (!slot) slot = std::make_unique<std::atomic<unsigned>>(0);
    streak = slot.get();
  }
  if (!fast) {
    streak->store(0, std::memory_order_relaxed);
  } else if (streak->load(std::memory_order_relaxed) < kTrustAfter) {
    streak->fetch_add(1, std::memory_order_relaxed);
  }
}

}  // namespace secpilot::api
