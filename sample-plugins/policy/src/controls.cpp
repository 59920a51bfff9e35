#include "policy/controls.hpp"

#include <algorithm>

namespace policy {
namespace {

bool is_built_in_strength(const Control& control) {
  return control.name == "mfa" || (control.name == "authenticationStrength" &&
                                   control.id.starts_with("00000000-0000-0000-0000-00000000000"));
}

bool needs_device(const std::vector<Control>& alternative) {
  return std::any_of(alternative.begin(), alternative.end(), [](const Control& control) {
    return control.name == "compliantDevice" || control.name == "domainJoinedDevice";
  });
}

}  // namespace

std::vector<std::vector<Control>> alternatives(const Grant& grant) {
  if (grant.controls.empty()) return {{}};
  if (!grant.any_of) return {grant.controls};
  std::vector<std::vector<Control>> out;
  for (const auto& control : grant.controls)
    out.push_back({control});
  return out;
}

bool satisfies(const Control& control, const Control& required) {
  if (control.name == required.name && control.id == required.id) return true;
  // Built-in MFA levels are ordered; a custom strength only meets itself.
  return required.strength != Strength::None && is_built_in_strength(required) &&
         control.strength >= required.strength;
}

bool implies(const Grant& stronger, const Grant& weaker) {
  if (stronger.block || weaker.block) return stronger.block == weaker.block;
  const auto weaker_ways = alternatives(weaker);
  for (const auto& way : alternatives(stronger)) {
    const bool meets_one = std::any_of(weaker_ways.begin(), weaker_ways.end(), [&](const auto& w) {
      return std::all_of(w.begin(), w.end(), [&](const Control& required) {
        return std::any_of(way.begin(), way.end(),
                           [&](const Control& c) { return satisfies(c, required); });
      });
    });
    if (!meets_one) return false;
  }
  return true;
}

Strength guaranteed_strength(const Grant& grant) {
  if (grant.block || grant.controls.empty()) return Strength::None;
  Strength weakest = Strength::PhishingResistant;
  for (const auto& way : alternatives(grant)) {
    Strength best = Strength::None;
    for (const auto& control : way)
      best = std::max(best, control.strength);
    weakest = std::min(weakest, best);
  }
  return weakest;
}

bool can_lock_out(const Grant& grant) {
  if (grant.block) return true;
  if (grant.controls.empty()) return false;
  const auto ways = alternatives(grant);
  return std::all_of(ways.begin(), ways.end(), needs_device);
}

bool session_at_least(const std::vector<std::string>& stronger,
                      const std::vector<std::string>& weaker) {
  return std::includes(stronger.begin(), stronger.end(), weaker.begin(), weaker.end());
}

}  // namespace policy
