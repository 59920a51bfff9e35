#include "skills/gpt_skill.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "secpilot/model/chat.hpp"
#include "secpilot/plugin/native_plugin.hpp"
#include "secpilot/skills/input_validation.hpp"
#include "secpilot/util/ascii.hpp"
#include "util/json_template.hpp"

namespace secpilot::skills {
namespace {

namespace json = boost::json;

bool is_secret_setting(const plugin::PluginEnvironment& environment, std::string_view name) {
  if (environment.settings.secrets.contains(name)) return true;
  for (const auto& declared : environment.declared)
    if (declared.is_secret() && iequals_ascii(declared.name, name)) return true;
  return false;
}

}  // namespace

Expected<std::string> render_gpt_prompt(const SkillEntry& entry, const json::object& inputs) {
  std::string problem;
  std::string prompt = render_json_template(entry.prompt_template, [&](std::string_view name) {
    if (const auto* value = inputs.if_contains(name))
      return value->is_string() ? std::string(value->get_string()) : json::serialize(*value);
    if (entry.spec)
      for (const auto& input : entry.spec->inputs)
        if (input.name == name) return input.default_value.value_or("");
    if (entry.environment) {
      if (is_secret_setting(*entry.environment, name)) {
        if (problem.empty())
          problem = "the template refers to {{" + std::string(name) +
                    "}}, a secret setting, which is never sent to a model";
        return std::string();
      }
      if (auto setting = entry.environment->setting(name)) return *setting;
    }
    if (problem.empty())
      problem = "the template refers to {{" + std::string(name) +
                "}}, which is neither an input of the skill nor a setting of its plugin";
    return std::string();
  });
  if (!problem.empty()) return make_error(Status::invalid_input, entry.full_name + ": " + problem);
  return prompt;
}

Expected<std::string> run_gpt_skill(const SkillEntry& entry, std::string_view input_json,
                                    const InvokeOptions& options) {
  if (!entry.model)
    return make_error(Status::unsupported,
                      entry.full_name +
                          " needs a language model: configure the daemon's model: "
                          "section (docs/model.md)");
  auto inputs =
      input_object(entry.full_name, options.validate_input ? entry.spec : nullptr, input_json);
  if (!inputs) return inputs.error();
  auto prompt = render_gpt_prompt(entry, *inputs);
  if (!prompt) return prompt.error();

  model::ChatRequest request;
  request.messages.push_back(model::ChatMessage::user(std::move(*prompt)));
  model::CallControl control;
  control.deadline = std::chrono::steady_clock::now() + effective_timeout(entry, options);
  control.cancelled = options.cancelled;
  auto completion = entry.model->complete(request, control);
  if (!completion)
    return make_error(completion.error().status,
                      entry.full_name + ": " + std::move(completion).error().message);
  if (completion->finish_reason == model::FinishReason::content_filter)
    return make_error(Status::forbidden,
                      entry.full_name + ": the model provider's content filter stopped the answer");
  json::object result{{"content", completion->content.value_or("")},
                      {"model", completion->model},
                      {"finishReason", model::finish_reason_name(completion->finish_reason)}};
  if (completion->usage)
    result["usage"] = {{"promptTokens", completion->usage->prompt_tokens},
                       {"completionTokens", completion->usage->completion_tokens},
                       {"totalTokens", completion->usage->total_tokens}};
  return json::serialize(result);
}

}  // namespace secpilot::skills
