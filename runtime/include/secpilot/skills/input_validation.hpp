// Checks a call's inputs against a skill's declared Inputs before the plugin sees them.
#pragma once

#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "secpilot/manifest/manifest.hpp"
#include "secpilot/util/expected.hpp"

namespace secpilot::skills {

// Validates `input_json` (a JSON object) against `skill.Inputs`: unknown names, missing required
// inputs, and each value against its Type (entity types are checked for shape: an ip must parse,
// a sha256 is 64 hex digits, ...). Fills DefaultValues and converts strings to declared numbers
// and booleans (so `--input limit=5` works). Returns the JSON text to hand to the plugin, or
// Status::invalid_input naming the input and what it expected.
Expected<std::string> prepare_input(const manifest::Skill& skill, std::string_view input_json);

// For skills the host runs itself (KQL, GPT): the call's inputs as an object, prepared as above
// when `skill` is given, else parsed as sent. Errors (invalid_input) begin with `skill_name`.
Expected<boost::json::object> input_object(std::string_view skill_name,
                                           const manifest::Skill* skill,
                                           std::string_view input_json);

// Whether `value` has the shape of entity type `type` (canonical names, see manifest.hpp).
// Defanged forms ("1.2.3[.]4", "hxxp://") are accepted. Plain JSON types are not handled here.
bool matches_entity_type(std::string_view type, std::string_view value);

}  // namespace secpilot::skills
