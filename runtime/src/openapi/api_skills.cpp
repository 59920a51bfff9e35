#include "openapi/api_skills.hpp"

#include <algorithm>
#include <set>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "openapi/spec.hpp"
#include "secpilot/util/ascii.hpp"

namespace secpilot::openapi {

namespace json = boost::json;
using manifest::Diagnostic;
using manifest::Severity;

namespace {

constexpr std::size_t kDisplayNameLimit = 40;

// Input names may hold letters, digits, '_' and '-' (they appear as {{Name}} and key=value).
std::string input_name(std::string_view wire) {
  std::string out;
  for (char c : wire) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    out += ok ? c : '_';
  }
  return out.empty() ? std::string("value") : out;
}

// A fresh name: `wanted`, else `prefix_wanted`, else with a number.
std::string unique_name(std::string wanted, std::string_view prefix, std::set<std::string>& taken) {
  if (taken.insert(to_lower_ascii(wanted)).second) return wanted;
  std::string candidate = std::string(prefix) + "_" + wanted;
  for (int n = 2; !taken.insert(to_lower_ascii(candidate)).second; ++n)
    candidate = std::string(prefix) + "_" + wanted + "_" + std::to_string(n);
  return candidate;
}

// The input type for a schema: JSON types, and entity types for the formats that name one.
std::string input_type(const json::value& schema) {
  if (!schema.is_object()) return "string";
  const json::object& object = schema.get_object();
  std::string type;
  if (const json::value* t = object.if_contains("type")) {
    if (t->is_string()) type = std::string(t->get_string());
    if (t->is_array())  // ["integer", "null"]: the non-null one
      for (const auto& item : t->get_array())
        if (item.is_string() && item.get_string() != "null") type = std::string(item.get_string());
  }
  if (type.empty() && object.contains("properties")) type = "object";
  if (type == "integer" || type == "number" || type == "boolean" || type == "array" ||
      type == "object")
    return type;
  const json::value* format = object.if_contains("format");
  const std::string f = format && format->is_string() ? std::string(format->get_string()) : "";
  if (f == "ipv4" || f == "ipv6") return "ip";
  if (f == "email") return "email";
  if (f == "uri" || f == "url") return "url";
  if (f == "hostname") return "domain";
  return "string";
}

std::optional<std::string> default_of(const json::value& schema) {
  if (!schema.is_object()) return std::nullopt;
  const json::value* value = schema.get_object().if_contains("default");
  if (!value || value->is_null()) return std::nullopt;
  if (value->is_string()) return std::string(value->get_string());
  return json::serialize(*value);
}

std::string description_of(const json::value& schema) {
  if (!schema.is_object()) return {};
  const json::value* value = schema.get_object().if_contains("description");
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
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

manifest::Input make_input(std::string name, std::string description, const json::value& schema,
                           bool required, const manifest::SourceLocation& where) {
  manifest::Input input;
  input.name = std::move(name);
  input.description = description.empty() ? description_of(schema) : std::move(description);
  input.type = input_type(schema);
  input.required = required;
  input.default_value = default_of(schema);
  if (input.default_value) input.required = false;
  input.where = where;
  return input;
}

// Fields the manifest wrote for a generated skill replace the generated ones.
void refine(manifest::Skill& generated, const manifest::Skill& written) {
  const auto has = [&](std::string_view field) { return written.fields.contains(field); };
  if (has("DisplayName")) generated.display_name = written.display_name;
  if (has("Description")) generated.description = written.description;
  if (has("DescriptionForModel")) generated.description_for_model = written.description_for_model;
  if (!written.example_prompts.empty()) generated.example_prompts = written.example_prompts;
  if (has("SideEffects")) generated.side_effects = written.side_effects;
  if (written.timeout_seconds) generated.timeout_seconds = written.timeout_seconds;
  if (!written.aliases.empty()) generated.aliases = written.aliases;
  if (written.outputs) generated.outputs = written.outputs;
  if (!written.output_entities.empty()) generated.output_entities = written.output_entities;
  if (!written.version.empty()) generated.version = written.version;
  for (const auto& input : written.inputs) {
    auto same = std::find_if(generated.inputs.begin(), generated.inputs.end(),
                             [&](const auto& g) { return iequals_ascii(g.name, input.name); });
    if (same == generated.inputs.end()) continue;
    if (input.fields.contains("Description")) same->description = input.description;
    if (input.fields.contains("Type")) same->type = input.type;
    if (!input.placeholder.empty()) same->placeholder = input.placeholder;
  }
  generated.where = written.where;
  generated.fields = written.fields;
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
