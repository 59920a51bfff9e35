// The fast path of input checking: one streaming pass over the JSON text, no document built.
#pragma once

#include <string_view>

#include "secpilot/manifest/manifest.hpp"

namespace secpilot::skills {

// True when `input_json` is a JSON object whose members are all declared inputs of `skill` with
// values of the declared type and entity shape, every required input is present, and no default
// needs filling in: the inputs can go to the plugin exactly as they are. False in every other case,
// including errors; the caller then takes the slow path, which converts what can be converted and
// explains the rest.
bool inputs_already_valid(const manifest::Skill& skill, std::string_view input_json);

}  // namespace secpilot::skills
