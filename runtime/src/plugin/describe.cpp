#include "secpilot/plugin/describe.hpp"
#include "openapi/api_call.hpp"

#include <boost/json/value_from.hpp>

namespace secpilot::plugin {
namespace {

boost::json::array strings(const std::vector<std::string>& items) {
  boost::json::array out;
  for (const auto& item : items)
    out.emplace_back(item);
  return out;
}

boost::json::value optional_text(const std::string& text) {
  return text.empty() ? boost::json::value(nullptr) : boost::json::value(text);
}

}  // namespace

boost::json::object describe_plugin(const PluginRecord& record, const skills::Catalog& catalog,
                                    bool detailed) {
  boost::json::object out;
  out["name"] = record.name;
  out["state"] = state_name(record.state);
  out["manifest"] = record.manifest_path.string();
  out["error"] = optional_text(record.error);
  out["warnings"] = strings(record.warnings);
  const auto skills = catalog.list(record.name);
  out["skills"] = skills.size();
  if (record.manifest) {
    const auto& d = record.manifest->descriptor;
    out["displayName"] = d.display_name;
    out["description"] = d.description;
    out["version"] = !record.libraries.empty() ? record.libraries.front()->version() : d.version;
  }
  // A plugin whose code runs (Native) has a health: the first library's trouble, if any.
  if (!record.libraries.empty()) {
    std::string health = "healthy";
    for (const auto& library : record.libraries)
      if (auto state = library->health(); state != "healthy") {
        health = std::move(state);
        break;
      }
    out["health"] = health;
  }
  if (!detailed) return out;

  boost::json::array libraries;
  for (const auto& library : record.libraries)
    libraries.push_back({{"path", library->library_path().string()},
                         {"version", library->version()},
                         {"sdkVersion", library->sdk_version()},
                         {"abi", library->abi_version()},
                         {"placement", placement_name(library->placement())},
                         {"health", library->health()}});
  out["libraries"] = std::move(libraries);
  boost::json::array settings;
  if (record.manifest) {
    const PluginEnvironment* env =
        record.libraries.empty() ? nullptr : &record.libraries.front()->environment();
    for (const auto& setting : record.manifest->descriptor.settings) {
      boost::json::object item{{"name", setting.name},
                               {"type", setting.type},
                               {"required", setting.required},
                               {"description", setting.description}};
      const bool set = env && env->setting(setting.name).has_value();
      item["set"] = set;
      if (!setting.is_secret() && set) item["value"] = *env->setting(setting.name);
      settings.push_back(std::move(item));
    }
  }
  out["settings"] = std::move(settings);
  boost::json::array skill_list;
  for (const auto* entry : skills)
    skill_list.push_back(describe_skill(*entry, false));
  out["skills"] = std::move(skill_list);
  boost::json::array diagnostics;
  for (const auto& diagnostic : record.diagnostics)
    diagnostics.emplace_back(manifest::format_diagnostic(diagnostic));
  out["diagnostics"] = std::move(diagnostics);
  return out;
}

boost::json::object describe_skill(const skills::SkillEntry& entry, bool detailed) {
  boost::json::object out;
  out["name"] = entry.full_name;
  out["plugin"] = entry.plugin;
  out["skill"] = entry.name;
  out["format"] = manifest::format_name(entry.format);
  out["available"] = entry.available();
  out["unavailableReason"] = optional_text(entry.unavailable_reason);
  if (!entry.spec) return out;
  const auto& spec = *entry.spec;
  out["displayName"] = spec.display_name;
  out["description"] = spec.description;
  out["sideEffects"] = manifest::side_effects_name(spec.side_effects);
  if (!detailed) return out;

  out["descriptionForModel"] = spec.description_for_model;
  out["examplePrompts"] = strings(spec.example_prompts);
  out["aliases"] = strings(spec.aliases);
  out["threadSafe"] = entry.thread_safe;
  out["timeoutSeconds"] = spec.timeout_seconds ? boost::json::value(*spec.timeout_seconds)
                                               : boost::json::value(nullptr);
  if (entry.format == manifest::Format::KQL)
    out["query"] = {
        {"target", entry.query_target},
        {"template", entry.query_template},
        {"backend", entry.query_backend ? boost::json::value(entry.query_backend->full_name)
                                        : boost::json::value(nullptr)}};
  if (entry.format == manifest::Format::API && entry.api) {
    const auto& operation = entry.api->operation();
    out["api"] = {{"method", operation.method},
                  {"path", operation.path},
                  {"operationId", operation.id},
                  {"servers", strings(operation.servers)}};
  }
  boost::json::array inputs;
  for (const auto& input : spec.inputs) {
    boost::json::object item{{"name", input.name},
                             {"type", input.type},
                             {"required", input.required},
                             {"description", input.description}};
    item["default"] = input.default_value ? boost::json::value(*input.default_value)
                                          : boost::json::value(nullptr);
    if (!input.placeholder.empty()) item["placeholder"] = input.placeholder;
    inputs.push_back(std::move(item));
  }
  out["inputs"] = std::move(inputs);
  out["outputs"] = spec.outputs ? *spec.outputs : boost::json::value(nullptr);
  out["outputEntities"] = strings(spec.output_entities);
  return out;
}

}  // namespace secpilot::plugin
