#include "promptbook/parameter_skill.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "secpilot/skills/input_validation.hpp"

namespace secpilot::promptbook::detail {

manifest::Skill parameters_as_skill(const Promptbook& promptbook) {
  manifest::Skill skill;
  skill.name = promptbook.name;
  for (const Parameter& p : promptbook.parameters) {
    manifest::Input input;
    input.name = p.name;
    input.description = p.description;
    input.type = p.type;
    input.required = p.required;
    input.default_value = p.default_value;
    skill.inputs.push_back(std::move(input));
  }
  return skill;
}

void parse_structured(std::string_view type, boost::json::value& value) {
  if ((type != "object" && type != "array") || !value.is_string()) return;
  boost::system::error_code error;
  boost::json::value parsed = boost::json::parse(value.as_string(), error);
  if (!error && (type == "object" ? parsed.is_object() : parsed.is_array()))
    value = std::move(parsed);
}

std::string value_problem(const manifest::Input& input, std::string_view value) {
  manifest::Skill skill;
  manifest::Input alone = input;
  alone.required = false;
  alone.default_value.reset();
  skill.inputs.push_back(std::move(alone));
  boost::json::value typed(value);
  parse_structured(input.type, typed);
  boost::json::object given;
  given[input.name] = std::move(typed);
  auto checked = skills::prepare_input(skill, boost::json::serialize(given));
  return checked ? std::string() : without_input_prefix(checked.error().message, input.name);
}

std::string without_input_prefix(const std::string& message, std::string_view name) {
  const std::string prefix = "input '" + std::string(name) + "' ";
  return message.starts_with(prefix) ? message.substr(prefix.size()) : message;
}

}  // namespace secpilot::promptbook::detail
