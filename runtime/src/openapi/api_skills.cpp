#include "openapi/api_skills.hpp"

#include <algorithm>
#include <set>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "openapi/schema_inputs.hpp"
#include "openapi/spec.hpp"
#include "secpilot/util/ascii.hpp"

namespace secpilot::openapi {

namespace json = boost::json;
using manifest::Diagnostic;
using manifest::Severity;

namespace {

constexpr std::size_t kDisplayNameLimit = 40;

// A fresh name: `wanted`, else `prefix_wanted`, else with a number.
std::string unique_name(std::string wanted, std::string_view prefix, std::set<std::string>& taken) {
  if (taken.insert(to_lower_ascii(wanted)).second) return wanted;
  std::string candidate = std::string(prefix) + "_" + wanted;
  for (int n = 2; !taken.insert(to_lower_ascii(candidate)).second; ++n)
    candidate = std::string(prefix) + "_" + wanted + "_" + std::to_string(n);
  return candidate;
}

// Security Copilot puts example prompts in an operation's description as "#ExamplePrompt ..."
// lines; they are taken out of the description.
void split_description(const std::string& text, std::string& description,
                       std::vector<std::string>& prompts) {
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + start, end - start);
    std::string_view trimmed = line.substr(std::min(line.find_first_not_of(" \t"), line.size()));
    std::string_view lowered_key;
    for (std::string_view key : {"#ExamplePrompts", "#ExamplePrompt"}) {
      if (trimmed.size() >= key.size() &&
          to_lower_ascii(trimmed.substr(0, key.size())) == to_lower_ascii(key)) {
        lowered_key = key;
        break;
      }
    }
    if (!lowered_key.empty()) {
      std::string_view prompt = trimmed.substr(lowered_key.size());
      prompt.remove_prefix(std::min(prompt.find_first_not_of(" \t:"), prompt.size()));
      while (!prompt.empty() && (prompt.back() == ' ' || prompt.back() == '\r'))
        prompt.remove_suffix(1);
      if (!prompt.empty()) prompts.emplace_back(prompt);
    } else {
      if (!description.empty()) description += '\n';
      description += line;
    }
    start = end + 1;
  }
  while (!description.empty() && (description.back() == '\n' || description.back() == ' '))
    description.pop_back();
}

std::string display_name(const Operation& operation) {
  std::string name = operation.summary.empty() ? operation.id : operation.summary;
  if (name.size() <= kDisplayNameLimit) return name;
  name.resize(kDisplayNameLimit);
  if (auto space = name.rfind(' '); space != std::string::npos && space > kDisplayNameLimit / 2)
    name.resize(space);
  return name;
}

// The spec file of a group, or nullopt (reported) when there is none to read.
std::optional<std::filesystem::path> spec_path(const manifest::Manifest& manifest,
                                               const manifest::SkillGroup& group,
                                               std::vector<Diagnostic>& diagnostics) {
  for (const auto& [key, value] : group.settings) {
    const std::string name = to_lower_ascii(key);
    if ((name != "openapispecfile" && name != "openapispecurl") || !value.is_string()) continue;
    std::string text(value.get_string());
    if (text.empty()) continue;
    if (text.starts_with("file://")) text = text.substr(7);
    const std::string lowered = to_lower_ascii(text);
    if (lowered.starts_with("http://") || lowered.starts_with("https://")) {
      diagnostics.push_back(
          {Severity::Warning, group.fields.find("Settings." + std::string(key), group.where),
           "the OpenAPI spec " + text + " is not downloaded: secpilot reads specs from files",
           "save the spec next to the manifest and set OpenApiSpecFile: <its file name>"});
      return std::nullopt;
    }
    return manifest.directory() / std::filesystem::path(text);
  }
  return std::nullopt;  // lint reports the missing setting
}

void expand_group(const manifest::Manifest& manifest, manifest::SkillGroup& group,
                  std::vector<Diagnostic>& diagnostics) {
  auto path = spec_path(manifest, group, diagnostics);
  if (!path) return;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(*path, ec)) {
    std::string key = "OpenApiSpecFile";
    for (const auto& [written, value] : group.settings)
      if (value.is_string() && (to_lower_ascii(written) == "openapispecfile" ||
                                to_lower_ascii(written) == "openapispecurl"))
        key = std::string(written);
    diagnostics.push_back(
        {Severity::Error, group.fields.find("Settings." + key, group.where),
         "OpenAPI spec '" + path->lexically_relative(manifest.directory()).string() + "' not found",
         "correct " + key + " (it is relative to the manifest's folder)"});
    return;
  }
  auto spec = read_spec_file(*path, diagnostics);
  if (!spec) return;
  std::vector<manifest::Skill> written = std::move(group.skills);
  group.skills.clear();
  for (auto& operation : spec->operations)
    group.skills.push_back(skill_from_operation(operation, group.where));
  for (const auto& skill : written) {
    auto generated = std::find_if(group.skills.begin(), group.skills.end(),
                                  [&](const auto& g) { return iequals_ascii(g.name, skill.name); });
    if (generated == group.skills.end()) {
      diagnostics.push_back({Severity::Error, skill.fields.find("Name", skill.where),
                             "skill '" + skill.name + "' is not an operation of the OpenAPI spec " +
                                 path->filename().string(),
                             "write the operationId of a GET or POST operation of the spec"});
      continue;
    }
    refine(*generated, skill);
  }
}

}  // namespace

manifest::Skill skill_from_operation(Operation& operation, const manifest::SourceLocation& where) {
  manifest::Skill skill;
  skill.name = operation.id;
  skill.display_name = display_name(operation);
  split_description(operation.description, skill.description, skill.example_prompts);
  if (skill.description.empty()) skill.description = operation.summary;
  skill.side_effects =
      operation.method == "GET" ? manifest::SideEffects::Read : manifest::SideEffects::Write;
  skill.where = where;
  std::set<std::string> taken;
  for (auto& parameter : operation.parameters) {
    parameter.input =
        unique_name(input_name(parameter.name), parameter_in_name(parameter.in), taken);
    skill.inputs.push_back(make_input(parameter.input, parameter.description, parameter.schema,
                                      parameter.required, where));
  }
  if (operation.body) {
    auto& body = *operation.body;
    const json::object* properties = nullptr;
    std::set<std::string> required;
    if (body.schema.is_object()) {
      const json::object& schema = body.schema.get_object();
      if (const json::value* p = schema.if_contains("properties"); p && p->is_object())
        properties = &p->get_object();
      if (const json::value* r = schema.if_contains("required"); r && r->is_array())
        for (const auto& name : r->get_array())
          if (name.is_string()) required.emplace(name.get_string());
    }
    if (properties) {
      for (auto& property : body.properties) {
        property.input = unique_name(input_name(property.name), "body", taken);
        skill.inputs.push_back(make_input(property.input, "", properties->at(property.name),
                                          body.required && required.count(property.name) > 0,
                                          where));
      }
    } else {
      body.properties.clear();
      skill.inputs.push_back(make_input(unique_name("body", "request", taken),
                                        "The request body, as JSON.", body.schema, body.required,
                                        where));
    }
  }
  if (operation.response_schema) skill.outputs = *operation.response_schema;
  skill.settings[kOperationSetting] = to_json(operation);
  return skill;
}

void expand_api_groups(manifest::Manifest& manifest, std::vector<Diagnostic>& diagnostics) {
  for (auto& group : manifest.groups)
    if (group.format == manifest::Format::API) expand_group(manifest, group, diagnostics);
}

}  // namespace secpilot::openapi
