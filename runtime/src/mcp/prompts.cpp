#include "mcp/prompts.hpp"

#include <boost/json/array.hpp>

#include "secpilot/promptbook/render.hpp"

namespace secpilot::mcp {
namespace json = boost::json;

json::object list_prompts(const promptbook::Registry& registry) {
  json::array prompts;
  for (const auto& book : registry.list()) {
    json::array arguments;
    for (const auto& parameter : book->parameters) {
      json::object argument{{"name", parameter.name}, {"required", parameter.required}};
      std::string description = parameter.description;
      if (parameter.type != "string")
        description += (description.empty() ? "" : " ") + std::string("(") + parameter.type + ")";
      if (!description.empty()) argument["description"] = std::move(description);
      arguments.push_back(std::move(argument));
    }
    json::object prompt{{"name", book->name}, {"arguments", std::move(arguments)}};
    if (!book->display_name.empty()) prompt["title"] = book->display_name;
    if (!book->description.empty()) prompt["description"] = book->description;
    prompts.push_back(std::move(prompt));
  }
  return {{"prompts", std::move(prompts)}};
}

Expected<json::object> get_prompt(const promptbook::Registry& registry,
                                  const json::object& params) {
  const auto* name = params.if_contains("name");
  if (name == nullptr || !name->is_string())
    return make_error(Status::invalid_input, "prompts/get needs params.name, a promptbook's name");
  const auto book = registry.find(name->get_string());
  if (!book) {
    const auto close = registry.suggest(name->get_string());
    return make_error(Status::invalid_input,
                      "Unknown prompt: " + std::string(name->get_string()) +
                          (close.empty() ? "" : " (did you mean " + close + "?)"));
  }
  json::object given;
  if (const auto* arguments = params.if_contains("arguments"); arguments && !arguments->is_null()) {
    if (!arguments->is_object())
      return make_error(Status::invalid_input, "params.arguments must be an object");
    for (const auto& [key, value] : arguments->get_object()) {
      // MCP's prompt arguments are strings; the promptbook's types read them.
      if (!value.is_string())
        return make_error(Status::invalid_input,
                          "argument " + std::string(key) + " must be a string");
      given[key] = value;
    }
  }
  auto steps = promptbook::render(*book, given);
  if (!steps) return steps.error();
  json::array messages;
  for (const auto& step : *steps)
    messages.push_back(
        json::object{{"role", "user"}, {"content", {{"type", "text"}, {"text", step.prompt}}}});
  json::object result{{"messages", std::move(messages)}};
  if (!book->description.empty()) result["description"] = book->description;
  return result;
}

}  // namespace secpilot::mcp
