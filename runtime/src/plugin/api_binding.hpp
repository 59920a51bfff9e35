// Binds a Format: API skill to its OpenAPI operation (kept in the skill's Settings by
// openapi::expand_api_groups), the plugin's authentication and its environment.
#pragma once

#include <memory>

#include "openapi/api_auth.hpp"
#include "secpilot/plugin/native_plugin.hpp"
#include "secpilot/skills/catalog.hpp"

namespace secpilot::plugin {

// Sets entry.api, or an unavailable reason saying what is missing.
void bind_api_skill(const manifest::SkillGroup& group, const manifest::Skill& skill,
                    const Expected<std::shared_ptr<openapi::ApiAuth>>& auth,
                    std::shared_ptr<const PluginEnvironment> environment,
                    skills::SkillEntry& entry);

}  // namespace secpilot::plugin
