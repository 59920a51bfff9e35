// A skill's Inputs as a JSON Schema object: what a model (its function's `parameters`) or an MCP
// client (a tool's `inputSchema`) sees of the arguments it must send.
#pragma once

#include <boost/json/object.hpp>

#include "secpilot/manifest/manifest.hpp"

namespace secpilot::skills {

// {"type": "object", "properties": {...}, "required": [...], "additionalProperties": false}.
// Entity types (ip, host, sha256, ...) are strings whose description names the entity; acceptable
// values become an enum, defaults a default.
boost::json::object input_schema(const manifest::Skill& skill);

}  // namespace secpilot::skills
