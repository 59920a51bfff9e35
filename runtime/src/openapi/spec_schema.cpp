#include "openapi/spec_schema.hpp"

#include <algorithm>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

namespace secpilot::openapi {

namespace json = boost::json;

namespace {

// Keywords whose value is one schema, a map of schemas, or a list of schemas.
bool holds_schema(std::string_view key) {
  return key == "items" || key == "not" || key == "additionalProperties";
}
bool holds_schema_map(std::string_view key) {
  return key == "properties" || key == "patternProperties";
}
bool holds_schema_list(std::string_view key) {
  return key == "allOf" || key == "anyOf" || key == "oneOf";
}
// OpenAPI's own keywords, meaningless (or wrong) to a JSON Schema validator.
bool openapi_only(std::string_view key) {
  return key == "nullable" || key == "discriminator" || key == "xml" || key == "externalDocs" ||
         key == "example" || key.starts_with("x-");
}

// OpenAPI 3.0's `nullable: true` is JSON Schema's "null" in the type (and enum).
void apply_nullable(const json::object& source, json::object& out) {
  const json::value* nullable = source.if_contains("nullable");
  if (!nullable || !nullable->is_bool() || !nullable->get_bool()) return;
  if (json::value* type = out.if_contains("type"); type && type->is_string())
    *type = json::array{type->get_string(), "null"};
  if (json::value* values = out.if_contains("enum"); values && values->is_array())
    values->get_array().emplace_back(nullptr);
}

}  // namespace

const json::value* SchemaResolver::follow(const json::value& node, std::string& problem) const {
  if (!node.is_object()) return &node;
  const json::value* ref = node.get_object().if_contains("$ref");
  if (!ref) return &node;
  if (!ref->is_string() || !ref->get_string().starts_with("#")) {
    problem = "reference " + (ref->is_string() ? std::string(ref->get_string()) : "?") +
              " is not local to the spec (only \"#/...\" references are read)";
    return nullptr;
  }
  boost::system::error_code ec;
  const std::string_view pointer = std::string_view(ref->get_string()).substr(1);
  const json::value* target = document_.find_pointer(pointer, ec);
  if (!target) problem = "reference " + std::string(ref->get_string()) + " does not resolve";
  return target;
}

json::value SchemaResolver::json_schema(const json::value& schema,
                                        std::vector<std::string>& problems) const {
  std::vector<std::string> active;
  return convert(schema, active, problems);
}

json::value SchemaResolver::convert(const json::value& schema, std::vector<std::string>& active,
                                    std::vector<std::string>& problems) const {
  if (!schema.is_object()) return schema;
  const json::object& source = schema.get_object();
  if (const json::value* ref = source.if_contains("$ref"); ref && ref->is_string()) {
    const std::string name(ref->get_string());
    // A schema that contains itself (a tree node) is "any" below its first level.
    if (std::find(active.begin(), active.end(), name) != active.end()) return json::object{};
    std::string problem;
    const json::value* target = follow(schema, problem);
    if (!target) {
      problems.push_back(std::move(problem));
      return json::object{};
    }
    active.push_back(name);
    json::value out = convert(*target, active, problems);
    active.pop_back();
    return out;
  }
  json::object out;
  for (const auto& [key, value] : source) {
    if (openapi_only(key)) continue;
    if (holds_schema(key) && value.is_object()) {
      out[key] = convert(value, active, problems);
    } else if (holds_schema_map(key) && value.is_object()) {
      json::object converted;
      for (const auto& [name, property] : value.get_object())
        converted[name] = convert(property, active, problems);
      out[key] = std::move(converted);
    } else if (holds_schema_list(key) && value.is_array()) {
      json::array converted;
      for (const auto& item : value.get_array())
        converted.push_back(convert(item, active, problems));
      out[key] = std::move(converted);
    } else {
      out[key] = value;
    }
  }
  apply_nullable(source, out);
  return out;
}

}  // namespace secpilot::openapi
