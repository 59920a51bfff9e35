#include "openapi/operation.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

namespace secpilot::openapi {

namespace json = boost::json;

namespace {

std::string text_of(const json::object& object, std::string_view key) {
  const json::value* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->get_string()) : std::string();
}

json::array strings(const std::vector<std::string>& items) {
  json::array out;
  for (const auto& item : items)
    out.emplace_back(item);
  return out;
}

std::vector<std::string> strings_of(const json::object& object, std::string_view key) {
  std::vector<std::string> out;
  if (const json::value* value = object.if_contains(key); value && value->is_array())
    for (const auto& item : value->get_array())
      if (item.is_string()) out.emplace_back(item.get_string());
  return out;
}

std::optional<ParameterIn> parse_in(std::string_view text) {
  if (text == "path") return ParameterIn::path;
  if (text == "query") return ParameterIn::query;
  if (text == "header") return ParameterIn::header;
  return std::nullopt;
}

}  // namespace

std::string_view parameter_in_name(ParameterIn in) noexcept {
  switch (in) {
    case ParameterIn::path:
      return "path";
    case ParameterIn::query:
      return "query";
    case ParameterIn::header:
      return "header";
  }
  return "query";
}

json::value to_json(const Operation& operation) {
  json::array parameters;
  for (const auto& p : operation.parameters)
    parameters.emplace_back(json::object{{"name", p.name},
                                         {"input", p.input},
                                         {"in", parameter_in_name(p.in)},
                                         {"required", p.required},
                                         {"description", p.description},
                                         {"schema", p.schema},
                                         {"explode", p.explode}});
  json::object out{{"method", operation.method},          {"path", operation.path},
                   {"operationId", operation.id},         {"summary", operation.summary},
                   {"parameters", std::move(parameters)}, {"servers", strings(operation.servers)}};
  if (operation.body) {
    json::array properties;
    for (const auto& property : operation.body->properties)
      properties.emplace_back(json::object{{"name", property.name}, {"input", property.input}});
    out["requestBody"] = json::object{{"contentType", operation.body->content_type},
                                      {"schema", operation.body->schema},
                                      {"required", operation.body->required},
                                      {"properties", std::move(properties)}};
  }
  if (operation.response_schema) out["responseSchema"] = *operation.response_schema;
  return out;
}

Expected<Operation> operation_from_json(const json::value& value) {
  if (!value.is_object()) return make_error(Status::internal, "the API operation is not an object");
  const json::object& object = value.get_object();
  Operation operation;
  operation.method = text_of(object, "method");
  operation.path = text_of(object, "path");
  operation.id = text_of(object, "operationId");
  operation.summary = text_of(object, "summary");
  operation.servers = strings_of(object, "servers");
  if (operation.method.empty() || operation.path.empty())
    return make_error(Status::internal, "the API operation has no method or path");
  if (const json::value* list = object.if_contains("parameters"); list && list->is_array()) {
    for (const auto& item : list->get_array()) {
      if (!item.is_object()) continue;
      const json::object& raw = item.get_object();
      auto in = parse_in(text_of(raw, "in"));
      if (!in) return make_error(Status::internal, "an API parameter has an unknown location");
      Parameter parameter;
      parameter.name = text_of(raw, "name");
      parameter.input = text_of(raw, "input");
      parameter.in = *in;
      parameter.description = text_of(raw, "description");
      if (const json::value* required = raw.if_contains("required");
          required && required->is_bool())
        parameter.required = required->get_bool();
      if (const json::value* explode = raw.if_contains("explode"); explode && explode->is_bool())
        parameter.explode = explode->get_bool();
      if (const json::value* schema = raw.if_contains("schema")) parameter.schema = *schema;
      operation.parameters.push_back(std::move(parameter));
    }
  }
  if (const json::value* body = object.if_contains("requestBody"); body && body->is_object()) {
    const json::object& raw = body->get_object();
    RequestBody request_body;
    request_body.content_type = text_of(raw, "contentType");
    if (const json::value* schema = raw.if_contains("schema")) request_body.schema = *schema;
    if (const json::value* required = raw.if_contains("required"); required && required->is_bool())
      request_body.required = required->get_bool();
    if (const json::value* list = raw.if_contains("properties"); list && list->is_array())
      for (const auto& item : list->get_array())
        if (item.is_object())
          request_body.properties.push_back(
              {text_of(item.get_object(), "name"), text_of(item.get_object(), "input")});
    operation.body = std::move(request_body);
  }
  if (const json::value* schema = object.if_contains("responseSchema"))
    operation.response_schema = *schema;
  return operation;
}

}  // namespace secpilot::openapi
