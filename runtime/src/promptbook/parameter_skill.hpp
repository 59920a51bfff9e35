// Promptbook parameters seen as the inputs of a skill, so that the skills' own input validation
// (types, entity shapes, defaults, conversions) checks them: one set of rules for both.
#pragma once

#include <string>
#include <string_view>

#include <boost/json/value.hpp>

#include "secpilot/manifest/manifest.hpp"
#include "secpilot/promptbook/promptbook.hpp"

namespace secpilot::promptbook::detail {

// A skill named after the promptbook whose inputs are its parameters.
manifest::Skill parameters_as_skill(const Promptbook& promptbook);

// Values of object and array types arrive as JSON text (from YAML, from `--param k=v`): parses
// such a string into what it spells. Other values are left as they are.
void parse_structured(std::string_view type, boost::json::value& value);

// What is wrong with the text `value` for `input` ("must be an integer, got \"x\""), or empty when
// it fits its type; strings are converted as `--input name=value` would be.
std::string value_problem(const manifest::Input& input, std::string_view value);

// The message of skills::prepare_input without its leading "input 'NAME' ", so that a caller
// can say what the value belongs to.
std::string without_input_prefix(const std::string& message, std::string_view name);

}  // namespace secpilot::promptbook::detail
