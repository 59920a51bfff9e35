#include "secpilot/skills/input_schema.hpp"

#include <boost/json/array.hpp>

namespace secpilot::skills {
namespace {

namespace json = boost::json;

// The JSON type an input of a manifest Type takes: entity types travel as strings.
std::string_view json_type(const std::string& type) {
  for (std::string_view plain : {"number", "integer", "boolean", "object", "array"})
    if (type == plain) return plain;
  return "string";
}

json::value default_of(const manifest::Input& input, std::string_view type) {
  const std::string& text = *input.default_value;
  if (type == "boolean") return text == "true";
  if (type == "integer" || type == "number") {
    try {
      std::size_t used = 0;
      const double number = std::stod(text, &used);
      if (used == text.size())
        return type == "integer" ? json::value(static_cast<std::int64_t>(number))
                                 : json::value(number);
    } catch (const std::exception&) {
    }
  }
  return json::string(text);
}

}  // namespace

json::object input_schema(const manifest::Skill& skill) {
  json::object properties;
  json::array required;
  for (const manifest::Input& input : skill.inputs) {
    const std::string_view type = json_type(input.type);
    json::object property{{"type", type}};
    std::string description = input.description;
    if (type == "string" && input.type != "string")
      description +=
          (description.empty() ? "" : " ") + std::string("(entity type: ") + input.type + ")";
    if (!description.empty()) property["description"] = description;
    if (!input.acceptable_values.empty()) {
      json::array values;
      for (const auto& value : input.acceptable_values)
        values.emplace_back(value);
      property["enum"] = std::move(values);
    }
    if (input.default_value && !input.default_value->empty())
      property["default"] = default_of(input, type);
    properties[input.name] = std::move(property);
    if (input.required) required.emplace_back(input.name);
  }
  json::object schema{{"type", "object"}, {"properties", std::move(properties)}};
  if (!required.empty()) schema["required"] = std::move(required);
  schema["additionalProperties"] = false;
  return schema;
}

}  // namespace secpilot::skills
