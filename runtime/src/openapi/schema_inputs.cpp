#include "openapi/schema_inputs.hpp"

#include <algorithm>

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "secpilot/util/ascii.hpp"

namespace secpilot::openapi {

namespace json = boost::json;

std::string input_name(std::string_view wire) {
  std::string out;
  for (char c : wire) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    out += ok ? c : '_';
  }
  return out.empty() ? std::string("value") : out;
}

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

}  // namespace secpilot::openapi
