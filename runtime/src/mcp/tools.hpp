// How a skill looks and answers as an MCP tool: its definition in tools/list and the result of a
// tools/call.
#pragma once

#include <boost/json/object.hpp>
#include <string_view>

#include "secpilot/skills/catalog.hpp"
#include "secpilot/util/expected.hpp"

namespace secpilot::mcp {

// {name, title, description, inputSchema, outputSchema (when Outputs is an object schema),
// annotations (from SideEffects)}.
boost::json::object tool_definition(const skills::SkillEntry& entry);

// A successful call: the result as a text block and, when it is a JSON object, as
// structuredContent.
boost::json::object call_result(std::string_view result_json);

// A failed call, for the model to read and correct itself: isError with the message as text.
boost::json::object error_result(std::string_view message);

}  // namespace secpilot::mcp
