#include "plugin/query_backends.hpp"

#include <boost/json/value.hpp>

#include "secpilot/util/ascii.hpp"

namespace secpilot::plugin {
namespace {

const boost::json::value* find_setting(const boost::json::object& settings, std::string_view key) {
  for (const auto& [name, value] : settings)
    if (iequals_ascii(name, key)) return &value;
  return nullptr;
}

bool declares_backend_for(const skills::SkillEntry& entry, std::string_view target) {
  if (!entry.spec || !entry.available()) return false;
  for (const auto& served : entry.spec->query_backend_for)
    if (iequals_ascii(served, target)) return true;
  return false;
}

}  // namespace

const boost::json::value* skill_setting(const manifest::SkillGroup& group,
                                        const manifest::Skill& skill, std::string_view key) {
  if (const auto* value = find_setting(skill.settings, key)) return value;
  return find_setting(group.settings, key);
}

void read_kql_settings(const manifest::SkillGroup& group, skills::SkillEntry& entry) {
  const auto* target = skill_setting(group, *entry.spec, "Target");
  const auto* text = skill_setting(group, *entry.spec, "Template");
  if (target && target->is_string()) entry.query_target = target->get_string();
  if (text && text->is_string()) entry.query_template = text->get_string();
  if (!entry.unavailable_reason.empty()) return;
  if (entry.query_target.empty())
    entry.unavailable_reason = "the KQL skill has no Settings.Target";
  else if (entry.query_template.empty())
    entry.unavailable_reason =
        skill_setting(group, *entry.spec, "TemplateUrl") ||
                skill_setting(group, *entry.spec, "TemplateFile")
            ? "the KQL skill's query is in a TemplateUrl or TemplateFile, which secpilot does not "
              "fetch: put the query in Settings.Template"
            : "the KQL skill has no Settings.Template";
}

void link_query_backends(skills::Catalog& catalog, const config::Settings& settings) {
  catalog.link([&](skills::SkillEntry& entry) {
    if (entry.format != manifest::Format::KQL || !entry.available()) return;
    const std::string& target = entry.query_target;
    if (const std::string* configured = settings.query_backend(target)) {
      const auto* backend = catalog.find(*configured);
      if (!backend || !backend->available()) {
        entry.unavailable_reason =
            "query_backends." + target + " in the config names " + *configured + ", which " +
            (backend ? "cannot run: " + backend->unavailable_reason : std::string("is not loaded"));
        return;
      }
      entry.query_backend = backend;
      return;
    }
    // The catalog lists by name, so the choice among several candidates is stable.
    for (const auto* candidate : catalog.list())
      if (declares_backend_for(*candidate, target)) {
        entry.query_backend = candidate;
        return;
      }
    entry.unavailable_reason = "no query backend runs KQL for Target " + target +
                               ": load a plugin whose skill declares QueryBackend: [" + target +
                               "] (LogHunt does), or set query_backends." + target +
                               " in the config";
  });
}

}  // namespace secpilot::plugin
