// Format: GPT skills: the skill's prompt template, filled in with the call's inputs and the
// plugin's settings, sent to the configured model; the model's answer is the result.
#pragma once

#include <string>
#include <string_view>

#include "secpilot/skills/catalog.hpp"
#include "secpilot/skills/executor.hpp"

namespace secpilot::skills {

// The template with each {{name}} replaced by the input of that name (JSON text for objects and
// arrays; an optional input not given by its default or nothing), else the plugin setting of that
// name. A name that is neither, or a secret setting (never sent to a model), is an error.
Expected<std::string> render_gpt_prompt(const SkillEntry& entry, const boost::json::object& inputs);

// {"content": the answer (Markdown), "model": which model wrote it, "finishReason": ..., and
// "usage" when the endpoint reported it}.
Expected<std::string> run_gpt_skill(const SkillEntry& entry, std::string_view input_json,
                                    const InvokeOptions& options);

}  // namespace secpilot::skills
