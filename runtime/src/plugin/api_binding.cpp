#include "plugin/api_binding.hpp"

#include "openapi/api_call.hpp"
#include "openapi/api_skills.hpp"
#include "secpilot/util/ascii.hpp"

namespace secpilot::plugin {

namespace {

std::string group_setting(const manifest::SkillGroup& group, std::string_view key) {
  for (const auto& [name, value] : group.settings)
    if (iequals_ascii(name, key) && value.is_string()) return std::string(value.get_string());
  return {};
}

}  // namespace

void bind_api_skill(const manifest::SkillGroup& group, const manifest::Skill& skill,
                    const Expected<std::shared_ptr<openapi::ApiAuth>>& auth,
                    std::shared_ptr<const PluginEnvironment> environment,
                    skills::SkillEntry& entry) {
  if (!auth) {
    entry.unavailable_reason = auth.error().message;
    return;
  }
  const boost::json::value* operation = skill.settings.if_contains(openapi::kOperationSetting);
  if (!operation) {
    entry.unavailable_reason =
        "the OpenAPI spec of its group was not read (see the plugin's "
        "diagnostics: `secpilot plugins show " +
        entry.plugin + "`)";
    return;
  }
  auto read = openapi::operation_from_json(*operation);
  if (!read) {
    entry.unavailable_reason = read.error().message;
    return;
  }
  openapi::Endpoint endpoint{group_setting(group, "EndpointUrlSettingName"),
                             group_setting(group, "EndpointUrl")};
  entry.api = std::make_shared<const openapi::ApiCall>(std::move(*read), std::move(endpoint), *auth,
                                                       std::move(environment));
  entry.thread_safe = true;  // each call is its own request; the token cache is locked
}

}  // namespace secpilot::plugin
