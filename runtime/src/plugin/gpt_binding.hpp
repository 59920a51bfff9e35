// Binds a Format: GPT skill to the configured model: its prompt template from Settings.Template,
// the model, and the plugin's settings for {{Setting}}; or the reason it cannot run.
#pragma once

#include <memory>

#include "secpilot/model/chat.hpp"
#include "secpilot/plugin/native_plugin.hpp"
#include "secpilot/skills/catalog.hpp"

namespace secpilot::plugin {

void bind_gpt_skill(const manifest::SkillGroup& group,
                    std::shared_ptr<const model::ChatModel> model,
                    std::shared_ptr<const PluginEnvironment> environment,
                    skills::SkillEntry& entry);

}  // namespace secpilot::plugin
