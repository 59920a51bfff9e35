#include "plugin/gpt_binding.hpp"

#include "plugin/query_backends.hpp"

namespace secpilot::plugin {

void bind_gpt_skill(const manifest::SkillGroup& group,
                    std::shared_ptr<const model::ChatModel> model,
                    std::shared_ptr<const PluginEnvironment> environment,
                    skills::SkillEntry& entry) {
  if (const auto* text = skill_setting(group, *entry.spec, "Template"); text && text->is_string())
    entry.prompt_template = text->get_string();
  entry.model = std::move(model);
  entry.environment = std::move(environment);
  if (!entry.model)
    entry.unavailable_reason =
        "GPT skills need a language model: configure the daemon's model: section "
        "(docs/model.md)";
  else if (entry.prompt_template.empty())
    entry.unavailable_reason =
        skill_setting(group, *entry.spec, "TemplateUrl") ||
                skill_setting(group, *entry.spec, "TemplateFile")
            ? "the GPT skill's prompt is in a TemplateUrl or TemplateFile, which secpilot does "
              "not fetch: put the prompt in Settings.Template"
            : "the GPT skill has no Settings.Template";
}

}  // namespace secpilot::plugin
