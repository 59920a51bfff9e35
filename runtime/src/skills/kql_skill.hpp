// Runs a Format: KQL skill: checks its inputs, renders its Template with them, and hands the
// query to its query backend (another skill, e.g. LogHunt.RunKql) as that skill's `query` input.
#pragma once

#include <string>
#include <string_view>

#include "secpilot/skills/executor.hpp"

namespace secpilot::skills {

// The backend's result, unchecked against `entry`'s own Outputs (the caller does that).
Expected<std::string> run_kql_skill(const SkillEntry& entry, std::string_view input_json,
                                    const InvokeOptions& options);

}  // namespace secpilot::skills
